/**
 * Kafka batching: what do linger.ms and batch.size buy, and what do they cost?
 * Covers: the record accumulator, linger.ms, batch.size, requests per record, produce latency
 * Scenario: a producer writes 20000 records of 100 bytes at 20000/s to 3 partitions (RF 3,
 *   acks=all), repeated across a sweep of linger.ms and batch.size
 * Try: --linger-ms 0; --linger-ms 50; --batch-size 1024; --rate 2000
 */
import type { Advance } from "../src/check/core/index.ts"
import {
  type CheckResult,
  defineSim,
  flag,
  formatCount,
  formatNumber,
  formatPercent,
  fromSimulation,
  type Params,
  renderTable,
  type RunContext,
  runMain,
  type TextSection,
  type WorkEstimate,
  workEstimate,
} from "../src/cli/index.ts"
import { Simulation, type Traced, TraceSample } from "../src/kernel/index.ts"
import {
  checkNoAckedWriteLost,
  checkNoDuplicates,
  KafkaScenario,
  type KafkaEvent,
  type KafkaRunResult,
  kafkaTimelineLine,
  type BatchingPoint,
  BatchingResult,
  batchingPoint,
} from "../src/models/kafka/index.ts"
import type { NetEvent } from "../src/net/index.ts"

/** Timeline lines shown at most: the first batches of the main run. */
const TIMELINE_MAX = 24
/** What the timeline shows: each batch as the leader appends it and as the producer hears back. */
const SHOWN = new Set<string>(["RecordsAppended", "BatchAcknowledged", "ProduceErrorReceived", "DeliveryFailed"])

const SWEEP_LINGER_MS = [0, 1, 5, 20, 100]
const SWEEP_BATCH_BYTES = [1024, 16384, 131072]

const flags = {
  lingerMs: flag.number({
    description: "linger.ms: how long a batch waits for more records",
    unit: "ms",
    default: 5,
    min: 0,
    max: 10_000,
  }),
  batchSize: flag.integer({
    description: "batch.size: most bytes per batch (records are 100 bytes)",
    unit: "bytes",
    default: 16384,
    min: 0,
    max: 16_777_216,
  }),
  rate: flag.number({
    description: "records produced per second",
    unit: "records/s",
    default: 20_000,
    greaterThan: 0,
    max: 2_000_000,
  }),
  messages: flag.integer({
    description: "records to produce",
    unit: "records",
    default: 20_000,
    min: 1,
    max: 2_000_000,
  }),
  partitions: flag.integer({ description: "partitions of the topic", unit: "partitions", default: 3, min: 1, max: 64 }),
  sweep: flag.boolean({
    description: "also run the sweep of linger.ms and batch.size values and print the table",
    default: true,
  }),
}

type BatchingParams = Params<typeof flags>

/** A simulation for a sweep point: same seed, a trace that keeps and hashes nothing (only the main run is hashed; the cluster's history listens to it). */
function sweepSimulation(seed: number): Simulation {
  return new Simulation({ seed, trace: { hash: false } })
}

/** How long a run goes on after the last record is handed to the producer, in ms. */
const SETTLE_MS = 5000

function measure(
  sim: Simulation,
  params: BatchingParams,
  lingerMs: number,
  batchSizeBytes: number,
  advance?: Advance,
): { readonly point: BatchingPoint; readonly result: KafkaRunResult } {
  const scenario = new KafkaScenario(sim, {
    partitions: params.partitions,
    broker: { minInsyncReplicas: 2 },
    producer: { acks: -1, lingerMs, batchSizeBytes, recordBytes: RECORD_BYTES },
    workload: { messages: params.messages, ratePerSecond: params.rate, settleMs: SETTLE_MS },
  })
  const result = scenario.run(advance)
  return { point: batchingPoint(result, scenario.producer.records, { lingerMs, batchSizeBytes }), result }
}

/**
 * The main run, judged and reduced to what the report needs, so that its simulation and cluster
 * (every record's batch, in three replicas) can be collected before the sweep runs.
 */
