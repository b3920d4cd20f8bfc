/**
 * Wrapping text reports to a width: a long line is broken at word boundaries, and each
 * continuation line starts under the column where the line's last field began, so a wrapped
 * table row, timeline entry or check verdict still reads as one item.
 *
 * Widths count what a terminal shows: one column per code point, none for combining marks (the
 * hat of `λ̂`). Wide characters (CJK, emoji) are not measured; reports do not use them.
 *
 * Left out on purpose: hyphenation, and reflowing several lines into one paragraph (a sim's lines
 * are already laid out; each is wrapped on its own).
 */

/** The width of a report when `--width` is not given, in columns. */
export const DEFAULT_WIDTH = 100

/** The narrowest `--width` accepted, in columns: narrower than this, tables become unreadable. */
export const WIDTH_MIN = 40

/** The widest `--width` accepted, in columns. */
export const WIDTH_MAX = 10_000

const COMBINING = /[\u0300-\u036f\u20d0-\u20ff]/u

/** The number of columns `text` takes on a terminal (code points, combining marks excepted). */
export function textWidth(text: string): number {
  let width = 0
  for (const char of text) if (!COMBINING.test(char)) width++
  return width
}

/** The longest prefix of `text` that takes at most `width` columns (combining marks stay with their letter). */
function takeColumns(text: string, width: number): string {
  let taken = 0
  let end = 0
  for (const char of text) {
    if (!COMBINING.test(char)) {
      if (taken === width) break
      taken++
    }
    end += char.length
  }
  return text.slice(0, end)
}

/**
 * `text` broken into lines of at most `width` columns, at spaces where possible; a word longer
 * than `width` is cut. Runs of spaces at a break disappear; other spacing is kept.
 */
export function wrapWords(text: string, width: number): string[] {
  const size = Math.max(1, width)
  const lines: string[] = []
  let rest = text
  while (textWidth(rest) > size) {
    const head = takeColumns(rest, size + 1)
    const space = head.lastIndexOf(" ")
    let line: string
    if (space > 0 && head.slice(0, space).trim() !== "") {
      line = head.slice(0, space).trimEnd()
      rest = rest.slice(space).trimStart()
    } else {
      line = takeColumns(rest, size)
      rest = rest.slice(line.length).trimStart()
    }
    lines.push(line)
  }
  if (rest !== "" || lines.length === 0) lines.push(rest)
  return lines
}

/** Where continuation lines of `line` start: the last field that starts in the left half. */
function hangingIndent(line: string, width: number): number {
  const leading = line.length - line.trimStart().length
  const timeline = /^\[t=[^\]]*\] /.exec(line.slice(leading))
  if (timeline !== null) return textWidth(line.slice(0, leading + timeline[0].length))
  let hang = leading
  for (const match of line.slice(leading).matchAll(/ {2,}(?=\S)/g)) {
    const start = textWidth(line.slice(0, leading + match.index + match[0].length))
    if (start <= width / 2) hang = start
  }
  return hang
}

/**
 * One line of a report as lines of at most `width` columns. A line that fits is returned as is.
 * Otherwise it breaks at the last space that fits (keeping its start, up to the hanging indent,
 * intact), and continuation lines are indented to the hanging indent: the start of the last field
 * (after two or more spaces, or after a timeline's `[t=...] `) that lies in the left half of the
 * width, or else the line's own indentation.
 */
export function wrapLine(line: string, width: number): string[] {
  if (textWidth(line) <= width) return [line]
  const hang = hangingIndent(line, width)
  const prefixEnd = takeColumns(line, hang).length
  const prefix = line.slice(0, prefixEnd)
  const body = wrapWords(line.slice(prefixEnd), width - hang)
  const pad = " ".repeat(hang)
  return body.map((text, i) => (i === 0 ? prefix + text : pad + text).trimEnd())
}

function leadingSpaces(line: string): number {
  return line.length - line.trimStart().length
}

