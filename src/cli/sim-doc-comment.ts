/**
 * The doc comment that opens a sim's file, generated from its definition: the title, then the
 * `Covers:`, `Scenario:` and `Try:` lines of its header (the flags of each Try line, as `--help`
 * prints them after `npx tsx sims/<name>.ts`). The header is
 * written once, in `defineSim`; test/sims/doc-comments.test.ts checks that every sim's file
 * opens with this comment (`UPDATE_DOC_COMMENTS=1` rewrites the files).
 */
import type { SimHeader } from "./define-sim.ts"
import { wrapWords } from "./wrap-text.ts"

/** Width of the comment's lines, ` * ` included (the project's Prettier width is 120). */
const COMMENT_WIDTH = 100

/** What the comment is made of: a sim's name, title and header. */
export interface SimDocSource {
  readonly name: string
  readonly title: string
  readonly header: SimHeader
}

/** The comment, from `/**` to its closing line, without a trailing newline. */
export function simDocComment(sim: SimDocSource): string {
  const { covers, scenario, try: tryLines } = sim.header
  const body = [
    ...field("", sim.title),
    ...field("Covers: ", covers),
    ...field("Scenario: ", scenario),
    ...(tryLines.length === 0 ? [] : field("Try: ", tryLines.join("; "))),
  ]
  return ["/**", ...body.map((line) => ` * ${line}`.trimEnd()), " */"].join("\n")
}

/** `label` then `text`, wrapped at word boundaries; continuation lines are indented by two spaces. */
function field(label: string, text: string): string[] {
  const width = COMMENT_WIDTH - 3
  const [first = "", ...rest] = wrapWords(`${label}${text}`, width)
  const continued = rest.length === 0 ? [] : wrapWords(rest.join(" "), width - 2)
  return [first, ...continued.map((line) => `  ${line}`)]
}

/**
 * `source` (a sim file's text) with its opening doc comment replaced by `comment`; a file that
 * opens with no doc comment gets one.
 */
export function withDocComment(source: string, comment: string): string {
  const match = /^\/\*\*[\s\S]*?\*\/\n/.exec(source)
  return `${comment}\n${match === null ? source : source.slice(match[0].length)}`
}
