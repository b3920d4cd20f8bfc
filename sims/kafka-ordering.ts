/**
 * Kafka ordering: which order does Kafka keep — per key, per partition, or global?
 * Covers: the default partitioner (murmur2), per-partition order, retries, max.in.flight,
 *   idempotence
 * Scenario: a producer writes 2000 records at 1000/s, keys cycling over 5 keys, to 3 partitions (RF
 *   3, acks=all) over a network losing 5% of messages; idempotence on
 * Try: --idempotent false; --partitions 1; --keys a,b,c,d,e,f --partitions 6; --loss 0
 */
import {
  defineSim,
  flag,
  formatCount,
  fromSimulation,
  type Params,
  renderTable,
  runMain,
  type TextSection,
  type WorkEstimate,
  workEstimate,
} from "../src/cli/index.ts"
import { type Trace, type Traced, TraceSample } from "../src/kernel/index.ts"
import {
  checkNoAckedWriteLost,
  checkNoDuplicates,
  checkPerKeyOrder,
  KafkaScenario,
  type KafkaEvent,
  kafkaTimelineLine,
  type OrderingResult,
  orderingResult,
} from "../src/models/kafka/index.ts"
import { isFaultEvent, isNetEvent, type NetEvent } from "../src/net/index.ts"

/** Timeline lines shown at most. */
const TIMELINE_MAX = 30
/** Besides faults and appends out of send order, the records the timeline shows: retries and their outcomes. */
const SHOWN = new Set<string>([
  "ProduceErrorReceived",
  "DuplicateBatchDiscarded",
  "DeliveryFailed",
  "LeaderElected",
  "LogTruncated",
])

/** The timeline's records, and what each out-of-order or repeated append means, by record number. */
interface OrderingTimeline {
  readonly sample: TraceSample<KafkaEvent | NetEvent>
  readonly notes: ReadonlyMap<number, string>
}

/**
 * The story of the run's order, kept as it goes: failed attempts (each one is retried), batches a
 * leader recognised as retries, and every append that lands after a batch sent later (reordered)
 * or repeats a batch already appended (a duplicate). Record ids number records in send order.
 */
function orderingTimeline(trace: Trace): OrderingTimeline {
  const highestFirst = new Map<number, number>()
  const appended = new Map<number, Set<number>>()
  const notes = new Map<number, string>()
  const note = (record: Traced, text: string): boolean => {
    if (notes.size < TIMELINE_MAX) notes.set(record.seq, text)
    return true
  }
  const where = (traced: Traced): traced is Traced<KafkaEvent | NetEvent> => {
    const record = traced as Traced<KafkaEvent | NetEvent>
    if (record.type !== "RecordsAppended") return SHOWN.has(record.type) || (isNetEvent(record) && isFaultEvent(record))
    const { partition, firstRecord } = record
    const seen = appended.get(partition) ?? new Set<number>()
    appended.set(partition, seen)
    const highest = highestFirst.get(partition) ?? -1
    if (seen.has(firstRecord))
      return note(record, `partition ${partition}, records from ${firstRecord} again: a duplicate`)
    seen.add(firstRecord)
    highestFirst.set(partition, Math.max(highest, firstRecord))
    if (firstRecord > highest) return false
    return note(record, `partition ${partition}: record ${firstRecord} lands after record ${highest}, sent later`)
  }
  return { sample: new TraceSample(trace, where, TIMELINE_MAX), notes }
}

function timelineEntries(timeline: OrderingTimeline): { title: string; entries: { t: number; text: string }[] } {
  const { sample, notes } = timeline
  const entries = sample.records.map((record) => {
    const line = kafkaTimelineLine(record) ?? record.type
    const note = notes.get(record.seq)
    return { t: record.t, text: note === undefined ? line : `${line}: ${note}` }
  })
  if (entries.length === 0)
    entries.push({ t: 0, text: "no attempt failed, and every batch was appended once, in send order" })
  const title =
    sample.total > TIMELINE_MAX
      ? `Timeline (the first ${TIMELINE_MAX} of ${formatCount(sample.total)} events)`
      : "Timeline"
  return { title, entries }
}

