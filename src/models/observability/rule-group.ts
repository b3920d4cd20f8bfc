/**
 * A rule group as Prometheus's rule manager runs one: its rules evaluated in order every
 * `evaluation_interval`, at the group's own offset within the interval. See docs/prometheus.md
 * ("Rules").
 *
 * - Evaluation times are `offset + k × interval` (ms from the run's start), the first one strictly
 *   after the group starts, as `Group.EvalTimestamp` slots them. Prometheus's offset is a hash of the
 *   group's name and file (xxhash of its labels, in ns) modulo the interval; here FNV-1a of
 *   `file;name` modulo the interval in ms.
 * - A recording rule stores its result as a new series named by the rule, stamped with the
 *   evaluation time; later rules of the group see it at that time. A series the rule returned at
 *   the last evaluation but not at this one gets a staleness marker, as Prometheus writes one. An alerting rule feeds "the
 *   expression returned something" to its {@link AlertRule}.
 * - The group evaluates time t over the samples stamped at or before t. A live Prometheus evaluates
 *   at t at once and can miss a sample whose scrape started before t but is answered after; this
 *   group waits `settleMs` past t (the scrape timeout: every scrape started by t has been answered
 *   or given up by then), so it sees exactly what a replay of the stored samples sees.
 */
import type { TraceOf } from "../../kernel/index.ts"
import type { NetworkContext } from "../../net/index.ts"
import type { AlertRule } from "./alert-rule.ts"
import type { ObservabilityEvent } from "./observability-events.ts"
import { evaluateExpr, type Expr, type VectorSample } from "./promql-expr.ts"
import { fnv1a } from "./scraper.ts"
import { type Labels, type SeriesStore, seriesKey } from "./series-store.ts"

/** A recording rule (`record: name`) or an alerting rule (`alert:` with its state machine). */
export type Rule = { readonly record: string; readonly expr: Expr } | { readonly alert: AlertRule; readonly expr: Expr }

/** Options of a {@link RuleGroup}. */
export interface RuleGroupOptions {
  /** The node Prometheus runs on. Required. */
  readonly node: string
  /** The group's name. Required. */
  readonly name: string
  /** The rule file's name (part of the offset's hash). Default `"rules.yml"`. */
  readonly file?: string
  /** `evaluation_interval`, in ms. Default 15000. */
  readonly intervalMs?: number
  /** How long after an evaluation time the group evaluates it, in ms (see the file header). Default 0. */
  readonly settleMs?: number
  readonly rules: readonly Rule[]
  /** Where alert events go (`sim.trace`). Required. */
  readonly trace: TraceOf<ObservabilityEvent>
}

/** Evaluates its rules over `store` every interval. */
export class RuleGroup {
  readonly intervalMs: number
  /** Every evaluation time so far, in ms. */
  readonly evaluationTimesMs: number[] = []
  /** Each recording rule's series at the last evaluation (a series that disappears gets a staleness marker). */
  private readonly recordedBefore = new Map<string, Map<string, Labels>>()

  /**
   * Starts the evaluation loop on the Prometheus node.
   * @throws RangeError when the interval is not > 0
   */
  constructor(
    private readonly network: NetworkContext,
    private readonly store: SeriesStore,
    private readonly options: RuleGroupOptions,
  ) {
    this.intervalMs = options.intervalMs ?? 15_000
    if (!(this.intervalMs > 0 && this.intervalMs < Infinity))
      throw new RangeError(`intervalMs must be > 0, got ${this.intervalMs}`)
    const node = network.node(options.node)
    node.spawn(this.loop(), `rules ${options.name}`)
  }

  /** The group's offset within the interval, in ms. */
  get offsetMs(): number {
    return fnv1a(`${this.options.file ?? "rules.yml"};${this.options.name}`) % Math.floor(this.intervalMs)
  }

  /** The first evaluation time strictly after `startMs`. */
  firstEvaluationMs(startMs: number): number {
    const k = Math.floor((startMs - this.offsetMs) / this.intervalMs) + 1
    return this.offsetMs + k * this.intervalMs
  }

  /** Evaluates every rule at `tMs`, in order; returns each rule's result. */
  evaluate(tMs: number): VectorSample[][] {
    this.evaluationTimesMs.push(tMs)
    return this.options.rules.map((rule) => {
      const result = evaluateExpr(rule.expr, this.store, tMs)
      if ("record" in rule) {
        const current = new Map<string, Labels>()
        for (const sample of result) {
          const labels = { ...sample.labels, __name__: rule.record }
          current.set(seriesKey(labels), labels)
          this.store.append(labels, tMs, sample.value)
        }
        const previous = this.recordedBefore.get(rule.record) ?? new Map<string, Labels>()
        for (const [key, labels] of previous) if (!current.has(key)) this.store.append(labels, tMs, NaN, true)
        this.recordedBefore.set(rule.record, current)
      } else {
        rule.alert.evaluate(tMs, result.length > 0)
      }
      return result
    })
  }

  private *loop() {
    const sim = this.network.sim
    const settleMs = this.options.settleMs ?? 0
    for (let t = this.firstEvaluationMs(sim.now); ; t += this.intervalMs) {
      if (t + settleMs > sim.now) yield sim.timeout(t + settleMs - sim.now)
      this.evaluate(t)
    }
  }
}
