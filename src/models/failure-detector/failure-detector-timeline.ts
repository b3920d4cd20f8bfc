/**
 * The events of a failure-detector run that a learner should see, in words: faults as they
 * strike, silences as the monitor notices them, suspicions with the observer's verdict.
 *
 * Built from the run's trace records (keep them: `trace: { keep: Infinity }`) and its graded
 * suspicions, which are in the same order as the `NodeSuspected` records. Messages themselves are
 * left out: a heartbeat every 100 ms per node would drown the story.
 */
import { formatMs, type TraceRecord } from "../../kernel/index.ts"
import { formatGroups } from "../../net/index.ts"
import type { FailureDetectorResult } from "./failure-detector-scenario.ts"

/** One line of the timeline. */
export interface TimelineLine {
  /** Simulated time, in ms. */
  readonly t: number
  readonly text: string
}

function percent(probability: number): string {
  return `${Number((probability * 100).toFixed(1))}%`
}

/** The timeline of a run, in trace order. */
export function failureDetectorTimeline(records: readonly TraceRecord[], result: FailureDetectorResult, timeoutMs: number): TimelineLine[] {
  const lines: TimelineLine[] = []
  let suspicion = 0
  for (const record of records) {
    const text = describe(record, () => result.suspicions[suspicion++], timeoutMs)
    if (text !== undefined) lines.push({ t: record.t, text })
  }
  return lines
}

function describe(
  record: TraceRecord,
  nextSuspicion: () => FailureDetectorResult["suspicions"][number] | undefined,
  timeoutMs: number,
): string | undefined {
  const node = String(record.node)
  switch (record.type) {
    case "NodePaused":
      return record.untilMs === null ? `${node} PAUSED (a GC or VM stall: it does not know)` : `${node} PAUSED until t=${formatMs(record.untilMs as number)} (a GC or VM stall: it does not know)`
    case "NodeResumed":
      return `${node} resumed, carrying on as if nothing happened`
    case "NodeCrashed":
      return `${node} CRASHED`
    case "NodeRestarted":
      return `${node} restarted`
    case "DiskLost":
      return `${node} lost its disk`
    case "PartitionStarted": {
      const groups = record.groups as string[][]
      return `PARTITION ${groups.length === 1 ? `${formatGroups(groups)} | rest` : formatGroups(groups, record.oneWay === true)}${record.oneWay === true ? " (one-way)" : ""}`
    }
    case "PartitionHealed":
      return `partition ${String(record.partition)} healed`
    case "LinkFaultStarted": {
      const effects: string[] = []
      if ((record.dropProbability as number) > 0) effects.push(`drop ${percent(record.dropProbability as number)}`)
      if ((record.duplicateProbability as number) > 0) effects.push(`duplicate ${percent(record.duplicateProbability as number)}`)
      if ((record.extraDelayMs as number) > 0) effects.push(`+${formatMs(record.extraDelayMs as number)} delay`)
      return `LINK FAULT ${String(record.from ?? "*")}->${String(record.to ?? "*")}: ${effects.length === 0 ? "no effect" : effects.join(", ")}`
    }
    case "LinkFaultStopped":
      return `link fault ${String(record.linkFault)} stopped`
    case "ClockSkewed":
      return `${node}'s clock jumps ${(record.skewMs as number) >= 0 ? "+" : ""}${formatMs(record.skewMs as number)}`
    case "ClockDriftSet":
      return `${node}'s clock now runs ${percent(record.driftRate as number)} ${(record.driftRate as number) >= 0 ? "fast" : "slow"}`
    case "HealingStarted":
      return "healing: every fault ends"
    case "FaultSkipped":
      return `fault ${String(record.fault)} (${String(record.kind)} ${node}) skipped: ${String(record.reason)}`
    case "NodeSuspected": {
      const graded = nextSuspicion()
      const verdict = graded === undefined ? "" : graded.correct ? " — correct: it is down" : ` — FALSE: it is alive (${graded.cause})`
      return `monitor SUSPECTS ${node} after ${formatMs(record.silenceMs as number)} of silence${verdict}`
    }
    case "NodeTrusted":
      return `monitor hears ${node} again after ${formatMs(record.silenceMs as number)} of silence: no longer suspected`
    case "SilenceEnded":
      return `monitor hears ${node} again after ${formatMs(record.silenceMs as number)} of silence (timeout ${formatMs(timeoutMs)})`
    default:
      return undefined
  }
}
