/**
 * The timeline's words for the network layer's fault events, shared by every model's timeline:
 * faults as they strike (`n1 PAUSED until t=600.0ms`, `PARTITION n2 | rest`), in one voice.
 * Message events are left to the model (a heartbeat every 100 ms would drown the story).
 */
import { formatMs } from "../kernel/index.ts"
import { type FaultEvent, isNetEvent, type NetEvent } from "./net-events.ts"
import { formatGroups } from "./partition.ts"

/** The timeline line of a fault event. */
export function describeFaultEvent(event: FaultEvent): string {
  switch (event.type) {
    case "NodePaused":
      return event.untilMs === null
        ? `${event.node} PAUSED (a GC or VM stall: it does not know)`
        : `${event.node} PAUSED until t=${formatMs(event.untilMs)} (a GC or VM stall: it does not know)`
    case "NodeResumed":
      return `${event.node} resumed, carrying on as if nothing happened`
    case "NodeCrashed":
      return `${event.node} CRASHED`
    case "NodeRestarted":
      return `${event.node} restarted`
    case "DiskLost":
      return `${event.node} lost its disk`
    case "PartitionStarted": {
      const groups = event.groups.map((group) => [...group])
      const cut = groups.length === 1 ? `${formatGroups(groups)} | rest` : formatGroups(groups, event.oneWay)
      return `PARTITION ${cut}${event.oneWay ? " (one-way)" : ""}`
    }
    case "PartitionHealed":
      return `partition ${event.partition} healed`
    case "LinkFaultStarted":
      return `LINK FAULT ${event.from ?? "*"}->${event.to ?? "*"}: ${linkEffects(event)}`
    case "LinkFaultStopped":
      return `link fault ${event.linkFault} stopped`
    case "ClockSkewed":
      return `${event.node}'s clock jumps ${event.skewMs >= 0 ? "+" : ""}${formatMs(event.skewMs)}`
    case "ClockDriftSet":
      return `${event.node}'s clock now runs ${percent(Math.abs(event.driftRate))} ${event.driftRate >= 0 ? "fast" : "slow"}`
    case "HealingStarted":
      return "healing: every fault ends"
    case "FaultSkipped":
      return `fault ${event.fault} (${event.kind}${event.node === null ? "" : ` ${event.node}`}) skipped: ${event.reason}`
    default:
      return unreachable(event)
  }
}

/** The fault events among the network layer's events (works on stamped records too). */
export function isFaultEvent<E extends { readonly type: string }>(event: E): event is E & FaultEvent {
  switch ((event as unknown as NetEvent).type) {
    case "MessageSent":
    case "MessageDuplicated":
    case "MessageHeld":
    case "MessageDelivered":
    case "MessageDropped":
    case "RpcCalled":
    case "RpcReturned":
    case "RpcReplyIgnored":
      return false
    default:
      return isNetEvent(event)
  }
}

function linkEffects(event: Extract<FaultEvent, { type: "LinkFaultStarted" }>): string {
  const effects: string[] = []
  if (event.dropProbability > 0) effects.push(`drop ${percent(event.dropProbability)}`)
  if (event.duplicateProbability > 0) effects.push(`duplicate ${percent(event.duplicateProbability)}`)
  if (event.extraDelayMs > 0) effects.push(`+${formatMs(event.extraDelayMs)} delay`)
  return effects.length === 0 ? "no effect" : effects.join(", ")
}

/** A probability as a percentage with at most one decimal: 0.25 → `25%`, 0.125 → `12.5%`. */
function percent(probability: number): string {
  return `${Number((probability * 100).toFixed(1))}%`
}

function unreachable(event: never): never {
  throw new Error(`no timeline line for ${JSON.stringify(event)}`)
}

/**
 * A network-layer record in a model's timeline: a fault in the shared voice ({@link describeFaultEvent}),
 * a message or RPC left out. A model's timeline switches over its own events (and any network
 * events it tells its own way) and ends with `default: return netTimelineLine(record)`: a model
 * event it forgot is not a `NetEvent`, so the switch stays exhaustive at compile time.
 */
export function netTimelineLine(record: NetEvent): string | undefined {
  return isFaultEvent(record) ? describeFaultEvent(record) : undefined
}
