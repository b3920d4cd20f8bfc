/**
 * A script of Redis commands as a person types them into redis-cli: words separated by spaces,
 * `"double quotes"` with `\n`, `\r`, `\t`, `\"`, `\\` and `\xHH` escapes, `'single quotes'` with
 * `\'`, and `sleep <ms>` steps that advance simulated time between commands.
 */

/** One step: a command to send, or a pause of the client. */
export type ScriptStep =
  { readonly kind: "command"; readonly argv: readonly string[] } | { readonly kind: "sleep"; readonly ms: number }

/** A parsed script, or why it could not be read. */
export type ParsedScript =
  { readonly ok: true; readonly steps: readonly ScriptStep[] } | { readonly ok: false; readonly error: string }

/** The words of one command, or an error naming the problem. */
function splitWords(text: string): string[] | string {
  const words: string[] = []
  let i = 0
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++
    if (i >= text.length) break
    const quote = text[i] === '"' || text[i] === "'" ? text[i]! : undefined
    let word = ""
    if (quote === undefined) {
      while (i < text.length && !/\s/.test(text[i]!)) word += text[i++]
    } else {
      i++
      for (;;) {
        if (i >= text.length) return `unbalanced ${quote === '"' ? "double" : "single"} quotes`
        const char = text[i++]!
        if (char === quote) break
        if (char !== "\\" || i >= text.length) word += char
        else word += unescape(text, i, quote, (length) => (i += length))
      }
      if (i < text.length && !/\s/.test(text[i]!)) return "a closing quote must be followed by a space"
    }
    words.push(word)
  }
  return words
}

/** The character an escape at `text[at]` (after the backslash) stands for; `advance` skips it. */
function unescape(text: string, at: number, quote: string, advance: (length: number) => void): string {
  const next = text[at]!
  if (quote === "'") {
    advance(1)
    return next === "'" ? "'" : `\\${next}`
  }
  const hex = /^x([0-9a-fA-F]{2})/.exec(text.slice(at, at + 3))
  if (hex !== null) {
    advance(3)
    return String.fromCharCode(parseInt(hex[1]!, 16))
  }
  advance(1)
  return { n: "\n", r: "\r", t: "\t", b: "\b", a: "\x07" }[next] ?? next
}

/** Splits `text` at `separator` outside quotes. */
function splitCommands(text: string, separator: string): string[] {
  const parts: string[] = []
  let current = ""
  let quote: string | undefined
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    if (quote !== undefined && char === "\\") {
      current += char + (text[i + 1] ?? "")
      i++
    } else if (quote !== undefined) {
      if (char === quote) quote = undefined
      current += char
    } else if (char === separator) {
      parts.push(current)
      current = ""
    } else {
      if (char === '"' || char === "'") quote = char
      current += char
    }
  }
  parts.push(current)
  return parts
}

/**
 * Reads a script: commands separated by `separator` (`;` on the command line, a line break in a
 * file); blank commands and, in files, lines starting with `#` are skipped.
 */
export function parseRedisScript(text: string, separator: ";" | "\n"): ParsedScript {
  const steps: ScriptStep[] = []
  const parts = splitCommands(text, separator)
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!.trim()
    if (part === "" || (separator === "\n" && part.startsWith("#"))) continue
    const where = separator === "\n" ? `line ${index + 1}` : `command ${index + 1}`
    const words = splitWords(part)
    if (typeof words === "string") return { ok: false, error: `${where} (${part}): ${words}` }
    if (words[0]!.toLowerCase() === "sleep") {
      const ms = words.length === 2 && /^[0-9]+(\.[0-9]+)?$/.test(words[1]!) ? Number(words[1]) : NaN
      if (!(ms >= 0 && ms <= 86_400_000))
        return { ok: false, error: `${where} (${part}): sleep takes one number of ms from 0 to 86400000` }
      steps.push({ kind: "sleep", ms })
    } else steps.push({ kind: "command", argv: words })
  }
  if (!steps.some((step) => step.kind === "command")) return { ok: false, error: "no command to run" }
  return { ok: true, steps }
}
