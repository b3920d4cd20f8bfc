/**
 * `--ascii`: reports for terminals (and fonts) that lack block, box and Greek characters.
 *
 * Block characters keep their width (one column each), so charts and sparklines keep their shape:
 * `█` → `#`, `░` → `.`, `▒` → `:`, and the sparkline heights `▁▂▃▄▅▆▇` → `_.-~=+*`. Greek letters
 * and mathematical signs are spelled out (`λ` → `lambda`, `±` → `+/-`, `≤` → `<=`), which widens
 * the text; where the widening happens inside a padded table cell, the padding that follows (or
 * precedes) it is shortened so the next columns stay where they were, when there is room.
 *
 * Left out on purpose: characters the reports never print (a test checks that the ASCII form of
 * every sim's report is pure ASCII, so a new character shows up there).
 */

const SAME_WIDTH: Readonly<Record<string, string>> = {
  "█": "#",
  "▓": "#",
  "▒": ":",
  "░": ".",
  "▁": "_",
  "▂": ".",
  "▃": "-",
  "▄": "~",
  "▅": "=",
  "▆": "+",
  "▇": "*",
  "·": ".",
  "•": "*",
  "—": "-",
  "–": "-",
  "−": "-",
  "×": "x",
  "→": ">",
  "←": "<",
  "↑": "^",
  "↓": "v",
  "’": "'",
  "‘": "'",
  "“": '"',
  "”": '"',
  "²": "2",
  µ: "u", // the micro sign (U+00B5), as in µs; Greek μ (U+03BC) is spelled "mu"
  "⌈": "[",
  "⌉": "]",
  "⌊": "[",
  "⌋": "]",
  "│": "|",
  "─": "-",
  "┌": "+",
  "┐": "+",
  "└": "+",
  "┘": "+",
  "✓": "v",
  "✗": "x",
}

const SPELLED: Readonly<Record<string, string>> = {
  λ: "lambda",
  μ: "mu",
  ρ: "rho",
  σ: "sigma",
  Σ: "sum ",
  Δ: "delta ",
  δ: "delta",
  α: "alpha",
  β: "beta",
  π: "pi",
  "±": "+/-",
  "≈": "~=",
  "≤": "<=",
  "≥": ">=",
  "≠": "!=",
  "∞": "inf",
  "√": "sqrt",
  "…": "...",
  "\u0302": "^", // combining circumflex: λ̂ → lambda^
  "\u0304": "-bar", // combining macron: x̄ → x-bar
}

/** Every non-ASCII character `asciiText` knows, as one pattern. */
const KNOWN = new RegExp(`[${[...Object.keys(SAME_WIDTH), ...Object.keys(SPELLED)].join("")}]`, "gu")

/**
 * Keeps the columns after a widened cell in place: shortens the padding after the cell (else the
 * padding before it, for a right-aligned cell) by up to `excess`, keeping two spaces. A cell in the
 * last column, or in prose, is left alone: nothing after it needs to line up.
 */
function absorb(line: string, at: number, excess: number): string {
  const gaps = [...line.matchAll(/ {2,}/g)]
  const after = gaps.find((gap) => gap.index >= at)
  if (after === undefined) return line
  const before = gaps.filter((gap) => gap.index + gap[0].length <= at).pop()
  const gap = after[0].length > 2 ? after : before !== undefined && before[0].length > 2 ? before : undefined
  if (gap === undefined) return line
  const cut = Math.min(excess, gap[0].length - 2)
  return line.slice(0, gap.index) + " ".repeat(gap[0].length - cut) + line.slice(gap.index + gap[0].length)
}

/** One line in ASCII (see the file header); characters it does not know are kept. */
export function asciiLine(line: string): string {
  if (/^[\x00-\x7f]*$/.test(line)) return line
  let result = ""
  const excessAt: { at: number; excess: number }[] = []
  let last = 0
  for (const match of line.matchAll(KNOWN)) {
    const char = match[0]
    result += line.slice(last, match.index)
    last = match.index + char.length
    const same = SAME_WIDTH[char]
    if (same !== undefined) {
      result += same
      continue
    }
    const spelled = SPELLED[char]!
    const shown = char === "\u0302" || char === "\u0304" ? 0 : 1
    result += spelled
    excessAt.push({ at: result.length, excess: spelled.length - shown })
  }
  result += line.slice(last)
  for (const { at, excess } of excessAt.reverse()) result = absorb(result, at, excess)
  return result
}

/** Every line of `text` in ASCII (see {@link asciiLine}). */
export function asciiText(text: string): string {
  return text.split("\n").map(asciiLine).join("\n")
}
