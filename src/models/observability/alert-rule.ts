/**
 * An alerting rule with `for:`, evaluated as Prometheus's rule manager does (see
 * docs/prometheus.md, "Alerts"): at every evaluation, if the condition returns a value the alert
 * becomes pending (its active time is that evaluation's time) unless it already is; a pending alert
 * fires at the first evaluation at least `for` after its active time; when the condition returns
 * nothing, a pending alert is dropped and a firing one resolves. With `for` 0 it fires at once.
 *
 * One alert per rule (the condition yields one series, as the lessons' aggregated expressions do).
 * Left out: labels and annotations, `keep_firing_for` (after 2.42), the resend delay to Alertmanager.
 */
import type { TraceOf } from "../../kernel/index.ts"
import type { ObservabilityEvent } from "./observability-events.ts"

/** Where an alert stands. */
export type AlertState = "inactive" | "pending" | "firing"

/** An alerting rule's state machine. */
export class AlertRule {
  private stateNow: AlertState = "inactive"
  private activeAt = 0
  /** When it first fired, if it has. */
  firstFiredAtMs: number | undefined
  /** Every change of state: the evaluation time and the state entered. */
  readonly transitions: { readonly tMs: number; readonly state: AlertState }[] = []

  constructor(
    readonly name: string,
    /** The `for` duration, in ms (>= 0). */
    readonly forMs: number,
    private readonly trace: TraceOf<ObservabilityEvent>,
  ) {
    if (!(forMs >= 0 && forMs < Infinity)) throw new RangeError(`alert ${name}: for must be >= 0 ms, got ${forMs}`)
  }

  /** The current state. */
  get state(): AlertState {
    return this.stateNow
  }

  /** One evaluation at `tMs`: `holds` is whether the condition returned a value. */
  evaluate(tMs: number, holds: boolean): AlertState {
    if (!holds) {
      if (this.stateNow !== "inactive") {
        this.trace.record({ type: "AlertResolved", alert: this.name, tMs, wasFiring: this.stateNow === "firing" })
        this.transitions.push({ tMs, state: "inactive" })
      }
      this.stateNow = "inactive"
      return this.stateNow
    }
    if (this.stateNow === "inactive") {
      this.stateNow = "pending"
      this.activeAt = tMs
      this.trace.record({ type: "AlertPending", alert: this.name, activeAtMs: tMs })
      this.transitions.push({ tMs, state: "pending" })
    }
    if (this.stateNow === "pending" && tMs - this.activeAt >= this.forMs) {
      this.stateNow = "firing"
      this.firstFiredAtMs ??= tMs
      this.trace.record({ type: "AlertFired", alert: this.name, tMs, activeAtMs: this.activeAt })
      this.transitions.push({ tMs, state: "firing" })
    }
    return this.stateNow
  }
}
