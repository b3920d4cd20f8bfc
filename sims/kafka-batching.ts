/**
 * Kafka batching: what do linger.ms and batch.size buy, and what do they cost?
 * Covers: the record accumulator, linger.ms, batch.size, requests per record, produce latency.
 * Scenario: a producer writes 20000 records of 100 bytes at 20000/s to 3 partitions (RF 3,
 *   acks=all); the run is repeated across a sweep of linger.ms and batch.size values.
 * Try: --linger-ms 0 (a request per few records), --linger-ms 50 (fewer, fuller requests, higher
 *   latency), --batch-size 1024 (batches fill early), --rate 2000.
 *
 * The model has no per-request CPU or bandwidth cost at the brokers, so the price of small batches
 * shows as the number of requests (the load a real broker pays for), not as lost throughput —
 * unless the producer hits max.in.flight, when batches grow on their own even with linger.ms=0.
 */
import { defineSim, flag, formatCount, formatNumber, fromSimulation, type Params, renderTable, runMain, type TextSection } from "../src/cli/index.ts"
import { Simulation } from "../src/kernel/index.ts"
import { KafkaCluster, RECORD_ACKED } from "../src/models/kafka/index.ts"

const SWEEP_LINGER_MS = [0, 1, 5, 20, 100]
const SWEEP_BATCH_BYTES = [1024, 16384, 131072]

const flags = {
  lingerMs: flag.number({ description: "linger.ms: how long a batch waits for more records", unit: "ms", default: 5, min: 0, max: 10_000 }),
  batchSize: flag.integer({ description: "batch.size: most bytes per batch (records are 100 bytes)", unit: "bytes", default: 16384, min: 0, max: 16_777_216 }),
  rate: flag.number({ description: "records produced per second", unit: "records/s", default: 20_000, greaterThan: 0, max: 2_000_000 }),
  messages: flag.integer({ description: "records to produce", unit: "records", default: 20_000, min: 1, max: 2_000_000 }),
  partitions: flag.integer({ description: "partitions of the topic", unit: "partitions", default: 3, min: 1, max: 64 }),
  sweep: flag.boolean({ description: "also run the sweep of linger.ms and batch.size values and print the table", default: true }),
}

type BatchingParams = Params<typeof flags>

/** One configuration's numbers. */
interface Point {
  readonly lingerMs: number
  readonly batchSizeBytes: number
  readonly throughput: number
  readonly latencyP50Ms: number
  readonly latencyP99Ms: number
  readonly requests: number
  readonly recordsPerRequest: number
}

