/**
 * The text a `--serve-metrics` endpoint serves while a paced run runs: two series of the runner's
 * own, then the running simulation's metrics registry (`sim.metrics`, which the models fill), in the
 * Prometheus text exposition format (version 0.0.4).
 *
 *     # HELP simsys_simulated_seconds Simulated time the running simulation has reached.
 *     # TYPE simsys_simulated_seconds gauge
 *     simsys_simulated_seconds{sim="thread-pool"} 12.5
 *     # HELP simsys_events_processed_total Events the running simulation has processed.
 *     # TYPE simsys_events_processed_total counter
 *     simsys_events_processed_total{sim="thread-pool"} 10234
 *
 * A sim whose clock counts ticks or steps exports `simsys_simulated_ticks` (`_steps`, ...) in its
 * own unit instead. When a sim runs several simulations one after the other, the endpoint shows the
 * current one: its counters start again from zero, which Prometheus's `rate()` reads as a reset.
 * The text is rebuilt at most every {@link LIVE_PUBLISH_MS} of wall time, and once at the end.
 */
import type { Simulation } from "../kernel/index.ts"
import type { TimeFormat } from "./define-sim.ts"

/** Wall-clock milliseconds between two rebuilds of the served text. */
export const LIVE_PUBLISH_MS = 250

/** The sim clock's unit as the live metrics name it. */
export interface LiveUnit {
  /** Units of the sim's clock per second (1000 for ms; 1 for s and for units that are not a time). */
  readonly perSecond: number
  /** The suffix of the simulated-time gauge: `seconds`, `ticks`, `steps`, ... */
  readonly name: string
}

/** The unit of a sim's clock: `s` and `ms` are exported in seconds, anything else in its own unit. */
export function liveUnit(time: TimeFormat | undefined): LiveUnit {
  const unit = time?.unit ?? ""
  if (unit === "s") return { perSecond: 1, name: "seconds" }
  if (unit === "ms") return { perSecond: 1000, name: "seconds" }
  const name = (time?.unitName ?? "time_units").replace(/[^a-zA-Z0-9_]/g, "_")
  return { perSecond: 1, name }
}

/** Builds and publishes the served text. */
export class LiveMetrics {
  private current: Simulation | undefined
  private simTime = 0
  private lastPublishMs = -Infinity
  private publish: ((text: string) => void) | undefined

  constructor(
    private readonly simName: string,
    readonly unit: LiveUnit,
    private readonly nowMs: () => number,
  ) {}

  /** Where each rebuilt text goes (the metrics server). */
  publishTo(publish: (text: string) => void): void {
    this.publish = publish
  }

  /**
   * After a slice of `sim`'s run, paced up to `simTime` (the clock may still be at the last event
   * before it): rebuilds and publishes the text if it is time to.
   */
  update(sim: Simulation, simTime: number = sim.now): void {
    this.current = sim
    this.simTime = simTime
    if (this.publish === undefined) return
    const now = this.nowMs()
    if (now - this.lastPublishMs < LIVE_PUBLISH_MS) return
    this.lastPublishMs = now
    this.publish(this.text())
  }

  /** Publishes the final text (the run's end state). */
  flush(): void {
    this.publish?.(this.text())
  }

  /** The exposition text now. */
  text(): string {
    const sim = this.current
    const label = `{sim="${this.simName.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"}`
    const timeName = `simsys_simulated_${this.unit.name}`
    // Microseconds are plenty for a scrape, and spare it a paced time's last-bit noise.
    const simTime = sim === undefined ? 0 : Math.round((this.simTime / this.unit.perSecond) * 1e6) / 1e6
    const lines = [
      `# HELP ${timeName} Simulated time the running simulation has reached.`,
      `# TYPE ${timeName} gauge`,
      `${timeName}${label} ${simTime}`,
      "# HELP simsys_events_processed_total Events the running simulation has processed.",
      "# TYPE simsys_events_processed_total counter",
      `simsys_events_processed_total${label} ${sim === undefined ? 0 : sim.eventsProcessed}`,
    ]
    return `${lines.join("\n")}\n${sim === undefined ? "" : sim.metrics.toPrometheus()}`
  }
}
