/**
 * Gantt charts in the terminal: one row per job (or per core, or per queue), one column per time
 * unit — or per `scale` time units when the run is longer than the chart is wide.
 *
 * A row is a set of non-overlapping segments, each drawn with one glyph. A column shows the glyph
 * that covers most of the column's time span (ties: the glyph listed first in `glyphOrder`) — or,
 * in a row drawn in `first` mode, the first glyph of `glyphOrder` that covers any of it — and the
 * row's background where nothing covers it. With one column per time unit and integral times
 * each column is exactly one time unit, so a learner can count columns to read off times.
 *
 * The scale (time units per column) is 1 when every boundary is a whole number, 0.5 when they are
 * halves, and so on down the "nice" widths 1, 0.5, 0.25, 0.2, 0.1, ...; when the run does not fit
 * into `maxColumns` columns at that scale, the first of 2, 2.5, 5, 10, 20, 25, 50, ... that fits. An axis line above the rows
 * labels every 10th column (every 5th on short charts) with its start time.
 *
 * Left out on purpose: colours (golden files stay plain text) and wrapping long charts.
 */
import type { MlfqResult } from "./mlfq.ts"
import type { ScheduleResult } from "./schedule-run.ts"

/** A stretch of a row drawn with one glyph. */
export interface ChartSegment {
  /** Start time. */
  readonly start: number
  /** End time (exclusive). */
  readonly end: number
  /** One character. */
  readonly glyph: string
}

/** One row of a chart. */
export interface ChartRow {
  /** Shown left of the row. */
  readonly label: string
  /** Non-overlapping segments, in any order. */
  readonly segments: readonly ChartSegment[]
  /** Glyph where no segment covers a column. Default `" "`. */
  readonly background?: string
  /**
   * How a column that several glyphs cover is drawn: `majority` (the glyph covering most of it)
   * or `first` (the first glyph of `glyphOrder` that covers any of it, e.g. "ran at all"). Default
   * `majority`.
   */
  readonly mode?: "majority" | "first"
}

/** Options of {@link renderChart}. */
export interface ChartOptions {
  /** End of the time axis (the axis starts at 0). Required. */
  readonly end: number
  /** Widest chart, in columns. Default 100. */
  readonly maxColumns?: number
  /** Glyphs in order of preference when two cover a column equally. Default: none. */
  readonly glyphOrder?: readonly string[]
}

/** A rendered chart. */
export interface Chart {
  /** The axis line, then one line per row. */
  readonly lines: readonly string[]
  /** Time units per column. */
  readonly scale: number
}

/** The "nice" column widths: 1, 2, 2.5 and 5 times a power of ten. */
const NICE_STEPS = [1, 2, 2.5, 5]

/** Every nice width from 0.001 up, in increasing order, until one is at least `atLeast`. */
function* niceScales(atLeast: number): Generator<number> {
  for (let exponent = -3; ; exponent++) {
    for (const step of NICE_STEPS) {
      const scale = Number((step * 10 ** exponent).toPrecision(12))
      yield scale
      if (scale >= atLeast) return
    }
  }
}

/** True when every time is a whole multiple of `scale`. */
function alignedTo(times: readonly number[], scale: number): boolean {
  return times.every((time) => Math.abs(time / scale - Math.round(time / scale)) < 1e-9)
}

/**
 * Time units per column: the coarsest nice width up to 1 that still puts every boundary on a
 * column edge (1 for integral times, 0.5 for halves, ...), widened to the first nice width that
 * fits `end` into `maxColumns` columns.
 */
function chooseScale(end: number, maxColumns: number, times: readonly number[]): number {
  let fine = 0.001
  for (const scale of niceScales(1)) if (scale <= 1 && alignedTo(times, scale)) fine = scale
  for (const scale of niceScales(Infinity))
    if (scale >= fine && Math.ceil(end / scale - 1e-9) <= maxColumns) return scale
  return fine
}

/** A time for an axis label: integers as integers, else up to two decimals. */
export function axisTime(t: number): string {
  return Number.isInteger(t) ? String(t) : String(Number(t.toFixed(2)))
}

/** Lays out `rows` on a common time axis (see the file header). */
export function renderChart(rows: readonly ChartRow[], options: ChartOptions): Chart {
  const maxColumns = options.maxColumns ?? 100
  const end = options.end
  const times = [end, ...rows.flatMap((row) => row.segments.flatMap((segment) => [segment.start, segment.end]))]
  const scale = end > 0 ? chooseScale(end, maxColumns, times) : 1
  const columns = end > 0 ? Math.ceil(end / scale - 1e-9) : 0
  const order = options.glyphOrder ?? []
  const rank = (glyph: string): number => {
    const index = order.indexOf(glyph)
    return index < 0 ? order.length : index
  }
  const labelWidth = rows.reduce((widest, row) => Math.max(widest, [...row.label].length), 0)
  const lines = [`${" ".repeat(labelWidth)}  ${axisLine(columns, scale)}`.trimEnd()]
  for (const row of rows) {
    const coverage: Map<string, number>[] = Array.from({ length: columns }, () => new Map())
    for (const segment of row.segments) {
      if (!(segment.end > segment.start)) continue
      const first = Math.max(0, Math.floor(segment.start / scale))
      const last = Math.min(columns - 1, Math.ceil(segment.end / scale) - 1)
      for (let c = first; c <= last; c++) {
        const overlap = Math.min(segment.end, (c + 1) * scale) - Math.max(segment.start, c * scale)
        if (overlap > 0) coverage[c]!.set(segment.glyph, (coverage[c]!.get(segment.glyph) ?? 0) + overlap)
      }
    }
    const first = row.mode === "first"
    const cells = coverage.map((glyphs) => {
      let best = row.background ?? " "
      let bestTime = 0
      for (const [glyph, time] of glyphs) {
        const better = first
          ? rank(glyph) < rank(best) || (rank(glyph) === rank(best) && time > bestTime)
          : time > bestTime + 1e-12
        if (better || (Math.abs(time - bestTime) <= 1e-12 && rank(glyph) < rank(best))) {
          best = glyph
          bestTime = time
        }
      }
      return best
    })
    lines.push(`${row.label.padEnd(labelWidth)}  ${cells.join("")}`.trimEnd())
  }
  return { lines, scale }
}

