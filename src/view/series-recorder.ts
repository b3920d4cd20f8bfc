/**
 * A time series read off a trace as the run goes: each record a `read` function recognises gives
 * the value at its time (a queue length, a pool size), and a point is kept only when the value
 * changes, as a step chart draws it. For a sim whose records carry the number a chart should show,
 * so the sim keeps no series of its own for its `--html` report.
 *
 * Memory is bounded: past {@link MAX_RECORDED_POINTS} points the series is compacted to half as
 * many by the report's own min-max decimation (each stretch keeps its lowest and highest point),
 * so a run of millions of events keeps a few MB here, and the report downsamples further.
 */
import type { Trace, Traced } from "../kernel/index.ts"
import { downsamplePoints } from "./downsample-series.ts"
import type { SeriesLine, SeriesPoint } from "./run-view.ts"

/** The most points a recorder holds before it compacts them to half as many. */
export const MAX_RECORDED_POINTS = 100_000

/** A series of one value read off the records of a trace. */
export class SeriesRecorder {
  private points: SeriesPoint[] = []
  private last: number | undefined
  private lastT = 0

  /**
   * Listens to `trace`; `read` returns the value a record tells, or undefined for records that
   * tell none.
   */
  constructor(
    trace: Trace,
    readonly name: string,
    read: (record: Traced) => number | undefined,
  ) {
    trace.listen((record) => {
      this.lastT = record.t
      const value = read(record)
      if (value === undefined || value === this.last) return
      const previous = this.points[this.points.length - 1]
      if (previous !== undefined && previous[0] === record.t) this.points.pop()
      this.points.push([record.t, value])
      this.last = value
      if (this.points.length > MAX_RECORDED_POINTS) this.points = downsamplePoints(this.points, MAX_RECORDED_POINTS / 2)
    })
  }

  /** The line: a point at each change, and one at the last record's time so the last step shows. */
  line(): SeriesLine {
    const points = [...this.points]
    const previous = points[points.length - 1]
    if (previous !== undefined && previous[0] < this.lastT) points.push([this.lastT, previous[1]])
    return { name: this.name, points }
  }
}
