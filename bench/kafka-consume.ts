/**
 * Benchmark `kafka-consume`: Kafka end to end. 3 brokers, one topic `t0` of 12 partitions with
 * replication factor 3, acks=all, min.insync.replicas=2; one idempotent producer writes
 * 1,000,000 unkeyed records (sticky partitioning, linger.ms=5) at 1,000,000 records/s of simulated
 * time while one group of 3 consumers (range assignor, max.poll.records 500, auto commit,
 * auto.offset.reset=earliest, no processing cost) reads them over the simulated network. Once the
 * group has consumed every record the consumers are stopped: each commits its positions and
 * leaves the group. Trace off (no hash, nothing kept).
 *
 * The work is checked, or the bench throws: every record the producer wrote was acknowledged and
 * consumed exactly once by the group (by record id), and at the end the group's committed offset
 * of every partition equals the partition's log end offset on its leader, whose logs hold the
 * 1,000,000 records.
 *
 * Reports records per second of wall time (building the model and running it), records per
 * second of CPU time (`process.cpuUsage`, user + system: on a shared machine wall time also counts
 * waiting for a core), the peak RSS and the machine's load average at the end.
 *
 * Target (issue 22): >= 1,000,000 records/s of wall time, peak RSS under 300 MB.
 *
 * Run: `npx tsx bench/kafka-consume.ts` (size from BENCH_KAFKA_RECORDS, default 1,000,000).
 */
import { loadavg } from "node:os"
import { type ProcessGenerator, Simulation } from "../src/kernel/index.ts"
import { KafkaConsumer } from "../src/models/kafka/group/kafka-consumer.ts"
import { kafkaGroupCluster } from "../src/models/kafka/group/kafka-group-cluster.ts"
import { workloadDriver } from "../src/models/kafka/workload.ts"
import { isMainModule, wallClockMs } from "./bench-kit.ts"

const TOPICS = { t0: 12 }
const GROUP = "bench"
const CONSUMERS = 3
/** Simulated time between two looks of the supervisor at the consumers' progress, in ms. */
const CHECK_EVERY_MS = 100

/** What one run reports. */
export interface KafkaConsumeBenchResult {
  readonly system: "simsys"
  readonly workload: "kafka-consume"
  readonly records: number
  readonly consumed: number
  /** Simulated time at the end (every consumer has left the group), in ms. */
  readonly simTimeMs: number
  readonly wallMs: number
  readonly recordsPerSec: number
  /** CPU time of the run (user + system), in ms. */
  readonly cpuMs: number
  readonly recordsPerCpuSec: number
  readonly peakRssMb: number
  /** Simulation events processed. */
  readonly events: number
  /** The 1-minute load average when the run ended. */
  readonly loadAverage: number
}

/**
 * Runs the workload and checks it did the work.
 * @param records - records to produce and consume
 * @throws Error when a record was not acknowledged, not consumed exactly once, or a committed offset is not its log's end
 */
