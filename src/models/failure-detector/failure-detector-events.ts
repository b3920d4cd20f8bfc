/**
 * What the failure detector records in the trace: the monitor's verdicts about silence, one
 * past-tense event each. Heartbeats themselves are network records (`MessageSent`,
 * `MessageDelivered` of `src/net/net-events.ts`): the detector does not log them a second time.
 *
 * Every event names the silent `node`, the monitor that judged it (`by`) and how long the monitor
 * had heard nothing from it, in ms of the monitor's monotonic clock (`silenceMs`).
 */

/** The monitor suspected `node`: nothing was heard from it for the timeout. */
export interface NodeSuspected {
  readonly type: "NodeSuspected"
  readonly node: string
  readonly by: string
  readonly silenceMs: number
}

/** The monitor heard a suspected `node` again: the suspicion ends. */
export interface NodeTrusted {
  readonly type: "NodeTrusted"
  readonly node: string
  readonly by: string
  readonly silenceMs: number
}

/** The monitor heard `node` again after a silence over 1.5 heartbeat periods, without having suspected it. */
export interface SilenceEnded {
  readonly type: "SilenceEnded"
  readonly node: string
  readonly by: string
  readonly silenceMs: number
}

/** Every event the failure detector records. */
export type FailureDetectorEvent = NodeSuspected | NodeTrusted | SilenceEnded

/** True if `event` is one of the failure detector's events. */
export function isFailureDetectorEvent(event: { readonly type: string }): event is FailureDetectorEvent {
  switch (event.type) {
    case "NodeSuspected":
    case "NodeTrusted":
    case "SilenceEnded":
      return true
    default:
      return false
  }
}
