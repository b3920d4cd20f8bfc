/**
 * The script of an HTML report (bundled with esbuild and inlined into the page, see
 * `bundle-report-client.ts`): reads the charts' data from the page's JSON tag and draws every
 * `<div class="chart">` with echarts — time series as lines with the faults marked, Gantt charts
 * and the message-sequence diagram as custom series (rectangles and arrows on lanes), each with
 * zoom on the time axis and a tooltip.
 *
 * Runs in a browser only; it imports echarts' core and just the charts, components and renderer it
 * uses (`echarts-setup.ts`), so the bundle stays small; the options live in `chart-options.ts`,
 * shared with the playground. The page has no DOM library in the project's types (models and
 * the kernel never see one), so the few DOM calls are declared here.
 */
import { ganttOption, messagesOption, seriesOption, type ChartOption, type ViewData } from "./chart-options.ts"
import { init, type EChartsType } from "./echarts-setup.ts"

interface Element {
  readonly textContent: string | null
  readonly clientWidth: number
}
declare const document: { getElementById(id: string): Element | null }
declare const window: { addEventListener(type: string, listener: () => void): void }

function draw(id: string, option: ChartOption, charts: EChartsType[]): void {
  const element = document.getElementById(id)
  if (element === null) return
  const chart = init(element as never, undefined, { renderer: "canvas" })
  chart.setOption(option)
  charts.push(chart)
}

function main(): void {
  const source = document.getElementById("simsys-view")
  if (source === null || source.textContent === null) return
  const data = JSON.parse(source.textContent) as ViewData
  const charts: EChartsType[] = []
  if (data.view.messages !== undefined) draw("chart-messages", messagesOption(data.view.messages, data), charts)
  ;(data.view.gantt ?? []).forEach((chart, i) => draw(`chart-gantt-${i}`, ganttOption(chart, data), charts))
  ;(data.view.series ?? []).forEach((chart, i) => draw(`chart-series-${i}`, seriesOption(chart, data), charts))
  window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()))
}

main()