const flags = {
  keys: flag.string({
    description: "the record keys, comma-separated; records cycle over them and the summary shows each key's partition",
    default: "user-1,user-2,user-3,orders,payments",
    allowed: "comma-separated non-empty keys",
    check: (value) =>
      value.split(",").every((key) => key.trim() !== "") ? undefined : "comma-separated non-empty keys",
  }),
  partitions: flag.integer({ description: "partitions of the topic", unit: "partitions", default: 3, min: 1, max: 64 }),
  maxInFlight: flag.integer({
    description: "max.in.flight.requests.per.connection",
    unit: "requests",
    default: 5,
    min: 1,
    max: 20,
  }),
  idempotent: flag.boolean({ description: "enable.idempotence (needs max-in-flight <= 5)", default: true }),
  loss: flag.number({
    description: "probability that a message is lost (lost requests and answers cause retries)",
    unit: "probability",
    default: 0.05,
    min: 0,
    max: 0.5,
  }),
  messages: flag.integer({ description: "records to produce", unit: "records", default: 2000, min: 1, max: 1_000_000 }),
  rate: flag.number({
    description: "records produced per second",
    unit: "records/s",
    default: 1000,
    greaterThan: 0,
    max: 1_000_000,
  }),
  requestTimeoutMs: flag.number({
    description: "request.timeout.ms (Kafka's default is 30000; shorter keeps the run short)",
    unit: "ms",
    default: 500,
    greaterThan: 0,
    max: 120_000,
  }),
}

type OrderingParams = Params<typeof flags>

function keysOf(params: OrderingParams): string[] {
  return params.keys.split(",").map((key) => key.trim())
}

/**
 * Events per second of a kafka-ordering run, measured on 2026-12-07 (load average 9-10, CPU time):
 * the flag's largest run, 1,000,000 records at 100/s, simulated 12,055,399 events (1.2 per
 * simulated ms: the brokers' fetches and timers; its records cost next to nothing) in 8.3 s of CPU
 * (JSON; 6.4 s text), about 2,000,000 a second after the ~2.3 s of start-up; 1,000,000/s leaves
 * room. Faster rates cost less (1,000,000 records at 1,000,000/s: 1.7 s; at 1000/s with 50 % loss:
 * 2.8 s), so a run's cost is its simulated time.
 */
const EVENTS_PER_SECOND = 1_000_000
/** Events per record, measured 1.25 with the defaults; retries under loss and small batches cost more. */
const EVENTS_PER_RECORD = 4
/** Background events per simulated ms (fetches, timers of the three brokers), measured: 1.1 (3 partitions), 1.16 (64), 1.2 (1,000,000 records at 100/s). */
const EVENTS_PER_MS = 1.5
/** Bytes kept per record (its batch in the producer and the replica logs, its key), measured: ~180 B (343 MB peak for 1,000,000 records, JSON). */
const BYTES_PER_RECORD = 400
/** Settle time after the last send, as in `run`. */
const SETTLE_MS = 10_000

function estimate(params: OrderingParams): WorkEstimate {
  const simTime = (params.messages / params.rate) * 1000 + SETTLE_MS
  return workEstimate({
    events: EVENTS_PER_RECORD * params.messages + EVENTS_PER_MS * simTime,
    eventsPerSecond: EVENTS_PER_SECOND,
    keptBytes: BYTES_PER_RECORD * params.messages,
    simTime,
    advice: "lower --messages or raise --rate",
  })
}

/** Each key's partition, stored records and inversions. */
function keyTable(result: OrderingResult): string[] {
  return renderTable(
    [
      { header: "key" },
      { header: "murmur2 partition" },
      { header: "records", align: "right" },
      { header: "out of order", align: "right" },
    ],
    result.orders.map((order) => [
      order.key,
      String(order.partition),
      formatCount(order.records),
      formatCount(order.inversions),
    ]),
  )
}

/** Whose order the topic kept: across partitions, or in the one log. */
function topicOrderLesson(result: OrderingResult): string {
  const { partitionsUsed: used, partitionOrderInversions: inversions, failedAttempts } = result
  if (used > 1)
    return `The keys landed on ${used} partitions. Kafka orders each partition, not the topic: in general a consumer of the whole topic interleaves partitions and cannot recover global send order (try --partitions 1).`
  if (inversions === 0)
    return `Every key landed on one partition, so the topic is one log, and in this run its order is send order (${formatCount(failedAttempts)} failed attempt(s) were retried without overtaking).`
  return `Every key landed on one partition, so the topic is one log — but not in send order here: ${formatCount(inversions)} record(s) were stored after a record sent later (retries overtook).`
}

/** Whether each key kept its order, and why. */
function keyOrderLesson(params: OrderingParams, result: OrderingResult): string[] {
  const retried = formatCount(result.failedAttempts)
  if (result.reordered.length > 0)
    return [
      `Without idempotence and with max.in.flight=${params.maxInFlight}, a batch that failed was retried after later batches had landed: ${result.reordered.length} key(s) reordered.`,
      "In general, turn idempotence on (the default since Kafka 3.0), or set --max-in-flight 1, to keep each key in order.",
    ]
  if (!params.idempotent && params.maxInFlight > 1)
    return [
      `No key was reordered in this run (${retried} failed attempt(s) retried), but nothing prevents it: raise --loss to see retries overtake each other.`,
    ]
  if (result.failedAttempts === 0)
    return [
      "Each key's records stayed in send order, but no attempt failed in this run, so nothing was retried: raise --loss to test it.",
    ]
  const why = params.idempotent
    ? "the broker accepts only the next sequence number, so a retried batch cannot be overtaken."
    : "one request in flight at a time cannot be overtaken."
  return [`Each key's records stayed in send order despite ${retried} failed attempt(s) that were retried: ${why}`]
}