function measureMainRun(params: BatchingParams, context: RunContext): MainRun {
  const sim = context.simulation({ keep: 0 })
  const where = (record: Traced): record is Traced<KafkaEvent | NetEvent> => SHOWN.has(record.type)
  const sample = context.output === "text" ? new TraceSample(sim.trace, where, TIMELINE_MAX) : undefined
  const { point, result } = measure(sim, params, params.lingerMs, params.batchSize, context.advance)
  const checks = batchingChecks(params, result)
  if (sample === undefined) return { main: point, identity: fromSimulation(sim), checks }
  const entries = sample.records.map((record) => ({ t: record.t, text: kafkaTimelineLine(record) ?? record.type }))
  const title =
    sample.total > TIMELINE_MAX
      ? `Timeline (the first ${TIMELINE_MAX} of ${formatCount(sample.total)} events)`
      : "Timeline"
  return { main: point, identity: fromSimulation(sim), checks, timeline: { title, entries } }
}

/** What the report keeps of the main run. */
interface MainRun {
  readonly main: BatchingPoint
  readonly identity: ReturnType<typeof fromSimulation>
  readonly checks: CheckResult[]
  readonly timeline?: {
    readonly title: string
    readonly entries: readonly { readonly t: number; readonly text: string }[]
  }
}

/** The checks of the main run: every record acknowledged by the end, none lost, none twice. */
function batchingChecks(params: BatchingParams, result: KafkaRunResult): CheckResult[] {
  const open = params.messages - result.acknowledged - result.rejected
  const delivered: CheckResult = {
    name: "all-acknowledged",
    held: result.acknowledged === params.messages,
    detail:
      result.acknowledged === params.messages
        ? `all ${formatCount(params.messages)} records were acknowledged by the end of the run`
        : `${formatCount(result.acknowledged)} of ${formatCount(params.messages)} records were acknowledged by the end of the run (${SETTLE_MS}ms after the last send): ${formatCount(result.rejected)} failed for good, ${formatCount(open)} still unanswered`,
  }
  return [delivered, checkNoAckedWriteLost(result), checkNoDuplicates(result)]
}

function describePoint(p: BatchingPoint): string {
  return `${formatNumber(p.recordsPerRequest, 1)} records per request, p50 ${formatNumber(p.latencyP50Ms, 1)}ms`
}

/** The lesson: this run's numbers and the sweep's endpoints; general rules say "in general". */
function lesson(params: BatchingParams, main: BatchingPoint, sweep: readonly BatchingPoint[]): string[] {
  const lines = [
    `This run (linger.ms=${params.lingerMs}, batch.size=${formatCount(params.batchSize)} bytes): ${describePoint(main)}, p99 ${formatNumber(main.latencyP99Ms, 1)}ms.`,
  ]
  if (main.acknowledged < params.messages) {
    lines.push(
      `Only ${formatPercent(main.acknowledged / params.messages, 1)} of the records were acknowledged before the run ended (${SETTLE_MS}ms after the last send): its latencies and throughput count those alone.`,
    )
  }
  const lingers = sweep.filter((p) => p.batchSizeBytes === params.batchSize)
  if (lingers.length >= 2) {
    const low = lingers[0]!
    const high = lingers[lingers.length - 1]!
    lines.push(
      `In the sweep, linger.ms=${low.lingerMs} gave ${describePoint(low)}; linger.ms=${high.lingerMs} gave ${describePoint(high)}.`,
    )
    if (low.recordsPerRequest >= 1.5) {
      // The workload hands over the records due in a millisecond at its start; the sender passes after them.
      const perMs = Math.floor(params.rate / 1000)
      const why =
        perMs >= 2
          ? `the sender takes all that accumulated since its last pass (the workload hands over each millisecond's ${formatCount(perMs)} records at once), and records pile up while max.in.flight requests are outstanding`
          : "records piled up while max.in.flight requests were outstanding"
      lines.push(
        `Even linger.ms=${low.lingerMs} sent ${formatNumber(low.recordsPerRequest, 1)} records per request here: ${why}.`,
      )
    }
  }
  const sizes = sweep.filter((p) => p.lingerMs === params.lingerMs && p.batchSizeBytes !== params.batchSize)
  for (const p of sizes)
    lines.push(`batch.size=${formatCount(p.batchSizeBytes)} bytes (linger.ms=${p.lingerMs}) gave ${describePoint(p)}.`)
  lines.push(
    "In general linger.ms makes each record wait for company: fewer, fuller requests (less per-request work on the brokers) at the price of up to linger.ms more latency, unless batch.size fills the batch first; a small batch.size sends early and often. Kafka 4.0 raised the default linger.ms from 0 to 5 for this trade.",
  )
  return lines
}

