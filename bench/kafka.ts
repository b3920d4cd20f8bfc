/**
 * Benchmark `kafka`: 3 brokers, a topic of 12 partitions with replication factor 3, acks=all,
 * min.insync.replicas=2, one idempotent producer writing 1,000,000 unkeyed records (sticky
 * partitioning) at 1,000,000 records/s of simulated time with Kafka 4.0's linger.ms=5, no faults.
 * Reports simulated records per wall-clock second and the peak RSS.
 *
 * Target (issue 4): >= 300,000 records/s with the trace off, and memory that does not grow per
 * record beyond the logs themselves (record ids in shared, immutable batches).
 *
 * Run: `npx tsx bench/kafka.ts` (size from BENCH_KAFKA_RECORDS, default 1,000,000).
 */
import { Simulation } from "../src/kernel/index.ts"
import { KafkaScenario } from "../src/models/kafka/index.ts"
import { isMainModule, wallClockMs } from "./bench-kit.ts"

/** What one run reports. */
export interface KafkaBenchResult {
  readonly system: "simsys"
  readonly workload: "kafka"
  readonly records: number
  readonly acknowledged: number
  readonly lost: number
  readonly simTimeMs: number
  readonly wallMs: number
  readonly recordsPerSec: number
  readonly peakRssMb: number
}

/**
 * Runs the workload.
 * @param records - records to produce
 */
export function runKafkaBench(records: number): KafkaBenchResult {
  const startedMs = wallClockMs()
  const sim = new Simulation({ seed: 1, trace: { hash: false } })
  const scenario = new KafkaScenario(sim, {
    brokers: 3,
    partitions: 12,
    replicationFactor: 3,
    broker: { minInsyncReplicas: 2 },
    producer: { acks: -1, lingerMs: 5 },
    workload: { messages: records, ratePerSecond: 1_000_000, settleMs: 5000 },
  })
  const result = scenario.run()
  const wallMs = wallClockMs() - startedMs
  if (result.acknowledged !== records)
    throw new Error(`expected ${records} acknowledged records, got ${result.acknowledged}`)
  return {
    system: "simsys",
    workload: "kafka",
    records,
    acknowledged: result.acknowledged,
    lost: result.lost.length,
    simTimeMs: sim.now,
    wallMs: Math.round(wallMs),
    recordsPerSec: Math.round(records / (wallMs / 1000)),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }
}

if (isMainModule(import.meta.url)) {
  const records = Number(process.env.BENCH_KAFKA_RECORDS ?? 1_000_000)
  process.stdout.write(JSON.stringify(runKafkaBench(records)) + "\n")
}