export function runKafkaConsumeBench(records: number): KafkaConsumeBenchResult {
  const startedMs = wallClockMs()
  const startedCpu = process.cpuUsage()
  const sim = new Simulation({ seed: 1, trace: { hash: false } })
  const cluster = kafkaGroupCluster(sim, TOPICS, {
    brokers: 3,
    kafka: {
      replicationFactor: 3,
      broker: { minInsyncReplicas: 2 },
      producer: { acks: -1, lingerMs: 5 },
    },
  })
  const kafka = cluster.kafka
  const consumers = Array.from({ length: CONSUMERS }, (_, i) => {
    const node = cluster.network.addNode(`c${i}`)
    const consumer = new KafkaConsumer({
      node,
      network: cluster.network,
      brokers: cluster.brokers,
      groupId: GROUP,
      partitionsPerTopic: TOPICS,
      leaderHint: (tp) => cluster.leaderHint(tp),
      groupRpc: cluster.groupRpc!,
      fetchRpc: cluster.fetchRpc!,
      autoOffsetReset: "earliest",
    })
    consumer.subscribe(Object.keys(TOPICS))
    return consumer
  })
  for (const consumer of consumers) consumer.start()
  const producerNode = cluster.network.node(kafka.producer.name)
  producerNode.spawn(
    workloadDriver(sim, { producer: kafka.producer, workload: { messages: records, ratePerSecond: 1_000_000 } }),
    "workload",
  )
  sim.run({ until: sim.spawn(supervise(sim, consumers, records), "supervisor") })
  const cpu = process.cpuUsage(startedCpu)
  const wallMs = wallClockMs() - startedMs
  const consumed = checkConsumed(consumers, records)
  checkCommitted(kafka, records)
  if (kafka.producer.records.count !== records)
    throw new Error(`expected ${records} records produced, got ${kafka.producer.records.count}`)
  const cpuMs = (cpu.user + cpu.system) / 1000
  return {
    system: "simsys",
    workload: "kafka-consume",
    records,
    consumed,
    simTimeMs: Math.round(sim.now * 1000) / 1000,
    wallMs: Math.round(wallMs),
    recordsPerSec: Math.round(records / (wallMs / 1000)),
    cpuMs: Math.round(cpuMs),
    recordsPerCpuSec: Math.round(records / (cpuMs / 1000)),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    events: sim.eventsProcessed,
    loadAverage: Math.round(loadavg()[0]! * 100) / 100,
  }
}

/** Waits until the group has consumed `records` records, then stops every consumer and waits until each has left. */
function* supervise(sim: Simulation, consumers: readonly KafkaConsumer[], records: number): ProcessGenerator<void> {
  const consumed = () => consumers.reduce((sum, consumer) => sum + consumer.processed.length, 0)
  while (consumed() < records) yield* sim.timeout(CHECK_EVERY_MS)
  for (const consumer of consumers) consumer.stop()
  while (consumers.some((consumer) => consumer.isRunning)) yield* sim.timeout(CHECK_EVERY_MS)
}

/** Every record id 0..records-1 consumed exactly once by the group; returns how many were consumed. */
function checkConsumed(consumers: readonly KafkaConsumer[], records: number): number {
  const seen = new Uint8Array(records)
  let consumed = 0
  for (const consumer of consumers) {
    if (consumer.failure !== null) throw new Error(`${consumer.name} failed: ${consumer.failure}`)
    for (const record of consumer.processed) {
      if (!(record.id >= 0 && record.id < records)) throw new Error(`unknown record id ${record.id}`)
      if (seen[record.id] !== 0) throw new Error(`record ${record.id} consumed twice (again by ${consumer.name})`)
      seen[record.id] = 1
      consumed++
    }
  }
  if (consumed !== records) throw new Error(`expected ${records} records consumed, got ${consumed}`)
  return consumed
}

/** The group's committed offset of every partition is the log end offset of its leader's log; the logs hold `records`. */
function checkCommitted(kafka: ReturnType<typeof kafkaGroupCluster>["kafka"], records: number): void {
  const committed = kafka.offsetStore.committed(GROUP)
  let total = 0
  for (let p = 0; p < TOPICS.t0; p++) {
    const log = kafka.finalLog(p)
    if (log === undefined) throw new Error(`partition ${p} has no log`)
    if (log.highWatermark !== log.endOffset) throw new Error(`partition ${p}: high watermark below the log end`)
    const offset = committed.get(`t0-${p}`)
    if (offset !== log.endOffset)
      throw new Error(`partition ${p}: committed offset ${offset}, log end offset ${log.endOffset}`)
    total += log.endOffset
  }
  if (total !== records) throw new Error(`the logs hold ${total} records, expected ${records}`)
}

if (isMainModule(import.meta.url)) {
  const records = Number(process.env.BENCH_KAFKA_RECORDS ?? 1_000_000)
  process.stdout.write(JSON.stringify(runKafkaConsumeBench(records)) + "\n")
}
