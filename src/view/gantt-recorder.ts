/**
 * A Gantt chart read off a trace as the run goes: a record `start` recognises opens a bar on a
 * lane, a record `end` recognises closes it (by a key, e.g. the task id). For sims whose records
 * say when work started and ended (a task on a thread), so the sim keeps nothing of its own for
 * its `--html` report. Bars still open at the end of the run end at the last record's time.
 * It keeps the first {@link MAX_RECORDED_BARS} bars and counts the rest.
 */
import type { Trace, Traced } from "../kernel/index.ts"
import type { GanttBar, GanttChart } from "./run-view.ts"

/** The most bars a recorder keeps: the first ones. */
export const MAX_RECORDED_BARS = 20_000

/** What a record that starts a bar says. */
export interface BarStart {
  /** What closes it: the same key from `end`. */
  readonly key: string | number
  /** The lane, e.g. `"thread 1"`. */
  readonly lane: string
  /** The bar's label, e.g. `"task 7"`. */
  readonly label: string
}

/** How a {@link GanttRecorder} reads records. */
export interface GanttRecorderOptions {
  /** The chart's heading. */
  readonly title: string
  /** The bar a record starts, or undefined. */
  readonly start: (record: Traced) => BarStart | undefined
  /** The key of the bar a record ends, or undefined. */
  readonly end: (record: Traced) => string | number | undefined
}

/** Bars read off the records of a trace. */
export class GanttRecorder {
  private readonly bars: GanttBar[] = []
  private readonly open = new Map<string | number, BarStart & { readonly start: number }>()
  private readonly lanes: string[] = []
  private lastT = 0
  private total = 0

  /** Listens to `trace`. */
  constructor(
    trace: Trace,
    private readonly options: GanttRecorderOptions,
  ) {
    trace.listen((record) => {
      this.lastT = record.t
      const started = options.start(record)
      if (started !== undefined) {
        if (!this.lanes.includes(started.lane)) this.lanes.push(started.lane)
        this.open.set(started.key, { ...started, start: record.t })
      }
      const key = options.end(record)
      const bar = key === undefined ? undefined : this.open.get(key)
      if (bar === undefined) return
      this.open.delete(key!)
      this.total++
      if (this.bars.length < MAX_RECORDED_BARS)
        this.bars.push({ lane: bar.lane, start: bar.start, end: record.t, label: bar.label })
    })
  }

  /** The chart: lanes sorted by name (numbers in order), bars closed and still open. */
  chart(): GanttChart {
    const bars = [...this.bars]
    for (const bar of this.open.values())
      bars.push({ lane: bar.lane, start: bar.start, end: this.lastT, label: bar.label })
    const lanes = [...this.lanes].sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
    return { title: this.options.title, lanes, bars }
  }
}