/**
 * Events per second of a kafka-batching run, measured on the reference machine: 100,000 records
 * in one-record batches (--batch-size 0) took about 1 s of CPU per run (281,006 events), and
 * 200,000 records with the defaults 3.3 s for all eight runs (the report's per-record work
 * dominates): about 100,000 and 485,000 records per second and run. With the consumer-side broker
 * (2026-12-07, after the merge of the broker's consumer fetch) the calibration run of 29,415
 * one-record batches took 4.63 s of CPU alone and 5.31-5.66 s inside the parallel test suite,
 * against 4.5 estimated at 300,000/s: 200,000/s covered both. A clean clone's CI later measured
 * the JSON calibration run (19,229 records) at 5.65 s of CPU against 5.50 estimated, with other
 * tests running beside the suite: 170,000/s leaves a margin for such contention. The text
 * calibration of 2026-12-08 (16,053 records, tsx's cost counted in, the other test worker busy)
 * took 4.93 s against 5.50: 155,000/s leaves about 15%.
 */
const EVENTS_PER_SECOND = 155_000
/**
 * Records at which a run's time per record has doubled: the replica logs keep every record, and a
 * bigger heap costs more collection per record. Measured 2026-12-07 (--batch-size 0 with the sweep,
 * CPU seconds; loaded machine): 110,000 records 9.8 s, 220,000 25.1 s, 440,000 67.3 s, against a
 * linear 9.7, 17.5 and 32.9 s; and at 393,333 records 54.0 s (text) and 63.5 s (JSON, which also
 * hashes the trace). With 1 + records / 300,000 the estimate is 12.8, 29.0 and 78.3 s, and the
 * largest admitted run was 369,425 records (249,564 at 170,000 events a second).
 */
const SLOWDOWN_RECORDS = 300_000
/** Events per record and run, counted so that {@link EVENTS_PER_SECOND} gives the measured time: 3 for one-record batches, 0.75 for fuller ones. */
function eventsPerRecord(batchSizeBytes: number): number {
  return batchSizeBytes < 2 * RECORD_BYTES ? 3 : 0.75
}
/**
 * Bytes per record one run keeps (its batch in the producer and in three replica logs; the report
 * keeps only each run's numbers), measured on 2026-12-07 as peak RSS beyond start-up (166 MB):
 * 490 B with one-record batches (--batch-size 0, 200,000 records, 264 MB), 208 B for the default
 * run with its sweep (2,000,000 records, 581 MB; 1.33 GB before the trace-free report and the
 * batch-by-batch latencies, 1.84 GB on the reference machine). The largest admitted run of
 * one-record batches (232,541 records, 2026-12-08) peaked at 385 MB in one run and 618 MB in the
 * next (when the collector runs is not the same from run to run): 1,300 B covers the second over
 * the base of a run.
 */