/** A simulation for a sweep point: same seed, no trace (only the main run is traced and hashed). */
function sweepSimulation(seed: number): Simulation {
  return new Simulation({ seed, trace: { enabled: false } })
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

function measure(sim: Simulation, params: BatchingParams, lingerMs: number, batchSizeBytes: number, runUntil?: (s: Simulation, until: number) => void): Point {
  const cluster = new KafkaCluster(sim, { partitions: params.partitions, broker: { minInsyncReplicas: 2 }, producer: { acks: -1, lingerMs, batchSizeBytes, recordBytes: 100 } })
  const result = cluster.run({ messages: params.messages, ratePerSecond: params.rate, settleMs: 5000 }, runUntil)
  const records = cluster.producer.records
  const latencies: number[] = []
  let lastAck = 0
  for (let id = 0; id < records.status.length; id++) {
    if (records.status[id] !== RECORD_ACKED) continue
    latencies.push(records.ackMs[id]! - records.sentMs[id]!)
    lastAck = Math.max(lastAck, records.ackMs[id]!)
  }
  latencies.sort((a, b) => a - b)
  const round = (x: number): number => Math.round(x * 1000) / 1000
  return {
    lingerMs,
    batchSizeBytes,
    throughput: Math.round(result.acknowledged / (Math.max(lastAck, 1) / 1000)),
    latencyP50Ms: round(percentile(latencies, 0.5)),
    latencyP99Ms: round(percentile(latencies, 0.99)),
    requests: result.requests,
    recordsPerRequest: round(result.acknowledged / Math.max(1, result.requests)),
  }
}

const kafkaBatching = defineSim({
  name: "kafka-batching",
  title: "Kafka batching: what do linger.ms and batch.size buy, and what do they cost?",
  header: {
    covers: "the record accumulator, linger.ms, batch.size, requests per record, produce latency",
    scenario: "a producer writes 20000 records of 100 bytes at 20000/s to 3 partitions (RF 3, acks=all), repeated across a sweep of linger.ms and batch.size",
    try: ["--linger-ms 0", "--linger-ms 50", "--batch-size 1024", "--rate 2000"],
  },
  time: { unit: "ms", decimals: 1 },
  metrics: {
    throughput: { description: "records acknowledged per second", unit: "records per second" },
    latencyP50Ms: { description: "median time from send to acknowledgement", unit: "ms" },
    latencyP99Ms: { description: "99th percentile of time from send to acknowledgement", unit: "ms" },
    requests: { description: "produce requests sent", unit: "requests" },
    recordsPerRequest: { description: "mean records per produce request", unit: "records per request" },
    sweep: { description: "per (lingerMs, batchSizeBytes) pair: throughput (records/s), latencyP50Ms and latencyP99Ms (ms), requests, recordsPerRequest; empty without --sweep", unit: "see fields" },
  },
  flags,
  quiz(params) {
    return [
      `${formatCount(params.messages)} records at ${formatCount(params.rate)}/s; linger.ms=${params.lingerMs}, batch.size=${params.batchSize}.`,
      "1. How many records will a produce request carry on average?",
      "2. What does raising linger.ms to 100 do to the p50 latency, and to the number of requests?",
    ].join("\n")
  },
  run(params, context) {
    const sim = context.simulation({ keep: 0 })
    const main = measure(sim, params, params.lingerMs, params.batchSize, (s, until) => void context.run(s, { until }))
    const sections: TextSection[] = []
    const sweep: Point[] = []
    if (params.sweep) {
      for (const lingerMs of SWEEP_LINGER_MS) sweep.push(measure(sweepSimulation(context.seed), params, lingerMs, params.batchSize))
      for (const bytes of SWEEP_BATCH_BYTES) {
        if (bytes !== params.batchSize) sweep.push(measure(sweepSimulation(context.seed), params, params.lingerMs, bytes))
      }
    }
    if (context.output === "text") {
      const rows = [main, ...sweep].map((p, i) => [
        (i === 0 ? "* " : "  ") + formatNumber(p.lingerMs, 0),
        formatCount(p.batchSizeBytes),
        formatCount(p.requests),
        formatNumber(p.recordsPerRequest, 1),
        formatCount(p.throughput),
        formatNumber(p.latencyP50Ms, 1),
        formatNumber(p.latencyP99Ms, 1),
      ])
      const table = renderTable(
        [
          { header: "linger.ms" },
          { header: "batch.size", align: "right" },
          { header: "requests", align: "right" },
          { header: "records/request", align: "right" },
          { header: "throughput/s", align: "right" },
          { header: "p50 ms", align: "right" },
          { header: "p99 ms", align: "right" },
        ],
        rows,
      )
      sections.push({ title: "Throughput vs latency (* = this run's flags)", lines: table })
      sections.push({
        title: "Lesson",
        lines: [
          "linger.ms makes each record wait for company: fewer, fuller requests (less per-request work on the brokers)",
          "at the price of latency — up to linger.ms more, unless batch.size fills the batch first (sticky partitioning",
          "sends unkeyed records to one partition at a time so that it does). A small batch.size sends early and often. Under load batches fill even with linger.ms=0, because records pile up while max.in.flight",
          "requests are outstanding. Kafka 4.0 raised the default linger.ms from 0 to 5 for this trade.",
        ],
      })
    }
    return {
      ...fromSimulation(sim),
      metrics: {
        throughput: main.throughput,
        latencyP50Ms: main.latencyP50Ms,
        latencyP99Ms: main.latencyP99Ms,
        requests: main.requests,
        recordsPerRequest: main.recordsPerRequest,
        sweep: sweep.map((p) => ({ ...p })),
      },
      checks: [],
      sections,
    }
  },
})

export default kafkaBatching

await runMain(kafkaBatching, import.meta.url)
