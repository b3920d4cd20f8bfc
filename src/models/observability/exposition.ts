/**
 * Reading the Prometheus text exposition format (version 0.0.4), as a scrape does: one sample per
 * line `name{label="value",...} value [timestamp]`; `#` lines (HELP, TYPE, comments) and blank
 * lines skipped; label values unescaped (`\\`, `\"`, `\n`); values as Go's `ParseFloat` reads them,
 * with `+Inf`, `-Inf` and `NaN`. See docs/prometheus.md ("Scraping").
 */

/** One exposed sample: its metric name, its labels and its value. */
export interface ExposedSample {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/

/**
 * The samples of an exposition text, in order.
 * @throws SyntaxError naming the line when a line is not a sample
 */
export function parseExposition(text: string): ExposedSample[] {
  const samples: ExposedSample[] = []
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim()
    if (line === "" || line.startsWith("#")) return
    samples.push(parseSampleLine(line, index + 1))
  })
  return samples
}

function parseSampleLine(line: string, lineNumber: number): ExposedSample {
  const fail = (why: string): never => {
    throw new SyntaxError(`exposition line ${lineNumber}: ${why}: ${line}`)
  }
  const name = NAME.exec(line)?.[0] ?? fail("no metric name")
  let rest = line.slice(name.length)
  const labels: Record<string, string> = {}
  if (rest.startsWith("{")) {
    rest = rest.slice(1)
    for (;;) {
      rest = rest.trimStart()
      if (rest.startsWith("}")) break
      const label = LABEL_NAME.exec(rest)?.[0] ?? fail("bad label name")
      rest = rest.slice(label.length).trimStart()
      if (!rest.startsWith('="')) fail(`label ${label} has no quoted value`)
      const [value, after] = readQuoted(rest.slice(2)) ?? fail(`label ${label}'s value is not closed`)
      labels[label] = value
      rest = after.trimStart()
      if (rest.startsWith(",")) rest = rest.slice(1)
      else if (!rest.startsWith("}")) fail("labels not separated by commas")
    }
    rest = rest.slice(1)
  }
  const fields = rest.trim().split(/\s+/)
  if (fields.length < 1 || fields.length > 2 || fields[0] === "") fail("no value")
  return { name, labels, value: parseValue(fields[0]!) ?? fail(`bad value ${fields[0]}`) }
}

/** The unescaped text up to the closing quote, and what follows it; undefined when it never closes. */
function readQuoted(text: string): [string, string] | undefined {
  let value = ""
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '"') return [value, text.slice(i + 1)]
    if (c === "\\" && i + 1 < text.length) {
      const next = text[++i]!
      value += next === "n" ? "\n" : next
    } else value += c
  }
  return undefined
}

/** A sample value as Prometheus reads it; undefined when it is not a number. */
export function parseValue(text: string): number | undefined {
  if (text === "+Inf" || text === "Inf") return Infinity
  if (text === "-Inf") return -Infinity
  if (text === "NaN") return NaN
  const value = Number(text)
  return text.trim() !== "" && !Number.isNaN(value) ? value : undefined
}