function bytesPerRecord(batchSizeBytes: number): number {
  return batchSizeBytes < 2 * RECORD_BYTES ? 1_300 : 300
}
/** Background events per simulated ms (fetches, timers of the three brokers), measured: 1.1 with 3 partitions, 1.25 with 64. */
const EVENTS_PER_MS = 1.5
/** Bytes of a record in this sim. */
const RECORD_BYTES = 100
/** Every run (the main one and each sweep point, one after another) produces every record. */
function estimate(params: BatchingParams): WorkEstimate {
  const batchSizes = [
    params.batchSize,
    ...(params.sweep
      ? [
          ...SWEEP_LINGER_MS.map(() => params.batchSize),
          ...SWEEP_BATCH_BYTES.filter((bytes) => bytes !== params.batchSize),
        ]
      : []),
  ]
  const simTime = (params.messages / params.rate) * 1000 + SETTLE_MS
  const events = batchSizes.reduce(
    (sum, bytes) => sum + eventsPerRecord(bytes) * params.messages + EVENTS_PER_MS * simTime,
    0,
  )
  return workEstimate({
    events,
    eventsPerSecond: EVENTS_PER_SECOND / (1 + params.messages / SLOWDOWN_RECORDS),
    keptBytes: Math.max(...batchSizes.map(bytesPerRecord)) * params.messages,
    simTime,
    advice: "lower --messages, raise --rate or --batch-size, or drop the sweep (--sweep=false)",
  })
}

const kafkaBatching = defineSim({
  name: "kafka-batching",
  title: "Kafka batching: what do linger.ms and batch.size buy, and what do they cost?",
  header: {
    covers: "the record accumulator, linger.ms, batch.size, requests per record, produce latency",
    scenario:
      "a producer writes 20000 records of 100 bytes at 20000/s to 3 partitions (RF 3, acks=all), repeated across a sweep of linger.ms and batch.size",
    try: ["--linger-ms 0", "--linger-ms 50", "--batch-size 1024", "--rate 2000"],
  },
  time: { unit: "ms", decimals: 1 },
  metrics: {
    throughput: { description: "records acknowledged per second", unit: "records per second" },
    latencyP50Ms: { description: "median time from send to acknowledgement", unit: "ms" },
    latencyP99Ms: { description: "99th percentile of time from send to acknowledgement", unit: "ms" },
    requests: { description: "produce requests sent", unit: "requests" },
    recordsPerRequest: { description: "mean records per produce request", unit: "records per request" },
    acknowledged: { description: "records acknowledged by the end of the run", unit: "records" },
    sweep: {
      description:
        "per (lingerMs, batchSizeBytes) pair: throughput (records/s), latencyP50Ms and latencyP99Ms (ms), requests, recordsPerRequest, acknowledged (records); empty without --sweep",
      unit: "see fields",
    },
  },
  flags,
  estimate,
  quiz(params) {
    return [
      `${formatCount(params.messages)} records at ${formatCount(params.rate)}/s; linger.ms=${params.lingerMs}, batch.size=${params.batchSize}.`,
      "1. How many records will a produce request carry on average?",
      "2. What does raising linger.ms to 100 do to the p50 latency, and to the number of requests?",
    ].join("\n")
  },
  run(params, context) {
    const { main, identity, checks, timeline } = measureMainRun(params, context)
    const sections: TextSection[] = []
    const sweep: BatchingPoint[] = []
    if (params.sweep) {
      for (const lingerMs of SWEEP_LINGER_MS)
        sweep.push(measure(sweepSimulation(context.seed), params, lingerMs, params.batchSize).point)
      for (const bytes of SWEEP_BATCH_BYTES) {
        if (bytes !== params.batchSize)
          sweep.push(measure(sweepSimulation(context.seed), params, params.lingerMs, bytes).point)
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
        formatPercent(p.acknowledged / params.messages, 1),
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
          { header: "acked", align: "right" },
        ],
        rows,
      )
      sections.push({ title: "Throughput vs latency (* = this run's flags)", lines: table })
      sections.push({ title: "Lesson", lines: lesson(params, main, sweep) })
    }
    return {
      ...identity,
      metrics: new BatchingResult(main, sweep).summary(),
      checks,
      ...(timeline === undefined ? {} : { timeline }),
      sections,
    }
  },
})

export default kafkaBatching

await runMain(kafkaBatching, import.meta.url)
