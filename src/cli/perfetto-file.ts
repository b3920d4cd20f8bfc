/**
 * `--perfetto FILE`: the run's trace as Chrome trace-event JSON, the format Perfetto UI
 * (ui.perfetto.dev, "Open trace file") and `chrome://tracing` read.
 *
 * The file is one JSON object: `traceEvents` (the events), `displayTimeUnit` and `otherData`
 * (the sim, its time unit and how many microseconds one unit is drawn as). Each simulation of
 * the run is a process (`run 1`, `run 2`, ... — a sim that compares policies runs several); in it,
 * one track (thread) per subject of the records: the node, member, client, broker, ... a record
 * names first (see {@link SUBJECT_FIELDS}; a message delivered goes to its receiver's track), else
 * one `events` track. A subject given as a string names its track (`b1`, `c0`); a number is
 * prefixed with its field (`job 3`). A record is an instant event
 * on its subject's track, named by its type, with its fields as `args`. A network message is drawn
 * as an async slice from `MessageSent` to `MessageDelivered` or `MessageDropped` (a lane per
 * message in flight, named `from→to`), so latency, loss and partitions show as spans.
 *
 * Timestamps are microseconds: a simulated second is 1,000,000, a millisecond 1,000, and a unit
 * without a physical meaning (a tick, a step) is drawn as one millisecond.
 *
 * Lines come from the Trace's `write` option, as for `--trace` (`trace-file.ts`), and events are
 * written in chunks as they come; the names of the tracks follow at the end. The file is opened
 * before the run, so a path that cannot be written is bad input and no file is left behind.
 */
import { TraceFile, type TraceSink } from "./trace-file.ts"

/** Fields that name what a record is about, in order of preference: the first present is its track. */
export const SUBJECT_FIELDS = [
  "node",
  "member",
  "consumer",
  "client",
  "broker",
  "server",
  "worker",
  "job",
  "process",
  "from",
]

/** How many microseconds one unit of simulated time is drawn as, by the unit's suffix. */
export function microsecondsPerUnit(unit: string): number {
  if (unit === "s") return 1_000_000
  if (unit === "ms") return 1_000
  if (unit === "us" || unit === "µs") return 1
  return 1_000
}

/** What the file says about the run besides its events. */
export interface PerfettoRun {
  /** The sim's name. */
  readonly sim: string
  /** The unit of simulated time (`"ms"`, `"s"`, `"ticks"`, ...). */
  readonly timeUnit: string
  /** The unit's suffix, which decides the scale (see {@link microsecondsPerUnit}). */
  readonly unitSuffix: string
}

interface Track {
  readonly pid: number
  readonly tid: number
  readonly name: string
}

/** A trace sink writing Chrome trace-event JSON. */
export class PerfettoFile implements TraceSink {
  private readonly file: TraceFile
  private readonly scale: number
  private readonly tracks = new Map<string, Track>()
  private pid = 0
  private first = true
  private closed = false

  /**
   * Creates (or truncates) the file at `path` and writes the opening of the JSON object.
   * @throws the `fs` error (ENOENT, EACCES, EISDIR, ...) when it cannot be opened for writing.
   */
  constructor(
    readonly path: string,
    readonly run: PerfettoRun,
  ) {
    this.file = new TraceFile(path)
    this.scale = microsecondsPerUnit(run.unitSuffix)
    const otherData = { sim: run.sim, timeUnit: run.timeUnit, microsecondsPerUnit: this.scale }
    this.file.write(`{"displayTimeUnit":"ms","otherData":${JSON.stringify(otherData)},"traceEvents":[`)
  }

  /** Converts one trace line (`{"t":..,"seq":..,"type":..,...}`) into events. */
  write(line: string): void {
    const record = JSON.parse(line) as Record<string, unknown> & { t: number; seq: number; type: string }
    if (record.seq === 0 || this.pid === 0) this.startProcess()
    const { t, seq: _seq, type, ...args } = record
    const ts = t * this.scale
    const pid = this.pid
    if (type === "MessageSent" || type === "MessageDelivered" || type === "MessageDropped") {
      const phase = type === "MessageSent" ? "b" : "e"
      const name = `${String(args.from)}→${String(args.to)}`
      this.event({ name, cat: "message", ph: phase, ts, pid, tid: 0, id: `${pid}:${String(args.id)}`, args })
      if (type === "MessageSent") return
    }
    const track = this.track(type === "MessageDelivered" ? String(args.to) : this.subjectOf(args))
    this.event({ name: type, cat: "record", ph: "i", s: "t", ts, pid, tid: track.tid, args })
  }

  /** Writes the track names and the end of the JSON object, and closes the file; a second close does nothing. */
  close(): void {
    if (this.closed) return
    this.closed = true
    for (const track of this.tracks.values()) {
      this.event({ name: "thread_name", ph: "M", pid: track.pid, tid: track.tid, args: { name: track.name } })
    }
    this.file.write("]}")
    this.file.close()
  }

  /** Why a write failed (a full disk), or undefined. */
  failure(): string | undefined {
    return this.file.failure()
  }

  private startProcess(): void {
    this.pid++
    this.event({ name: "process_name", ph: "M", pid: this.pid, tid: 0, args: { name: `run ${this.pid}` } })
  }

  private subjectOf(args: Record<string, unknown>): string {
    for (const field of SUBJECT_FIELDS) {
      const value = args[field]
      if (typeof value === "string") return value
      if (typeof value === "number") return `${field} ${value}`
    }
    return "events"
  }

  private track(name: string): Track {
    const key = `${this.pid}/${name}`
    let track = this.tracks.get(key)
    if (track === undefined) {
      track = { pid: this.pid, tid: this.tracks.size + 1, name }
      this.tracks.set(key, track)
    }
    return track
  }

  private event(event: Record<string, unknown>): void {
    this.file.write(`${this.first ? "" : ","}${JSON.stringify(event)}`)
    this.first = false
  }
}
