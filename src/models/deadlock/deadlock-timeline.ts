/**
 * The deadlock lessons' stories in words, read from their typed trace records
 * (`deadlock-events.ts`): every step of the safety or detection scan with Work before and after,
 * each request's verdict with its reason, the wait-for graph and its cycle, each recovery victim.
 *
 * The switch covers the whole union (a `never` default), so a new event type does not compile
 * until its line is decided here. The models have no network, so there are no fault records.
 */
import type { Traced, TraceRecord } from "../../kernel/index.ts"
import type { DeadlockEvent } from "./deadlock-events.ts"

/** One line of a timeline: what happened at step `t`. */
export interface DeadlockTimelineLine {
  readonly t: number
  readonly text: string
}

const DEADLOCK_TYPES: ReadonlySet<string> = new Set<DeadlockEvent["type"]>([
  "ScanStarted",
  "ProcessFinished",
  "ScanEnded",
  "RequestMade",
  "RequestDecided",
  "WaitForGraphBuilt",
  "VictimRecovered",
])

/** True for a record of a deadlock model. */
export function isDeadlockRecord(record: Traced | TraceRecord): record is Traced<DeadlockEvent> {
  return DEADLOCK_TYPES.has(record.type)
}

const v = (vector: readonly number[]): string => `(${vector.join(",")})`
const seq = (names: readonly string[]): string => `<${names.join(", ")}>`

function unhandled(record: never): never {
  throw new Error(`no timeline line for ${JSON.stringify(record)}`)
}

/** The scan's end in words: safe or not, deadlocked or not. */
function scanEnded(record: Extract<DeadlockEvent, { type: "ScanEnded" }>, algorithm: string): string {
  if (algorithm === "detection")
    return record.left.length === 0
      ? `${record.context}: no deadlock; finishing order ${seq(record.order)}`
      : `${record.context}: DEADLOCKED ${record.left.join(", ")}: no pass can satisfy their requests`
  return record.left.length === 0
    ? `${record.context} is safe: ${seq(record.order)}`
    : `${record.context} is UNSAFE: no pass finds Need <= Work for ${record.left.join(", ")}`
}

/**
 * One line per record. `algorithm` follows the last `ScanStarted`, so a scan's end is told as a
 * safety or a detection verdict.
 */
export function deadlockTimeline(records: readonly Traced<DeadlockEvent>[]): DeadlockTimelineLine[] {
  let algorithm = "safety"
  return records.map((record) => ({ t: record.t, text: describe(record) }))

  function describe(record: Traced<DeadlockEvent>): string {
    switch (record.type) {
      case "ScanStarted": {
        algorithm = record.algorithm
        const idle =
          record.idle.length === 0
            ? ""
            : `; ${record.idle.join(", ")} ${record.idle.length === 1 ? "holds" : "hold"} nothing: finished at once`
        return record.algorithm === "safety"
          ? `safety check of ${record.context}: Work = Available = ${v(record.work)}`
          : `detection on ${record.context}: Work = Available = ${v(record.work)}${idle}`
      }
      case "ProcessFinished": {
        const demand = record.algorithm === "safety" ? "Need" : "Request"
        return `  pass ${record.pass}: ${record.process} ${demand} ${v(record.demand)} <= Work ${v(record.work)}: it finishes, Work = ${v(record.workAfter)}`
      }
      case "ScanEnded":
        return scanEnded(record, algorithm)
      case "RequestMade":
        return `request ${record.index}: ${record.process} asks for ${v(record.request)}`
      case "RequestDecided":
        return `request ${record.index} (${record.process}): ${record.verdict}: ${record.reason}; Available ${v(record.available)}`
      case "WaitForGraphBuilt":
        return record.cycle.length === 0
          ? `wait-for graph: ${record.edges.join(", ") || "no edges"}; no cycle`
          : `wait-for graph: ${record.edges.join(", ")}; cycle ${[...record.cycle, record.cycle[0]].join("→")}`
      case "VictimRecovered":
        return record.recovery === "preempt"
          ? `preempt: ${record.process} rolled back, releasing ${v(record.released)}; Available ${v(record.available)}`
          : `${record.recovery}: ${record.process} aborted, releasing ${v(record.released)}; Available ${v(record.available)}`
      default:
        return unhandled(record)
    }
  }
}
