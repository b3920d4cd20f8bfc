/**
 * The run's charts in the playground: the same charts the `--html` report draws (src/view: the
 * message-sequence diagram, Gantt charts, time series, with the same echarts options), scrubbed to
 * an instant by the time slider: each shows what had happened by then (`viewAt`), on the whole
 * run's time axis, with a line at the instant. The full data stays here, so the slider goes both
 * ways.
 *
 * This module and echarts are a chunk of their own, imported after the first run (web/main.ts), so
 * the first load stays small.
 */
import {
  type ChartFrame,
  type ChartOption,
  ganttOption,
  messagesOption,
  seriesOption,
  type ViewData,
} from "../src/view/client/chart-options.ts"
import { type EChartsType, init } from "../src/view/client/echarts-setup.ts"
import type { RunView } from "../src/view/run-view.ts"
import { viewAt } from "../src/view/view-at.ts"

/** One chart: where it is drawn and how its option is built from the view at an instant. */
interface Drawn {
  readonly chart: EChartsType
  readonly option: (view: RunView, frame: ChartFrame) => ChartOption
  /** False until the first option is set (which opens the zoom where the report opens it). */
  shown: boolean
}

/** The charts of one run, drawn into a container. */
export class RunCharts {
  private readonly drawn: Drawn[] = []
  private readonly onResize = () => this.drawn.forEach(({ chart }) => chart.resize())

  /**
   * Draws the charts of `data.view` into `container` (emptied first), at the end of `range`, the
   * whole run's span of time.
   */
  constructor(
    private readonly container: HTMLElement,
    private readonly data: ViewData,
    private readonly range: readonly [number, number],
  ) {
    container.replaceChildren()
    const view = data.view
    if (view.messages !== undefined)
      this.add("Messages", "messages", (v, frame) => messagesOption(v.messages!, { ...data, view: v }, frame))
    ;(view.gantt ?? []).forEach((chart, i) =>
      this.add(chart.title, "gantt", (v, frame) => ganttOption(v.gantt![i]!, { ...data, view: v }, frame)),
    )
    ;(view.series ?? []).forEach((chart, i) =>
      this.add(chart.title, "series", (v, frame) => seriesOption(v.series![i]!, { ...data, view: v }, frame)),
    )
    window.addEventListener("resize", this.onResize)
    this.show(range[1])
  }

  /** How many charts there are. */
  get count(): number {
    return this.drawn.length
  }

  /** Shows every chart as it stood at `t`, keeping each chart's zoom. */
  show(t: number): void {
    const view = viewAt(this.data.view, t)
    const frame: ChartFrame = { range: this.range, cursor: t }
    // What is drawn, for scripts and tests: the instant and the messages drawn by then.
    this.container.dataset.instant = String(t)
    this.container.dataset.messages = String(view.messages?.messages.length ?? 0)
    for (const drawn of this.drawn) {
      const { dataZoom, ...rest } = drawn.option(view, frame)
      drawn.chart.setOption(drawn.shown ? rest : { ...rest, dataZoom }, { replaceMerge: ["series"] })
      drawn.shown = true
    }
  }

  /** Frees the charts. */
  dispose(): void {
    window.removeEventListener("resize", this.onResize)
    for (const { chart } of this.drawn) chart.dispose()
    this.drawn.length = 0
    this.container.replaceChildren()
  }

  private add(title: string, kind: string, option: Drawn["option"]): void {
    const heading = document.createElement("h4")
    heading.textContent = title
    const box = document.createElement("div")
    box.className = `chart chart-${kind}`
    this.container.append(heading, box)
    this.drawn.push({ chart: init(box, undefined, { renderer: "canvas" }), option, shown: false })
  }
}
