/**
 * Kafka ordering: which order does Kafka keep — per key, per partition, or global?
 * Covers: the default partitioner (murmur2), per-partition order, retries, max.in.flight, idempotence.
 * Scenario: a producer writes 2000 records at 1000/s, keys cycling over 5 keys, to a topic with 3
 *   partitions (RF 3, acks=all) over a network losing 5% of messages; idempotence on (the default).
 * Try: --idempotent false (retries reorder a key's records and duplicate some), --partitions 1
 *   (global order = send order), --keys a,b,c,d,e,f --partitions 6, --loss 0.
 */
import { type CheckResult, defineSim, flag, formatCount, fromSimulation, type Params, renderTable, runMain, type TextSection } from "../src/cli/index.ts"
import { checkNoDuplicates, checkPerKeyOrder, KafkaCluster, type KeyOrder, keyOrders, partitionFor } from "../src/models/kafka/index.ts"

const flags = {
  keys: flag.string({
    description: "the record keys, comma-separated; records cycle over them and the summary shows each key's partition",
    default: "user-1,user-2,user-3,orders,payments",
    allowed: "comma-separated non-empty keys",
    check: (value) => (value.split(",").every((key) => key.trim() !== "") ? undefined : "comma-separated non-empty keys"),
  }),
  partitions: flag.integer({ description: "partitions of the topic", unit: "partitions", default: 3, min: 1, max: 64 }),
  maxInFlight: flag.integer({ description: "max.in.flight.requests.per.connection", unit: "requests", default: 5, min: 1, max: 20 }),
  idempotent: flag.boolean({ description: "enable.idempotence (needs max-in-flight <= 5)", default: true }),
  loss: flag.number({ description: "probability that a message is lost (lost requests and answers cause retries)", unit: "probability", default: 0.05, min: 0, max: 0.5 }),
  messages: flag.integer({ description: "records to produce", unit: "records", default: 2000, min: 1, max: 1_000_000 }),
  rate: flag.number({ description: "records produced per second", unit: "records/s", default: 1000, greaterThan: 0, max: 1_000_000 }),
  requestTimeoutMs: flag.number({ description: "request.timeout.ms (Kafka's default is 30000; shorter keeps the run short)", unit: "ms", default: 500, greaterThan: 0, max: 120_000 }),
}

type OrderingParams = Params<typeof flags>

function keysOf(params: OrderingParams): string[] {
  return params.keys.split(",").map((key) => key.trim())
}

const kafkaOrdering = defineSim({
  name: "kafka-ordering",
  title: "Kafka ordering: which order does Kafka keep — per key, per partition, or global?",
  header: {
    covers: "the default partitioner (murmur2), per-partition order, retries, max.in.flight, idempotence",
    scenario: "a producer writes 2000 records at 1000/s, keys cycling over 5 keys, to 3 partitions (RF 3, acks=all) over a network losing 5% of messages; idempotence on",
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
  },
  flags,
  constraints: [{ params: ["idempotent", "maxInFlight"], holds: (p) => !p.idempotent || p.maxInFlight <= 5, message: "idempotence needs max.in.flight.requests.per.connection <= 5" }],
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
    const cluster = new KafkaCluster(sim, {
      partitions: params.partitions,
      lossProbability: params.loss,
      broker: { minInsyncReplicas: 2 },
      producer: { acks: -1, idempotent: params.idempotent, maxInFlight: params.maxInFlight, lingerMs: 5, requestTimeoutMs: params.requestTimeoutMs },
    })
    const result = cluster.run({ messages: params.messages, ratePerSecond: params.rate, keyOf: (i) => keys[i % keys.length]!, settleMs: 10_000 }, (s, until) => void context.run(s, { until }))
    const stored = new Map(keyOrders(result, cluster.producer.records).map((order) => [order.key, order]))
    const orders: KeyOrder[] = [...new Set(keys)].map(
      (key) => stored.get(key) ?? { key, partition: partitionFor(key, params.partitions), records: 0, inversions: 0, firstInversion: "" },
    )
    const reordered = orders.filter((order) => order.inversions > 0)
    const used = new Set(orders.map((order) => order.partition)).size
    const perKey: CheckResult = checkPerKeyOrder(orders)
    const noDup: CheckResult = checkNoDuplicates(result)
    const sections: TextSection[] = []
    if (context.output === "text") {
      const table = renderTable(
        [{ header: "key" }, { header: "murmur2 partition" }, { header: "records", align: "right" }, { header: "out of order", align: "right" }],
        orders.map((order) => [order.key, String(order.partition), formatCount(order.records), formatCount(order.inversions)]),
      )
      sections.push({ title: `Keys → partitions (toPositive(murmur2(key)) % ${params.partitions})`, lines: table })
      const lines: string[] = []
      lines.push(
        used > 1
          ? `The keys landed on ${used} partitions. Kafka orders each partition, not the topic: a consumer of the whole topic interleaves partitions, so global send order is lost (try --partitions 1).`
          : "Every key landed on one partition, so the topic is one ordered log: global order = send order.",
      )
      if (reordered.length > 0) {
        lines.push(
          `Without idempotence and with max.in.flight=${params.maxInFlight}, a batch that failed was retried after later batches had landed: ${reordered.length} key(s) reordered.`,
          "Turn idempotence on (the default since Kafka 3.0), or set --max-in-flight 1, to keep each key in order.",
        )
      } else if (!params.idempotent && params.maxInFlight > 1) {
        lines.push("No key was reordered this time, but nothing prevents it: raise --loss to see retries overtake each other.")
      } else {
        lines.push("Each key's records stayed in send order despite retries: " + (params.idempotent ? "the broker accepts only the next sequence number, so a retried batch cannot be overtaken." : "one request in flight at a time cannot be overtaken."))
      }
      if (result.duplicates.length > 0) lines.push(`${formatCount(result.duplicates.length)} record(s) were stored twice: a lost acknowledgement made the producer resend a batch the leader already had.`)
      sections.push({ title: "Lesson", lines })
    }
    return {
      ...fromSimulation(sim),
      metrics: {
        keyPartitions: Object.fromEntries(orders.map((order) => [order.key, order.partition])),
        reorderedKeys: reordered.length,
        duplicates: result.duplicates.length,
        acknowledged: result.acknowledged,
        partitionsUsed: used,
        requests: result.requests,
      },
      checks: [perKey, noDup],
      sections,
    }
  },
})

export default kafkaOrdering

await runMain(kafkaOrdering, import.meta.url)
