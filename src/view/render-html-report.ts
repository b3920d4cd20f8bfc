/**
 * One self-contained HTML page for a run: the header (sim, title, seed, rerun line, trace hash),
 * the checks' verdicts, the charts, the inputs, the metrics as tables, the timeline and the text
 * report's sections.
 *
 * Self-contained: the page loads nothing. Styles and the client script are inline, the charts'
 * data is JSON in a `<script type="application/json" id="simsys-view">` tag, and a
 * Content-Security-Policy (`default-src 'none'`) forbids any request, so the page opens from
 * `file://` on a machine without a network and cannot leak. Everything but the charts is plain
 * HTML and reads without JavaScript.
 *
 * Deterministic: the page depends only on its inputs (no dates, no random ids), so the same seed
 * and flags give the same bytes. Pure (no Node imports), so a browser can build reports too; the
 * client script is passed in (the CLI bundles it with esbuild, `bundle-report-client.ts`).
 */
import { formatNumber } from "../kernel/format.ts"
import { firstView } from "./first-view.ts"
import { FIRST_VIEW_MESSAGES, type HtmlReport, type RunView } from "./run-view.ts"

/** The id of the JSON tag the client script reads: `{ view, timeUnit, timeDecimals }`. */
export const VIEW_DATA_ID = "simsys-view"

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;padding:16px 24px;color:#1d232b;background:#fff}
h1{font-size:22px;margin:0}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d8dde3;padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
.title{font-size:16px;color:#3b4653;margin:4px 0 10px}.about{color:#55606d;margin:2px 0}
table{border-collapse:collapse;margin:4px 0 10px}th,td{border:1px solid #d8dde3;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f3f5f7;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
pre{background:#f6f8fa;padding:8px 10px;overflow-x:auto;font:12.5px/1.35 ui-monospace,Menlo,Consolas,monospace;margin:4px 0}
.held{color:#116329;font-weight:600}.failed{color:#b42318;font-weight:600}
.chart{width:100%;height:360px;margin:6px 0 2px}.note{color:#55606d;font-size:12.5px;margin:0 0 10px}
dl.facts{display:grid;grid-template-columns:max-content auto;gap:2px 14px;margin:8px 0}dl.facts dt{color:#55606d}dl.facts dd{margin:0;font-family:ui-monospace,Menlo,Consolas,monospace}
`

/** `text` with the characters HTML gives a meaning escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** JSON that is safe inside a `<script>` element: no `<` (so no `</script>`), no line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029")
}

/** A time with the report's decimals and unit, e.g. `120.0ms`. */
function timeText(report: HtmlReport, t: number): string {
  const unit = report.timeUnit === "time units" ? "" : report.timeUnit
  return `${formatNumber(t, report.timeDecimals)}${unit.length <= 2 ? unit : ` ${unit}`}`
}

/** A table with a header row; cells are escaped, numbers right-aligned. */
function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[], id?: string): string {
  const head = `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr>`
  const body = rows
    .map(
      (row) =>
        `<tr>${row.map((cell) => (typeof cell === "number" ? `<td class="num">${cell}</td>` : `<td>${escapeHtml(cell)}</td>`)).join("")}</tr>`,
    )
    .join("\n")
  return `<table${id === undefined ? "" : ` id="${id}"`}>\n${head}\n${body}\n</table>`
}

function headerSection(report: HtmlReport): string {
  const facts: [string, string][] = [
    ["seed", String(report.seed)],
    ["simulated time", timeText(report, report.simTime)],
    ["events", String(report.events)],
    ["trace hash", report.traceHash],
  ]
  return [
    "<header>",
    `<h1>${escapeHtml(report.sim)}</h1>`,
    `<p class="title">${escapeHtml(report.title)}</p>`,
    `<p class="about"><b>Covers:</b> ${escapeHtml(report.covers)}</p>`,
    `<p class="about"><b>Scenario:</b> ${escapeHtml(report.scenario)}</p>`,
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>`,
    `<pre class="rerun">${escapeHtml(report.rerun)}</pre>`,
    "</header>",
  ].join("\n")
}

function checksSection(report: HtmlReport): string {
  const held = report.checks.filter((check) => check.held).length
  const rows = report.checks.map(
    (check) =>
      `<tr><td>${escapeHtml(check.name)}</td><td class="${check.held ? "held" : "failed"}">${check.held ? "held" : "NOT HELD"}</td><td>${escapeHtml(check.detail)}</td></tr>`,
  )
  return [
    `<section id="checks"><h2>Checks (${held} of ${report.checks.length} held)</h2>`,
    `<table class="verdicts">\n<tr><th>check</th><th>verdict</th><th>detail</th></tr>`,
    ...rows,
    "</table></section>",
  ].join("\n")
}

/** The chart placeholders the client script fills, with the notes that say what was cut. */
function chartsSection(view: RunView): string {
  const parts: string[] = []
  const messages = view.messages
  if (messages !== undefined) {
    const shown = messages.messages.length
    const window =
      shown < messages.messagesTotal
        ? `the first ${shown} of ${messages.messagesTotal} messages`
        : `all ${messages.messagesTotal} messages`
    const opening =
      firstView(messages) !== undefined
        ? `; it opens on the first ${FIRST_VIEW_MESSAGES}, zoom out with the slider`
        : ""
    const note = `${window}${opening}; one lane per node; hover an arrow for the message${messages.note === undefined ? "" : `; ${messages.note}`}`
    parts.push(`<h3>Messages</h3>\n<div class="chart" id="chart-messages" data-kind="messages"></div>`)
    parts.push(`<p class="note">${escapeHtml(note)}</p>`)
  }
  ;(view.gantt ?? []).forEach((chart, i) => {
    parts.push(`<h3>${escapeHtml(chart.title)}</h3>\n<div class="chart" id="chart-gantt-${i}" data-kind="gantt"></div>`)
    if (chart.barsBefore !== undefined)
      parts.push(`<p class="note">the first ${chart.bars.length} of ${chart.barsBefore} bars</p>`)
  })
  ;(view.series ?? []).forEach((chart, i) => {
    parts.push(
      `<h3>${escapeHtml(chart.title)}</h3>\n<div class="chart" id="chart-series-${i}" data-kind="series"></div>`,
    )
    if (chart.pointsBefore !== undefined) {
      const after = chart.lines.reduce((sum, line) => sum + line.points.length, 0)
      parts.push(
        `<p class="note">${after} of ${chart.pointsBefore} points (each stretch keeps its lowest and highest)</p>`,
      )
    }
  })
  if (parts.length === 0) return ""
  return `<section id="charts"><h2>Charts</h2>\n${parts.join("\n")}\n</section>`
}

/** A metric value as text: numbers as JavaScript writes them, objects as compact JSON. */
function valueText(value: unknown): string | number {
  if (typeof value === "number") return value
  if (typeof value === "string") return value
  return JSON.stringify(value) ?? String(value)
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}

/**
 * The metrics as tables: the scalars (and nested objects, flattened to `a.b`) in one table, and
 * each list of objects as a table of its own with a column per field.
 */
function metricsSection(report: HtmlReport): string {
  const rows: [string, string | number][] = []
  const lists: string[] = []
  const visit = (prefix: string, value: unknown): void => {
    if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) visit(prefix === "" ? key : `${prefix}.${key}`, item)
    } else if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) {
      const columns = [...new Set(value.flatMap((item) => Object.keys(item)))]
      const cells = value.map((item) => columns.map((column) => valueText(item[column] ?? "")))
      lists.push(`<h3>${escapeHtml(prefix)}</h3>\n${table(columns, cells)}`)
    } else rows.push([prefix, valueText(value)])
  }
  visit("", report.metrics)
  const scalars = rows.length === 0 ? "" : table(["metric", "value"], rows, "metrics-table")
  return `<section id="metrics"><h2>Metrics</h2>\n${scalars}\n${lists.join("\n")}\n</section>`
}

function inputsSection(report: HtmlReport): string {
  return `<section id="inputs"><h2>Inputs</h2>\n${table(["flag", "value", "meaning"], report.params, "inputs-table")}\n</section>`
}

function timelineSection(report: HtmlReport): string {
  if (report.timeline === undefined) return ""
  const rows = report.timeline.entries.map((entry) => [timeText(report, entry.t), entry.text])
  return `<section id="timeline"><h2>${escapeHtml(report.timeline.title)}</h2>\n${table(["t", "what happened"], rows)}\n</section>`
}

function textSections(report: HtmlReport): string {
  const sections = report.sections ?? []
  if (sections.length === 0) return ""
  const parts = sections.map(
    (section) => `<h3>${escapeHtml(section.title)}</h3>\n<pre>${escapeHtml(section.lines.join("\n"))}</pre>`,
  )
  return `<section id="report"><h2>Report</h2>\n${parts.join("\n")}\n</section>`
}

/**
 * The page for `report` with the charts of `view`; `clientScript` is the script that draws the
 * charts (without it the page still shows every table, and no chart).
 */
export function renderHtmlReport(report: HtmlReport, view: RunView, clientScript = ""): string {
  const data = { view, timeUnit: report.timeUnit, timeDecimals: report.timeDecimals }
  const csp = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${report.sim}: ${report.title}`)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    headerSection(report),
    checksSection(report),
    chartsSection(view),
    inputsSection(report),
    metricsSection(report),
    timelineSection(report),
    textSections(report),
    `<script type="application/json" id="${VIEW_DATA_ID}">${scriptJson(data)}</script>`,
    clientScript === "" ? "" : `<script>${clientScript.replace(/<\/(script)/gi, "<\\/$1")}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n")
}
