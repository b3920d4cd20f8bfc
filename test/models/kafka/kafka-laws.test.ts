/**
 * The law block of the Kafka model: same seed → same trace, time never goes backwards, the
 * checks accept fault-free runs and reject a known-bad one (acks=1 and a leader crash: scenario
 * K1 of docs/kafka-replication.md, "Which acknowledged writes can be lost").
 */
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  checkNoAckedWriteLost,
  checkNoDuplicates,
  checkPerKeyOrder,
  type KafkaRunResult,
  KafkaScenario,
  type KafkaScenarioOptions,
  kafkaLogHistory,
  keyOrders,
} from "../../../src/models/kafka/index.ts"
import { checkLog } from "../../../src/check/core/index.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"

const FAST = {
  replicaLagTimeMaxMs: 400,
  replicaFetchWaitMaxMs: 100,
  replicaFetchTimeoutMs: 300,
  brokerHeartbeatIntervalMs: 100,
  brokerSessionTimeoutMs: 600,
}
const WORKLOAD = { messages: 200, ratePerSecond: 1000, settleMs: 3000, keyOf: (i: number) => `k${i % 5}` }

/** A cluster with two partitions and a crash and restart of the first leader. */
function options(plan: KafkaScenarioOptions["plan"] = { faults: [] }, acks: 0 | 1 | -1 = -1): KafkaScenarioOptions {
  return {
    partitions: 2,
    broker: { ...FAST, minInsyncReplicas: 2 },
    producer: { acks, lingerMs: 0 },
    plan,
    workload: WORKLOAD,
  }
}

function cluster(seed: number, scenarioOptions: KafkaScenarioOptions, keep = 0): KafkaScenario {
  return new KafkaScenario(new Simulation({ seed, trace: { keep } }), scenarioOptions)
}

/** Every check of a Kafka run. */
function kafkaChecks(run: { cluster: KafkaScenario; result: KafkaRunResult }) {
  return [
    checkNoAckedWriteLost(run.result),
    checkNoDuplicates(run.result),
    checkPerKeyOrder(keyOrders(run.result, run.cluster.producer.records)),
  ]
}

describe("Kafka model laws", () => {
  it("gives the same trace for the same seed, with a crash and a restart", () => {
    const crash = { faults: [{ kind: "crash" as const, node: "b1", at: 80, restartAt: 400 }] }

    const report = lawSameSeedSameTrace(
      (seed) => {
        const built = cluster(seed, options(crash), Infinity)
        return tracedRunOf(built.sim, () => void built.run())
      },
      3,
      { label: "kafka", minRecords: 50 },
    )

    expect(report.records).toBeGreaterThanOrEqual(50)
  })

  it("never moves the clock backwards, step by step", () => {
    const built = cluster(5, options({ faults: [{ kind: "crash", node: "b2", at: 60, restartAt: 300 }] }))

    let steps = 0
    built.run((sim, until) => {
      steps += lawTimeNeverGoesBackwards(sim, { until }).steps
    })

    expect(steps).toBeGreaterThan(1000)
  })

  it("accepts fault-free runs on several seeds", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const verdicts = lawCheckerAcceptsFaultFreeRuns(
        (s) => {
          const built = cluster(s, options())
          return { cluster: built, result: built.run() }
        },
        kafkaChecks,
        seed,
      )

      expect(verdicts.map((verdict) => verdict.name)).toEqual(["no-acked-write-lost", "no-duplicates", "per-key-order"])
    }
  })

  it("rejects a run where acks=1 let a leader crash lose an acknowledged record (K1)", () => {
    let bad: { cluster: KafkaScenario; result: KafkaRunResult } | undefined
    for (let at = 100; at < 140 && bad === undefined; at++) {
      const built = cluster(1, options({ faults: [{ kind: "crash", node: "b1", at, restartAt: 1000 }] }, 1))
      const result = built.run()
      if (result.lost.length > 0) bad = { cluster: built, result }
    }

    expect(bad).toBeDefined()
    const rejection = lawCheckerRejectsKnownBadRun(bad!, kafkaChecks, {
      name: "no-acked-write-lost",
      detail: /acknowledged/,
    })
    expect(rejection.held).toBe(false)
  })

  it("agrees with the generic log checker: the same records lost, none duplicated, on a good run and on the K1 run", () => {
    const lostBy = (run: KafkaScenario, result: KafkaRunResult): [boolean, boolean] => {
      const [lost, , duplicate] = checkLog(kafkaLogHistory(result, run.producer.records))
      return [lost!.held, duplicate!.held]
    }
    const good = cluster(2, options())
    const goodResult = good.run()
    expect(lostBy(good, goodResult)).toEqual([true, true])

    let badRun: { run: KafkaScenario; result: KafkaRunResult } | undefined
    for (let at = 100; at < 140 && badRun === undefined; at++) {
      const run = cluster(1, options({ faults: [{ kind: "crash", node: "b1", at, restartAt: 1000 }] }, 1))
      const result = run.run()
      if (result.lost.length > 0) badRun = { run, result }
    }
    const { run, result } = badRun!
    const [lost] = checkLog(kafkaLogHistory(result, run.producer.records))
    expect(lost!.held).toBe(false)
    expect(lost!.detail).toContain(`${result.lost.length} of ${result.acknowledged} acknowledged writes lost`)
  })
})
