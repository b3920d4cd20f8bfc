/**
 * The failure detector's timeline: the events of a run a learner should see, in words — faults as
 * they strike (in the network layer's words, `describeFaultEvent`), silences as the monitor notices
 * them, and suspicions with the observer's verdict. Messages are left out: a heartbeat every 100 ms
 * per node would drown the story.
 *
 * A sim keeps only the records shown (`new TraceSample(sim.trace, isTimelineRecord, max)`) and
 * turns each into a line with {@link failureDetectorTimeline} once the run's suspicions are graded.
 */
import { formatMs, type Traced } from "../../kernel/index.ts"
import { isNetEvent, type NetEvent, netTimelineLine } from "../../net/index.ts"
import { type FailureDetectorEvent, isFailureDetectorEvent, type NodeSuspected } from "./failure-detector-events.ts"
import type { GradedSuspicion } from "./failure-detector-scenario.ts"

/** A record of a failure-detector run: the detector's events and the network's. */
export type FailureDetectorRecord = Traced<FailureDetectorEvent | NetEvent>

/** What the timeline needs besides a record. */
export interface FailureDetectorTimelineContext {
  /** The detector's timeout, in ms (said when a silence ends without a suspicion). */
  readonly timeoutMs: number
  /** The observer's verdict on a suspicion record; omitted or undefined: the line says none. */
  readonly verdictOf?: (record: Traced<NodeSuspected>) => GradedSuspicion | undefined
}

/** True if `record` is an event of a failure-detector run (the detector's or the network's). */
export function isFailureDetectorRecord(record: Traced): record is FailureDetectorRecord {
  return isFailureDetectorEvent(record) || isNetEvent(record)
}

/** True if the timeline shows `record` (whatever the verdicts): the filter of a `TraceSample`. */
export function isTimelineRecord(record: Traced): record is FailureDetectorRecord {
  return isFailureDetectorRecord(record) && failureDetectorTimeline(record, { timeoutMs: 0 }) !== undefined
}

/** The verdicts of a run's graded suspicions, looked up by the suspicion record's time and node. */
export function suspicionVerdicts(suspicions: readonly GradedSuspicion[]): FailureDetectorTimelineContext["verdictOf"] {
  return (record) => suspicions.find((suspicion) => suspicion.t === record.t && suspicion.node === record.node)
}

/** The timeline line of `record`, or undefined when the timeline leaves it out. */
export function failureDetectorTimeline(
  record: FailureDetectorRecord,
  context: FailureDetectorTimelineContext,
): string | undefined {
  switch (record.type) {
    case "NodeSuspected": {
      const graded = context.verdictOf?.(record)
      return `monitor SUSPECTS ${record.node} after ${formatMs(record.silenceMs)} of silence${verdict(graded)}`
    }
    case "NodeTrusted":
      return `monitor hears ${record.node} again after ${formatMs(record.silenceMs)} of silence: no longer suspected`
    case "SilenceEnded": {
      const timeout = formatMs(context.timeoutMs)
      return `monitor hears ${record.node} again after ${formatMs(record.silenceMs)} of silence (timeout ${timeout})`
    }
    default:
      return netTimelineLine(record)
  }
}

function verdict(graded: GradedSuspicion | undefined): string {
  if (graded === undefined) return ""
  return graded.correct ? " — correct: it is down" : ` — FALSE: it is alive (${graded.cause})`
}
