/**
 * Consumer lag per group and partition, as a time series and as a Prometheus scrape, from the same
 * numbers.
 *
 * Lag is the partition's high watermark minus the group's committed offset: what
 * `kafka-consumer-groups.sh --describe` prints as `LAG` (`LOG-END-OFFSET − CURRENT-OFFSET`, the
 * log end offset being what ListOffsets `latest` answers a consumer: the high watermark), and what
 * kafka_exporter exports as `kafka_consumergroup_lag` (the newest offset minus the committed one).
 * As kafka_exporter does, a topic is reported for a group once the group committed an offset for
 * one of its partitions; a partition of such a topic with no committed offset has lag -1
 * (docs/kafka-consumer-groups.md, "Lag"). The label is `group` (kafka_exporter calls it
 * `consumergroup`).
 *
 * The sampler is an observer: it reads the current leaders' high watermarks and the offsets store
 * directly, as a scrape would query the brokers, every `intervalMs` of simulated time.
 */
import type { ProcessGenerator, Simulation } from "../../../kernel/index.ts"
import type { TopicLayout } from "../topic-layout.ts"
import { partitionKey } from "./topic-partition.ts"

/** One lag reading. */
export interface LagPoint {
  readonly group: string
  readonly topic: string
  readonly partition: number
  /** The partition leader's high watermark (-1 when the partition has no leader). */
  readonly highWatermark: number
  /** The group's committed offset, or -1 when none. */
  readonly committed: number
  /** `highWatermark − committed`; -1 without a committed offset or without a leader. */
  readonly lag: number
}

/** The lag of every group at one instant. */
export interface LagSample {
  readonly t: number
  readonly points: readonly LagPoint[]
}

/** Where the lag comes from. */
export interface LagSource {
  readonly layout: TopicLayout
  /** The high watermark of flat partition `index` on its current leader, or -1 when it has none. */
  highWatermark(index: number): number
  /** The committed offsets of `group` (`t0-3` → next offset). */
  committed(group: string): ReadonlyMap<string, number>
  /** Every group with committed offsets. */
  readonly groups: readonly string[]
}

/** The lag of `groups` now, group by group, topic by topic in layout order, partition by partition. */
export function consumerLag(source: LagSource, groups: readonly string[] = source.groups): LagPoint[] {
  const points: LagPoint[] = []
  const hws = Array.from({ length: source.layout.totalPartitions }, (_, i) => source.highWatermark(i))
  for (const group of groups) {
    const committed = source.committed(group)
    for (const topic of source.layout.topics) {
      const partitions = source.layout.partitionsOfTopic(topic.name)
      if (!partitions.some((tp) => committed.has(partitionKey(tp)))) continue
      for (const tp of partitions) {
        const offset = committed.get(partitionKey(tp)) ?? -1
        const hw = hws[source.layout.flatIndex(tp)]!
        const lag = offset < 0 || hw < 0 ? -1 : hw - offset
        points.push({ group, topic: tp.topic, partition: tp.partition, highWatermark: hw, committed: offset, lag })
      }
    }
  }
  return points
}

/** Options of a {@link LagSampler}. */
export interface LagSamplerOptions {
  /** Sampling period, in ms of simulated time. Default 1000. */
  readonly intervalMs?: number
  /** Groups to sample. Default: every group with committed offsets at each sample. */
  readonly groups?: readonly string[]
}

/** Records the lag every `intervalMs` of simulated time, from time 0. */
export class LagSampler {
  /** The samples so far, oldest first. */
  readonly samples: LagSample[] = []
  readonly intervalMs: number

  constructor(
    private readonly sim: Simulation,
    private readonly source: LagSource,
    private readonly options: LagSamplerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1000
    if (!(this.intervalMs > 0 && this.intervalMs < Infinity))
      throw new RangeError(`intervalMs must be finite and > 0, got ${this.intervalMs}`)
    sim.spawn(this.run(), "lag-sampler")
  }

  /**
   * Takes a sample now (also what the process does every interval), and sets the gauge
   * `kafka_consumergroup_lag{group,topic,partition}` of `sim.metrics` for each point, so a scrape
   * of the registry (`--serve-metrics`, docs/live-metrics.md) shows the same numbers.
   */
  sample(): LagSample {
    const sample = { t: this.sim.now, points: consumerLag(this.source, this.options.groups ?? this.source.groups) }
    this.samples.push(sample)
    for (const point of sample.points) {
      const labels = { group: point.group, topic: point.topic, partition: String(point.partition) }
      this.sim.metrics.gauge("kafka_consumergroup_lag", LAG_HELP, { labels }).set(point.lag)
    }
    return sample
  }

  /** The latest sample, or undefined before the first. */
  get latest(): LagSample | undefined {
    return this.samples[this.samples.length - 1]
  }

  private *run(): ProcessGenerator<void> {
    for (;;) {
      this.sample()
      yield* this.sim.sleep(this.intervalMs)
    }
  }
}

/** The HELP text of `kafka_consumergroup_lag`. */
export const LAG_HELP =
  "Committed-offset lag of a consumer group on a topic partition: high watermark minus committed offset."

/**
 * `points` in the Prometheus text exposition format (version 0.0.4): a `# HELP` and a `# TYPE
 * kafka_consumergroup_lag gauge` line, then one line per point,
 * `kafka_consumergroup_lag{group="g",topic="t0",partition="0"} 42`, ending with a newline. Label
 * values escape `\`, `"` and line feeds as `\\`, `\"` and `\n`; the HELP text escapes `\` and line feeds.
 */
export function prometheusText(points: readonly LagPoint[]): string {
  const name = "kafka_consumergroup_lag"
  const lines = [`# HELP ${name} ${escapeHelp(LAG_HELP)}`, `# TYPE ${name} gauge`]
  for (const point of points) {
    const labels = `group="${escapeLabel(point.group)}",topic="${escapeLabel(point.topic)}",partition="${point.partition}"`
    lines.push(`${name}{${labels}} ${point.lag}`)
  }
  return lines.join("\n") + "\n"
}

/** A label value as the text format writes it. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")
}
