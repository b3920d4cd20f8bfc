/**
 * The checks of a flow-control run, replaying what the client sent and heard in order
 * (docs/http2.md, "Flow control"), independently of the client's own bookkeeping:
 *
 * - `stream-window-respected`: every stream sent at most its credit: the initial window in force
 *   when it opened, plus the WINDOW_UPDATEs on it, plus every change of
 *   SETTINGS_INITIAL_WINDOW_SIZE while it could send (the delta rule).
 * - `connection-window-respected`: all streams together sent at most 65,535 plus the WINDOW_UPDATEs
 *   on stream 0.
 *
 * An update that would take a window past 2^31 − 1, or an increment of 0, gives no credit (the
 * client answers it with an error instead).
 */
import { type CheckResult, fails, holds } from "../../check/core/index.ts"
import { formatCount } from "../../kernel/index.ts"
import type { CreditStep, FlowControlResult } from "./flow-control-scenario.ts"
import { DEFAULT_INITIAL_WINDOW, MAX_WINDOW } from "./http2-frames.ts"

/** The first step at which a window was overrun, or undefined; and the octets sent and granted. */
interface Replay {
  readonly overrun:
    { readonly step: number; readonly stream: number; readonly window: number; readonly octets: number } | undefined
  readonly sent: Map<number, number>
  readonly granted: Map<number, number>
}

/** Replays the steps for the streams (`connection` false) or the connection (true). */
function replay(steps: readonly CreditStep[], connection: boolean): Replay {
  let initial = DEFAULT_INITIAL_WINDOW
  const windows = new Map<number, number>(connection ? [[0, DEFAULT_INITIAL_WINDOW]] : [])
  const sent = new Map<number, number>()
  const granted = new Map<number, number>(connection ? [[0, DEFAULT_INITIAL_WINDOW]] : [])
  const grant = (stream: number, octets: number): void => {
    windows.set(stream, windows.get(stream)! + octets)
    granted.set(stream, granted.get(stream)! + octets)
  }
  for (const [i, step] of steps.entries()) {
    if (step.kind === "open" && !connection) {
      windows.set(step.stream, initial)
      granted.set(step.stream, initial)
    } else if (step.kind === "initial-window" && !connection) {
      for (const stream of windows.keys()) grant(stream, step.value - initial)
      initial = step.value
    } else if (step.kind === "update" && (step.stream === 0) === connection && windows.has(step.stream)) {
      const window = windows.get(step.stream)!
      if (step.increment > 0 && window + step.increment <= MAX_WINDOW) grant(step.stream, step.increment)
    } else if (step.kind === "data") {
      const stream = connection ? 0 : step.stream
      const window = windows.get(stream) ?? 0
      if (step.octets > window)
        return { overrun: { step: i, stream: step.stream, window, octets: step.octets }, sent, granted }
      windows.set(stream, window - step.octets)
      sent.set(stream, (sent.get(stream) ?? 0) + step.octets)
    }
  }
  return { overrun: undefined, sent, granted }
}

/** `stream-window-respected`: see the file header. */
export function checkStreamWindowRespected(result: FlowControlResult): CheckResult {
  const name = "stream-window-respected"
  const { overrun, sent, granted } = replay(result.steps, false)
  if (overrun !== undefined)
    return fails(
      name,
      `stream ${overrun.stream} sent a ${formatCount(overrun.octets)}-octet DATA frame with a window of ${formatCount(overrun.window)}`,
    )
  const streams = [...granted.keys()]
  if (streams.length === 0) return holds(name, "no stream opened")
  const words = streams.map((s) => `${s}: ${formatCount(sent.get(s) ?? 0)} / ${formatCount(granted.get(s)!)}`)
  return holds(
    name,
    `every DATA frame fit its stream's window (octets sent / credited, initial window + SETTINGS changes + WINDOW_UPDATEs, per stream: ${words.join("; ")})`,
  )
}

/** `connection-window-respected`: see the file header. */
export function checkConnectionWindowRespected(result: FlowControlResult): CheckResult {
  const name = "connection-window-respected"
  const { overrun, sent, granted } = replay(result.steps, true)
  if (overrun !== undefined)
    return fails(
      name,
      `stream ${overrun.stream} sent a ${formatCount(overrun.octets)}-octet DATA frame with ${formatCount(overrun.window)} left on the connection`,
    )
  return holds(
    name,
    `the streams sent ${formatCount(sent.get(0) ?? 0)} octets in all, of ${formatCount(granted.get(0)!)} granted (65,535 + WINDOW_UPDATEs on stream 0)`,
  )
}