/** True when `line` is plain prose at `indent`: no table gaps, no list marker, no timeline stamp. */
function isProse(line: string, indent: number): boolean {
  const text = line.slice(indent)
  return leadingSpaces(line) === indent && text !== "" && !/ {2}/.test(text) && !/^([-*•(\[]|\d+[.)] )/.test(text)
}

/**
 * Every line wrapped to `width` (see {@link wrapLine}), built with a loop, so any number of lines
 * is fine. A paragraph a sim broke by hand for a wider page is reflowed: when a prose line that
 * does not end a sentence overflows, its last words move to the start of the next line, if that is
 * prose at the same indentation (so no line is left holding one orphan word).
 */
export function wrapLines(lines: readonly string[], width: number): string[] {
  const wrapped: string[] = []
  let carry = ""
  for (let i = 0; i < lines.length; i++) {
    const line = carry === "" ? lines[i]! : lines[i]!.replace(/^( *)/, `$1${carry} `)
    carry = ""
    if (textWidth(line) <= width) {
      wrapped.push(line)
      continue
    }
    const parts = wrapLine(line, width)
    const indent = leadingSpaces(line)
    const next = lines[i + 1]
    const reflow =
      parts.length > 1 && isProse(line, indent) && !/[.:!?;]$/.test(line) && next !== undefined && isProse(next, indent)
    if (reflow) carry = parts.pop()!.trim()
    for (const part of parts) wrapped.push(part)
  }
  return wrapped
}

/**
 * `prefix` (e.g. `seed=1  rerun: `) then a shell command, as lines of at most `width` columns joined
 * by ` \` continuations, so that the whole block pastes into a shell as one command. Breaks fall
 * between words, and a flag is kept with its value (`--rows 100`) unless the pair is too wide for a
 * line. A single word wider than a line (a long `--faults` JSON value) is broken inside: its line
 * ends in `\` with no space before it (closing a single quote first, `'\`) and the word goes on at
 * the start of the next line, unindented (reopening the quote), since a POSIX shell deletes each
 * backslash-newline and would split the word at an indent. Words are split as a POSIX shell would
 * for the quoting `shellQuote` produces (single quotes; `'\''` for a quote inside).
 */
export function wrapCommand(prefix: string, command: string, width: number, indent = "    "): string[] {
  if (textWidth(prefix + command) <= width) return [prefix + command]
  const words = command.match(/(?:\\.|[^\s'\\]|'[^']*')+/g) ?? [command]
  const groups: string[] = []
  for (const word of words) {
    const last = groups.length - 1
    const joined = last >= 0 && /^--[^=\s]+$/.test(groups[last]!) && !word.startsWith("--")
    if (joined && textWidth(`${groups[last]} ${word}`) <= width - 2 - indent.length) groups[last] += ` ${word}`
    else groups.push(word)
  }
  // Each line: its text, whether it starts indented, and whether a word goes on on the next line.
  const lines: { text: string; indented: boolean; midWord: boolean }[] = []
  let current = { text: "", indented: false, midWord: false }
  const lead = (line: { indented: boolean }): number =>
    textWidth(lines.length === 0 ? prefix : line.indented ? indent : "")
  for (const group of groups) {
    const fitsALine = textWidth(group) <= width - 2 - indent.length // else it is broken where it starts
    const overflows = lead(current) + textWidth(current.text) + 1 + textWidth(group) > width - 2
    if (fitsALine && current.text !== "" && overflows) {
      lines.push(current)
      current = { text: "", indented: true, midWord: false }
    }
    const text = current.text === "" ? group : `${current.text} ${group}`
    if (lead(current) + textWidth(text) <= width - 2) current = { ...current, text }
    else {
      const broken = breakWord(text, width - lead(current), width)
      lines.push({ ...current, text: broken[0]!, midWord: true })
      for (const part of broken.slice(1, -1)) lines.push({ text: part, indented: false, midWord: true })
      current = { text: broken.at(-1)!, indented: false, midWord: false }
    }
  }
  lines.push(current)
  return lines.map((line, i) => {
    const lead = i === 0 ? prefix : line.indented ? indent : ""
    const end = i === lines.length - 1 ? "" : line.midWord ? "\\" : " \\"
    return `${lead}${line.text}${end}`
  })
}

/**
 * `text` (whose last word is too long) cut into pieces that each fit with a trailing `\`: the
 * first in `firstRoom` columns, the rest in `room`. A cut inside single quotes closes the quote
 * before the `\` and reopens it on the next piece; a backslash escape is never cut.
 */
function breakWord(text: string, firstRoom: number, room: number): string[] {
  const pieces: string[] = []
  let piece = ""
  let limit = firstRoom - 1
  let inside = false
  for (let i = 0; i < text.length; i++) {
    const atom: string = !inside && text[i] === "\\" && i + 1 < text.length ? text.slice(i, ++i + 1) : text[i]!
    const insideAfter: boolean = atom === "'" ? !inside : inside
    if (piece !== "" && textWidth(piece + atom) + (insideAfter ? 1 : 0) > limit) {
      pieces.push(inside ? `${piece}'` : piece)
      piece = inside ? "'" : ""
      limit = room - 1
    }
    piece += atom
    inside = insideAfter
  }
  pieces.push(piece)
  return pieces
}
