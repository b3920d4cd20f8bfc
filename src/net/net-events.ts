/**
 * What the network, its nodes, the RPC helper and the fault injector record in the trace: one
 * past-tense event type each. A model's timeline switches over `XEvent | NetEvent`; the lines for
 * faults are shared (`describeNetEvent` in `net-timeline.ts`).
 */
import type { DropReason } from "./network.ts"

/**
 * The key under which a `MessageSent` record carries the message itself for the trace's listeners
 * (an HTML report's sequence diagram shows it on hover). A symbol key: `JSON.stringify` skips it,
 * so the trace's lines and hash do not change, and the payload need not be JSON.
 */
export const MESSAGE_BODY: unique symbol = Symbol("message body")

/** A message left its sender (`message` only with the network's `traceMessages`). */
export interface MessageSent {
  readonly type: "MessageSent"
  readonly id: number
  readonly from: string
  readonly to: string
  readonly port: string
  readonly message?: unknown
  /** The message, for listeners only (see {@link MESSAGE_BODY}). */
  readonly [MESSAGE_BODY]?: unknown
}
/** The network delivered a second copy of a message. */
export interface MessageDuplicated {
  readonly type: "MessageDuplicated"
  readonly id: number
  readonly from: string
  readonly to: string
}
/** A message reached a partition in `hold` mode and waits for the heal. */
export interface MessageHeld {
  readonly type: "MessageHeld"
  readonly id: number
  readonly from: string
  readonly to: string
}
/** A message reached its receiver's mailbox. */
export interface MessageDelivered {
  readonly type: "MessageDelivered"
  readonly id: number
  readonly from: string
  readonly to: string
  readonly port: string
}
/** A message was lost, and why. */
export interface MessageDropped {
  readonly type: "MessageDropped"
  readonly id: number
  readonly from: string
  readonly to: string
  readonly reason: DropReason
}
/** A partition started: `groups` are cut off from each other (and from the rest when there is one group). */
export interface PartitionStarted {
  readonly type: "PartitionStarted"
  readonly partition: number
  readonly groups: readonly (readonly string[])[]
  readonly oneWay: boolean
}
/** A partition healed. */
export interface PartitionHealed {
  readonly type: "PartitionHealed"
  readonly partition: number
}
/** A link fault started on `from` → `to` (null: any node). */
export interface LinkFaultStarted {
  readonly type: "LinkFaultStarted"
  readonly linkFault: number
  readonly from: string | null
  readonly to: string | null
  readonly dropProbability: number
  readonly duplicateProbability: number
  readonly extraDelayMs: number
}
/** A link fault stopped. */
export interface LinkFaultStopped {
  readonly type: "LinkFaultStopped"
  readonly linkFault: number
}
/** A node's clock jumped by `skewMs` and now reads `clockMs`. */
export interface ClockSkewed {
  readonly type: "ClockSkewed"
  readonly node: string
  readonly skewMs: number
  readonly clockMs: number
}
/** A node's clock now runs `1 + driftRate` times real speed. */
export interface ClockDriftSet {
  readonly type: "ClockDriftSet"
  readonly node: string
  readonly driftRate: number
}
/** A node crashed: its processes were killed and its buffered messages lost. */
export interface NodeCrashed {
  readonly type: "NodeCrashed"
  readonly node: string
  readonly processesKilled: number
  readonly messagesLost: number
}
/** A node booted again (`incarnation` counts restarts from 1). */
export interface NodeRestarted {
  readonly type: "NodeRestarted"
  readonly node: string
  readonly incarnation: number
}
/** A node's disk was wiped (`entries` it held). */
export interface DiskLost {
  readonly type: "DiskLost"
  readonly node: string
  readonly entries: number
}
/** A node stalled (a GC or VM pause) until `untilMs`, or with no end (null). */
export interface NodePaused {
  readonly type: "NodePaused"
  readonly node: string
  readonly untilMs: number | null
}
/** A paused node resumed. */
export interface NodeResumed {
  readonly type: "NodeResumed"
  readonly node: string
}
/** An RPC call started. */
export interface RpcCalled {
  readonly type: "RpcCalled"
  readonly callId: number
  readonly from: string
  readonly to: string
  readonly service: string
}
/** An RPC call ended: answered (`ok`) or timed out after `attempts`. */
export interface RpcReturned {
  readonly type: "RpcReturned"
  readonly callId: number
  readonly ok: boolean
  readonly attempts: number
}
/** A reply came for a call no longer waiting (late or duplicated). */
export interface RpcReplyIgnored {
  readonly type: "RpcReplyIgnored"
  readonly callId: number
  readonly attempt: number
  readonly node: string
}
/** The fault plan's healing phase began: every fault ends. */
export interface HealingStarted {
  readonly type: "HealingStarted"
}
/** A planned fault could not strike (e.g. the node was already down), and why. */
export interface FaultSkipped {
  readonly type: "FaultSkipped"
  readonly fault: number
  readonly kind: string
  readonly node: string | null
  readonly reason: string
}

/** Every event of the network layer. */
export type NetEvent =
  | MessageSent
  | MessageDuplicated
  | MessageHeld
  | MessageDelivered
  | MessageDropped
  | PartitionStarted
  | PartitionHealed
  | LinkFaultStarted
  | LinkFaultStopped
  | ClockSkewed
  | ClockDriftSet
  | NodeCrashed
  | NodeRestarted
  | DiskLost
  | NodePaused
  | NodeResumed
  | RpcCalled
  | RpcReturned
  | RpcReplyIgnored
  | HealingStarted
  | FaultSkipped

/** The fault events: what a fault plan did (the part of `NetEvent` a timeline usually shows). */
export type FaultEvent =
  | PartitionStarted
  | PartitionHealed
  | LinkFaultStarted
  | LinkFaultStopped
  | ClockSkewed
  | ClockDriftSet
  | NodeCrashed
  | NodeRestarted
  | DiskLost
  | NodePaused
  | NodeResumed
  | HealingStarted
  | FaultSkipped

const NET_EVENT_TYPES: ReadonlySet<string> = new Set<NetEvent["type"]>([
  "MessageSent",
  "MessageDuplicated",
  "MessageHeld",
  "MessageDelivered",
  "MessageDropped",
  "PartitionStarted",
  "PartitionHealed",
  "LinkFaultStarted",
  "LinkFaultStopped",
  "ClockSkewed",
  "ClockDriftSet",
  "NodeCrashed",
  "NodeRestarted",
  "DiskLost",
  "NodePaused",
  "NodeResumed",
  "RpcCalled",
  "RpcReturned",
  "RpcReplyIgnored",
  "HealingStarted",
  "FaultSkipped",
])

/** True if `event` is one of the network layer's events. */
export function isNetEvent(event: { readonly type: string }): event is NetEvent {
  return NET_EVENT_TYPES.has(event.type)
}
