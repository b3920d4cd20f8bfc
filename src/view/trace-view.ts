/**
 * The message-sequence diagram of a run, built from the network's trace records as they are
 * recorded: `MessageSent` / `MessageDelivered` / `MessageDropped` become arrows between node lanes,
 * `NodeCrashed` ... `NodeRestarted` and `NodePaused` ... `NodeResumed` become stretches on the
 * lanes, and the other fault records (partitions, link faults, clock jumps) become instants.
 *
 * It listens to a trace (`Trace.listen`) instead of keeping it, and keeps only the first
 * {@link MAX_ARROWS} messages (a window; the total is counted), so a run of a million events costs
 * a few hundred kB here. A sim that runs several simulations (one per policy) gets the first one
 * that used the network. Nothing here changes what the run does or its trace hash.
 */
import type { Trace, Traced } from "../kernel/index.ts"
import { describeFaultEvent, isFaultEvent, type NetEvent } from "../net/index.ts"
import { MESSAGE_BODY } from "../net/net-events.ts"
import type { LaneState, MessageArrow, MessageDiagram, ViewAnnotation } from "./run-view.ts"

/** The messages the diagram draws at most: the first ones of the run. */
export const MAX_ARROWS = 1_500
/** Fault instants kept at most. */
export const MAX_FAULTS = 500
/** The longest message body kept, in characters. */
export const MAX_BODY_CHARS = 300

interface Pending {
  readonly id: number
  readonly from: string
  readonly to: string
  readonly sentAt: number
  readonly label: string
  readonly body?: string
  endAt: number | null
  fate: string
}

/** What one simulation's network did, as far as the diagram needs. */
class RunRecorder {
  readonly nodes: string[] = []
  readonly arrows: Pending[] = []
  readonly states: LaneState[] = []
  readonly faults: ViewAnnotation[] = []
  messagesTotal = 0
  endAt = 0
  private readonly open = new Map<number, Pending>()
  private readonly down = new Map<string, { state: "crashed" | "paused"; start: number }[]>()

  constructor(trace: Trace) {
    trace.listen((record) => this.take(record as Traced<NetEvent>))
  }

  /** True once the run has sent a message or struck a fault. */
  get used(): boolean {
    return this.messagesTotal > 0 || this.faults.length > 0 || this.states.length > 0 || this.down.size > 0
  }

  private take(record: Traced<NetEvent>): void {
    this.endAt = record.t
    switch (record.type) {
      case "MessageSent":
        return this.sent(record)
      case "MessageDelivered":
        return this.ended(record.id, record.t, "delivered")
      case "MessageDropped":
        return this.ended(record.id, record.t, `dropped: ${record.reason}`)
      case "NodeCrashed":
      case "NodePaused":
        this.lane(record.node)
        this.startState(record.node, record.type === "NodeCrashed" ? "crashed" : "paused", record.t)
        break
      case "NodeRestarted":
      case "NodeResumed":
        this.endState(record.node, record.type === "NodeRestarted" ? "crashed" : "paused", record.t)
        break
      default:
        break
    }
    if (isFaultEvent(record) && this.faults.length < MAX_FAULTS)
      this.faults.push({ t: record.t, text: describeFaultEvent(record) })
  }

  private sent(record: Traced<NetEvent> & { readonly type: "MessageSent" }): void {
    this.messagesTotal++
    this.lane(record.from)
    this.lane(record.to)
    if (this.arrows.length >= MAX_ARROWS) return
    const body = (record as unknown as Record<symbol, unknown>)[MESSAGE_BODY] ?? record.message
    const arrow: Pending = {
      id: record.id,
      from: record.from,
      to: record.to,
      sentAt: record.t,
      label: labelOf(body, record.port),
      ...(body === undefined ? {} : { body: bodyText(body) }),
      endAt: null,
      fate: "in flight",
    }
    this.arrows.push(arrow)
    this.open.set(record.id, arrow)
  }

  private ended(id: number, t: number, fate: string): void {
    const arrow = this.open.get(id)
    if (arrow === undefined) return
    this.open.delete(id)
    arrow.endAt = t
    arrow.fate = fate
  }

  private lane(node: string): void {
    if (!this.nodes.includes(node)) this.nodes.push(node)
  }

  private startState(node: string, state: "crashed" | "paused", t: number): void {
    const list = this.down.get(node) ?? []
    list.push({ state, start: t })
    this.down.set(node, list)
  }

  private endState(node: string, state: "crashed" | "paused", t: number): void {
    const list = this.down.get(node) ?? []
    const at = list.findIndex((open) => open.state === state)
    if (at < 0) return
    const [open] = list.splice(at, 1)
    this.states.push({ node, state, start: open!.start, end: t })
  }

  /** The diagram as it stands; stretches still open end at the end of the run. */
  diagram(note: string | undefined): MessageDiagram {
    const states = [...this.states]
    for (const [node, list] of this.down) for (const open of list) states.push({ node, ...open, end: this.endAt })
    states.sort((a, b) => a.start - b.start || a.node.localeCompare(b.node))
    const messages: MessageArrow[] = this.arrows.map((arrow) => ({ ...arrow }))
    return {
      nodes: this.nodes,
      messages,
      messagesTotal: this.messagesTotal,
      states,
      faults: this.faults,
      endAt: this.endAt,
      ...(note === undefined ? {} : { note }),
    }
  }
}

/** The label of an arrow: the message's `type` field when it has one, else the port it went to. */
function labelOf(body: unknown, port: string): string {
  if (typeof body === "object" && body !== null && typeof (body as { type?: unknown }).type === "string")
    return (body as { type: string }).type
  return port
}

/** The body as JSON text, cut to {@link MAX_BODY_CHARS}; a body JSON cannot show is described. */
function bodyText(body: unknown): string {
  let text: string
  try {
    text = JSON.stringify(body) ?? String(body)
  } catch {
    text = String(body)
  }
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}…` : text
}

/**
 * Listens to every simulation of a run (call {@link attach} with each one's trace) and builds the
 * message-sequence diagram of the first that used the network.
 */
export class MessageDiagramRecorder {
  private readonly runs: RunRecorder[] = []

  /** Starts listening to `trace` (a simulation of the run). */
  attach(trace: Trace): void {
    this.runs.push(new RunRecorder(trace))
  }

  /** The diagram, or undefined when no simulation sent a message or struck a fault. */
  diagram(): MessageDiagram | undefined {
    const index = this.runs.findIndex((run) => run.used)
    if (index < 0) return undefined
    const note = this.runs.length > 1 ? `run ${index + 1} of ${this.runs.length}` : undefined
    return this.runs[index]!.diagram(note)
  }
}