/** The lesson, every sentence about this run true of it (general rules say "in general"). */
function lesson(params: OrderingParams, result: OrderingResult): string[] {
  const { run } = result
  const lines = [topicOrderLesson(result), ...keyOrderLesson(params, result)]
  if (run.acknowledged < params.messages) {
    const open = params.messages - run.acknowledged - run.rejected
    lines.push(
      `Only ${formatCount(run.acknowledged)} of ${formatCount(params.messages)} records were acknowledged by the end (${formatCount(run.rejected)} failed for good, ${formatCount(open)} still unanswered): the order above is that of the records stored.`,
    )
  }
  if (run.duplicates.length > 0)
    lines.push(
      `${formatCount(run.duplicates.length)} record(s) were stored twice: without idempotence the producer resent batches the leader already had (their answer was lost or late).`,
    )
  return lines
}

const kafkaOrdering = defineSim({
  name: "kafka-ordering",
  title: "Kafka ordering: which order does Kafka keep — per key, per partition, or global?",
  header: {
    covers: "the default partitioner (murmur2), per-partition order, retries, max.in.flight, idempotence",
    scenario:
      "a producer writes 2000 records at 1000/s, keys cycling over 5 keys, to 3 partitions (RF 3, acks=all) over a network losing 5% of messages; idempotence on",
    try: ["--idempotent false", "--partitions 1", "--keys a,b,c,d,e,f --partitions 6", "--loss 0"],
  },
  time: { unit: "ms", decimals: 1 },
  metrics: {
    keyPartitions: { description: "the partition each key was sent to", unit: "partition number" },
    reorderedKeys: { description: "keys whose records are not in send order in their partition", unit: "keys" },
    duplicates: { description: "records written more than once", unit: "records" },
    acknowledged: { description: "records acknowledged", unit: "records" },
    partitionsUsed: { description: "partitions that received at least one record", unit: "partitions" },
    requests: { description: "produce requests sent, retries included", unit: "requests" },
    partitionOrderInversions: {
      description: "records stored after a record sent later, within each partition's final log",
      unit: "records",
    },
  },
  flags,
  estimate,
  constraints: [
    {
      params: ["idempotent", "maxInFlight"],
      holds: (p) => !p.idempotent || p.maxInFlight <= 5,
      message: "idempotence needs max.in.flight.requests.per.connection <= 5",
    },
  ],
  quiz(params) {
    return [
      `Keys ${keysOf(params).join(", ")} over ${params.partitions} partition(s); max.in.flight=${params.maxInFlight}, idempotence ${params.idempotent ? "on" : "off"}, ${params.loss * 100}% message loss.`,
      "1. Will every key's records be stored in the order they were sent?",
      "2. Will a consumer of the whole topic see the records in the order they were sent?",
    ].join("\n")
  },
  run(params, context) {
    const keys = keysOf(params)
    const sim = context.simulation({ keep: 0 })
    const workload = {
      messages: params.messages,
      ratePerSecond: params.rate,
      keyOf: (i: number) => keys[i % keys.length]!,
      settleMs: SETTLE_MS,
    }
    const scenario = new KafkaScenario(sim, {
      partitions: params.partitions,
      lossProbability: params.loss,
      broker: { minInsyncReplicas: 2 },
      producer: {
        acks: -1,
        idempotent: params.idempotent,
        maxInFlight: params.maxInFlight,
        lingerMs: 5,
        requestTimeoutMs: params.requestTimeoutMs,
      },
      workload,
    })
    const story = context.output === "text" ? orderingTimeline(sim.trace) : undefined
    const run = scenario.run(context.advance)
    const result = orderingResult({ run, records: scenario.producer.records, keys, partitions: params.partitions })
    const sections: TextSection[] =
      context.output === "text"
        ? [
            {
              title: `Keys → partitions (toPositive(murmur2(key)) % ${params.partitions})`,
              lines: keyTable(result),
            },
            { title: "Lesson", lines: lesson(params, result) },
          ]
        : []
    return {
      ...fromSimulation(sim),
      metrics: result.summary(),
      checks: [checkPerKeyOrder(result.orders), checkNoDuplicates(run), checkNoAckedWriteLost(run)],
      ...(story === undefined ? {} : { timeline: timelineEntries(story) }),
      sections,
    }
  },
})

export default kafkaOrdering

await runMain(kafkaOrdering, import.meta.url)