/** The axis: the start time of every 10th column (5th on charts under 30 columns), left-aligned. */
function axisLine(columns: number, scale: number): string {
  const every = columns < 30 ? 5 : 10
  const chars: string[] = Array.from({ length: columns + 8 }, () => " ")
  for (let c = 0; c <= columns; c += every) {
    const label = axisTime(c * scale)
    if (c > 0 && chars[c - 1] !== " ") continue
    if ([...label].some((_, i) => chars[c + i] !== " " && chars[c + i] !== undefined)) continue
    for (let i = 0; i < label.length; i++) chars[c + i] = label[i]!
  }
  return chars.join("").trimEnd()
}

/** The one-character name of job `id` in a CPU row: 0-9, then A-Z, then a-z, then `*`. */
export function jobGlyph(id: number): string {
  if (id < 10) return String(id)
  if (id < 36) return String.fromCharCode(65 + id - 10)
  if (id < 62) return String.fromCharCode(97 + id - 36)
  return "*"
}

/** Glyphs of {@link scheduleChart}. */
export const SCHEDULE_GLYPHS = { running: "█", ready: "░", io: "▒", ioWait: "-", idle: "·", switching: "s" } as const

/** The legend line of {@link scheduleChart}. */
export const SCHEDULE_LEGEND =
  "█ running  ░ ready (waiting for the CPU)  ▒ doing I/O  - waiting for the disk  (blank: not in the system)"

/**
 * The Gantt chart of a scheduling run: a row per job (running, ready, I/O), then a row per core
 * (which job runs, `s` while switching, `·` idle). When a column spans several time units, a job's
 * row shows █ if the job ran at all in it (else I/O, then the disk queue, then ready), and a core's
 * row shows the job that ran longest in it.
 */
export function scheduleChart(result: ScheduleResult, maxColumns = 100): Chart {
  const g = SCHEDULE_GLYPHS
  const busyOf = new Map<number, ChartSegment[]>(result.jobs.map((job) => [job.id, []]))
  for (const slice of result.slices)
    if (slice.kind === "run") busyOf.get(slice.job)!.push({ start: slice.start, end: slice.end, glyph: g.running })
  for (const io of result.io) {
    const busy = busyOf.get(io.job)!
    if (io.start > io.requested) busy.push({ start: io.requested, end: io.start, glyph: g.ioWait })
    busy.push({ start: io.start, end: io.end, glyph: g.io })
  }
  const coreSegments: ChartSegment[][] = Array.from({ length: result.cores }, () => [])
  for (const slice of result.slices) {
    coreSegments[slice.core]!.push({
      start: slice.start,
      end: slice.end,
      glyph: slice.kind === "switch" ? g.switching : jobGlyph(slice.job),
    })
  }
  const rows: ChartRow[] = result.jobs.map((job) => {
    const busy = busyOf.get(job.id)!
    busy.sort((a, b) => a.start - b.start)
    const segments: ChartSegment[] = []
    let t = job.arrival
    for (const segment of busy) {
      if (segment.start > t) segments.push({ start: t, end: segment.start, glyph: g.ready })
      segments.push(segment)
      t = Math.max(t, segment.end)
    }
    if (job.completion > t) segments.push({ start: t, end: job.completion, glyph: g.ready })
    return { label: `job ${job.id}`, segments, mode: "first" as const }
  })
  coreSegments.forEach((segments, core) =>
    rows.push({ label: result.cores === 1 ? "CPU" : `CPU ${core}`, segments, background: g.idle }),
  )
  return renderChart(rows, { end: result.makespan, maxColumns, glyphOrder: [g.running, g.io, g.ioWait, g.ready] })
}

/**
 * The MLFQ chart (OSTEP's figures 8.2–8.7): a row per queue, highest first; a column shows the
 * job that ran at that priority then, `·` when another queue's job ran or the CPU idled.
 */
export function mlfqChart(result: MlfqResult, maxColumns = 100): Chart {
  const rows: ChartRow[] = []
  for (let level = result.queues - 1; level >= 0; level--) {
    const segments: ChartSegment[] = []
    result.ran.forEach((job, t) => {
      if (job >= 0 && result.ranPriority[t] === level) segments.push({ start: t, end: t + 1, glyph: jobGlyph(job) })
    })
    rows.push({ label: `Q${level}`, segments, background: "·" })
  }
  return renderChart(rows, { end: result.ran.length, maxColumns })
}
