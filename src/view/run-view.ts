/**
 * What an HTML report shows, as plain data: the run's report ({@link HtmlReport}: inputs, verdicts,
 * rerun line, metrics, timeline, sections) and its charts ({@link RunView}: time series, Gantt
 * charts, a message-sequence diagram).
 *
 * Everything here is JSON: the page embeds the charts' data in a `<script type="application/json">`
 * tag that its client script reads, and the same data can be built in a browser (the playground).
 * Times are in the sim's time unit (`HtmlReport.timeUnit`).
 *
 * Sizes are bounded by the builders, not by the sims: a series is downsampled
 * (`downsample-series.ts`) and the message diagram keeps a window of the first messages with the
 * full count stated (`trace-view.ts`), so a report of a run of a million events stays a few MB.
 */

/** One point of a series: `[t, value]`. */
export type SeriesPoint = readonly [number, number]

/** One line of a time-series chart. */
export interface SeriesLine {
  /** The legend's name, e.g. `"queue length"`. */
  readonly name: string
  /** The points in time order. */
  readonly points: readonly SeriesPoint[]
}

/** Something that happened at an instant, drawn as a vertical mark on a chart: a crash, a pause. */
export interface ViewAnnotation {
  /** Simulated time, in the sim's time unit. */
  readonly t: number
  /** What happened, e.g. `"broker-0 crashed"`. */
  readonly text: string
}

/** A time-series chart: one or more lines over simulated time. */
export interface SeriesChart {
  /** The chart's heading, e.g. `"Queue length"`. */
  readonly title: string
  /** What the y axis counts, e.g. `"customers"`. */
  readonly yName: string
  /** The lines. */
  readonly lines: readonly SeriesLine[]
  /** True when the values hold until the next point (a count); false joins points with slopes. Default true. */
  readonly step?: boolean
  /** How many points the lines had before downsampling (absent: none was dropped). */
  readonly pointsBefore?: number
}

/** One bar of a Gantt chart: `lane` busy with `label` from `start` to `end`. */
export interface GanttBar {
  /** The lane's name (one of {@link GanttChart.lanes}). */
  readonly lane: string
  /** Start, in the sim's time unit. */
  readonly start: number
  /** End (after `start`), in the sim's time unit. */
  readonly end: number
  /** What ran, e.g. `"job 2"`; bars with the same label share a colour. */
  readonly label: string
}

/** A Gantt chart: lanes (cores, workers) with bars where they were busy. */
export interface GanttChart {
  /** The chart's heading, e.g. `"Schedule (round robin)"`. */
  readonly title: string
  /** The lanes, top first. */
  readonly lanes: readonly string[]
  /** The bars, in any order. */
  readonly bars: readonly GanttBar[]
  /** How many bars there were before a cap dropped the later ones (absent: none was dropped). */
  readonly barsBefore?: number
}

/** One message of the sequence diagram: an arrow from its sender's lane to its receiver's. */
export interface MessageArrow {
  /** The network's message id. */
  readonly id: number
  /** The sender's node. */
  readonly from: string
  /** The receiver's node. */
  readonly to: string
  /** When it was sent. */
  readonly sentAt: number
  /** When it was delivered or dropped (null: still in flight at the end of the window). */
  readonly endAt: number | null
  /** `"delivered"`, `"dropped: <reason>"` or `"in flight"`. */
  readonly fate: string
  /** The message's type (its `type` field, else the port). */
  readonly label: string
  /** The message body as JSON text, cut to a few hundred characters, when the run had it. */
  readonly body?: string
}

/** A stretch of a node's lane: down (crashed) or paused. */
export interface LaneState {
  /** The node. */
  readonly node: string
  /** `"crashed"` or `"paused"`. */
  readonly state: "crashed" | "paused"
  /** Start. */
  readonly start: number
  /** End (the end of the diagram when it never ended). */
  readonly end: number
}

/** The messages a message diagram opens on (zoomed to their span); the slider shows the rest. */
export const FIRST_VIEW_MESSAGES = 150

/** The message-sequence (space-time) diagram of a run on the simulated network. */
export interface MessageDiagram {
  /** One lane per node, in the order they first appear. */
  readonly nodes: readonly string[]
  /** The arrows shown: the first messages, up to a cap. */
  readonly messages: readonly MessageArrow[]
  /** How many messages the run sent in all (more than `messages.length` when capped). */
  readonly messagesTotal: number
  /** Crashes and pauses on the lanes. */
  readonly states: readonly LaneState[]
  /** Partitions, heals, clock jumps and other faults, as instants. */
  readonly faults: readonly ViewAnnotation[]
  /** The time the diagram ends at. */
  readonly endAt: number
  /** Which of the run's simulations it shows, e.g. `"run 1 of 3"`, when there were several. */
  readonly note?: string
}

/** The charts of a run; every field optional, a report without charts is still a report. */
export interface RunView {
  /** Time-series charts. */
  readonly series?: readonly SeriesChart[]
  /** Gantt charts. */
  readonly gantt?: readonly GanttChart[]
  /** The message-sequence diagram (the runner builds it from the network's trace records). */
  readonly messages?: MessageDiagram
  /** Faults to mark on every time-series chart (the runner adds the network's). */
  readonly annotations?: readonly ViewAnnotation[]
}

/** A check's verdict. */
export interface ViewCheck {
  readonly name: string
  readonly held: boolean
  readonly detail: string
}

/** The report part of an HTML report: what the text report says, as data. */
export interface HtmlReport {
  /** The sim's name. */
  readonly sim: string
  /** Its one-line title. */
  readonly title: string
  /** Covers / scenario lines of its header. */
  readonly covers: string
  readonly scenario: string
  /** Every flag with its value and meaning, as the text report echoes them: `[flag, value, about]`. */
  readonly params: readonly (readonly [string, string, string])[]
  /** The run's seed. */
  readonly seed: number
  /** The command that replays the run. */
  readonly rerun: string
  /** The trace hash. */
  readonly traceHash: string
  /** Simulated time at the end, in `timeUnit`. */
  readonly simTime: number
  /** The unit of every time: `"ms"`, `"s"`, `"ticks"`, ... */
  readonly timeUnit: string
  /** Digits after the decimal point when a time is shown. */
  readonly timeDecimals: number
  /** Events processed. */
  readonly events: number
  /** The checks' verdicts. */
  readonly checks: readonly ViewCheck[]
  /** The metrics of the JSON report. */
  readonly metrics: { readonly [key: string]: unknown }
  /** The timeline, when the run has one. */
  readonly timeline?: {
    readonly title: string
    readonly entries: readonly { readonly t: number; readonly text: string }[]
  }
  /** The text report's sections (tables, sparklines, lessons), laid out as text. */
  readonly sections?: readonly { readonly title: string; readonly lines: readonly string[] }[]
}
