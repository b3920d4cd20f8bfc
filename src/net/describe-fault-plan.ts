/**
 * Fault plans in words: one line per fault, in time order, for sim output and failure messages.
 *
 * ```
 * t=50ms   pause n2 for 500ms
 * t=100ms  partition {a,b} | {c} until 300ms
 * t=120ms  crash n1, disk lost, restart at 400ms
 * t=800ms  heal: partitions heal, paused nodes resume, crashed nodes restart, link faults stop
 * ```
 *
 * Faults at the same time keep their plan order. Left out: the JSON form (print
 * `JSON.stringify(plan)` for a replayable `--faults` flag).
 */
import type { Fault, FaultPlan } from "./fault-plan.ts"

/** The plan as lines of text joined by newlines; `no faults` for an empty plan without healing. */
export function describeFaultPlan(plan: FaultPlan): string {
  return describeFaultPlanLines(plan).join("\n")
}

/** The plan as lines of text, in time order, the healing phase last. */
export function describeFaultPlanLines(plan: FaultPlan): string[] {
  const entries = plan.faults.map((fault) => ({ at: fault.at, text: describeFault(fault, plan.healAt) }))
  if (plan.healAt !== undefined) {
    entries.push({
      at: plan.healAt,
      text: "heal: partitions heal, paused nodes resume, crashed nodes restart, link faults stop",
    })
  }
  if (entries.length === 0) return ["no faults"]
  entries.sort((a, b) => a.at - b.at)
  const width = entries.reduce((widest, entry) => Math.max(widest, formatAt(entry.at).length), 0)
  return entries.map((entry) => `${formatAt(entry.at).padEnd(width)}  ${entry.text}`)
}

/** One fault in words, without its time: `crash n1, restart at 400ms`. */
export function describeFault(fault: Fault, healAt?: number): string {
  const untilHeal = healAt === undefined ? "for good" : "until heal"
  switch (fault.kind) {
    case "crash": {
      const parts = [`crash ${fault.node}`]
      if (fault.diskLoss === true) parts.push("disk lost")
      if (fault.restart === false) parts.push("stays down")
      else if (fault.restartAt !== undefined) parts.push(`restart at ${ms(fault.restartAt)}`)
      else parts.push(healAt === undefined ? "never restarts" : "restart at heal")
      return parts.join(", ")
    }
    case "pause":
      return `pause ${fault.node} for ${ms(fault.durationMs)}`
    case "partition": {
      const groups = fault.groups.map((group) => `{${group.join(",")}}`)
      const sets =
        fault.groups.length === 1 ? `${groups[0]} | rest` : groups.join(fault.oneWay === true ? " -> " : " | ")
      const oneWay =
        fault.oneWay === true ? (fault.groups.length === 1 ? " (one-way, outgoing cut)" : " (one-way)") : ""
      const end = fault.healAt !== undefined ? `until ${ms(fault.healAt)}` : untilHeal
      return `partition ${sets}${oneWay} ${end}`
    }
    case "clock": {
      const parts: string[] = []
      if (fault.skewMs !== undefined) parts.push(`skew ${signed(round(fault.skewMs))}ms`)
      if (fault.driftRate !== undefined) parts.push(`drift ${signed(round(fault.driftRate * 100))}%`)
      return `clock ${fault.node} ${parts.length === 0 ? "unchanged" : parts.join(", ")}`
    }
    case "link": {
      const parts: string[] = []
      if (fault.dropProbability !== undefined && fault.dropProbability > 0)
        parts.push(`drop ${percent(fault.dropProbability)}`)
      if (fault.duplicateProbability !== undefined && fault.duplicateProbability > 0) {
        parts.push(`duplicate ${percent(fault.duplicateProbability)}`)
      }
      if (fault.extraDelayMs !== undefined && fault.extraDelayMs > 0) parts.push(`+${ms(fault.extraDelayMs)} delay`)
      if (parts.length === 0) parts.push("no effect")
      const end = fault.until !== undefined ? `until ${ms(fault.until)}` : untilHeal
      return `link ${fault.from ?? "*"}->${fault.to ?? "*"} ${parts.join(", ")} ${end}`
    }
  }
}

function formatAt(at: number): string {
  return `t=${ms(at)}`
}

function ms(value: number): string {
  return `${round(value)}ms`
}

function round(value: number): number {
  return Number(value.toPrecision(6))
}

function signed(value: number): string {
  return value >= 0 ? `+${value}` : `${value}`
}

function percent(probability: number): string {
  return `${Number((probability * 100).toPrecision(3))}%`
}
