import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { expectHolds, faultPlanArbitrary } from "../../../src/check/index.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"
import { type CheckResult, fails, holds } from "../../../src/check/core/index.ts"
import type { ProcessGenerator, Traced } from "../../../src/kernel/index.ts"
import { Simulation } from "../../../src/kernel/index.ts"
import type { ConsumerFetchReply } from "../../../src/models/kafka/group/group-protocol.ts"
import { type ConsumerFetchAnswered, KafkaScenario } from "../../../src/models/kafka/index.ts"
import type { FaultPlan } from "../../../src/net/index.ts"

const BROKERS = ["b1", "b2", "b3"]
const HORIZON_MS = 2500

interface Case {
  readonly seed: number
  readonly messages: number
  readonly ratePerSecond: number
  readonly acks: 0 | 1 | -1
  readonly minInsyncReplicas: number
}

/** What the observer saw at each answer: the event, and the leader's log at that instant. */
interface Answer {
  readonly event: Traced<ConsumerFetchAnswered>
  /** The answering broker's high watermark of that partition, read from its log when the answer was recorded. */
  readonly logHighWatermark: number
  /** The ids the reply carried, and the ids at those offsets in the broker's log at that instant. */
  readonly ids: readonly number[]
  readonly logIds: readonly number[]
}

const cases = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  messages: fc.integer({ min: 20, max: 300 }),
  ratePerSecond: fc.integer({ min: 100, max: 2000 }),
  acks: fc.constantFrom<0 | 1 | -1>(0, 1, -1),
  minInsyncReplicas: fc.integer({ min: 1, max: 2 }),
})

/** Three consumers fetch random offsets from random brokers while the workload and the faults run. */
function run(
  c: Case,
  plan: FaultPlan,
  sim = new Simulation({ seed: c.seed, trace: { hash: false } }),
  advance?: (sim: Simulation, until: number) => void,
): { all: Answer[]; matched: Answer[] } {
  const scenario = new KafkaScenario(sim, {
    topics: "t0:2",
    plan,
    broker: {
      minInsyncReplicas: c.minInsyncReplicas,
      replicaLagTimeMaxMs: 400,
      replicaFetchWaitMaxMs: 100,
      replicaFetchTimeoutMs: 300,
      brokerHeartbeatIntervalMs: 100,
      brokerSessionTimeoutMs: 600,
    },
    producer: { acks: c.acks, lingerMs: 0, requestTimeoutMs: 400, deliveryTimeoutMs: 20_000 },
    workload: { messages: c.messages, ratePerSecond: c.ratePerSecond, settleMs: 1000 },
  })
  const answers: Answer[] = []
  const all: Answer[] = []
  const pending: { event: Traced<ConsumerFetchAnswered>; logHighWatermark: number; logIds: number[] }[] = []
  sim.trace.listen((record) => {
    if (record.type !== "ConsumerFetchAnswered") return
    const event = record as Traced<ConsumerFetchAnswered>
    const flat = scenario.layout.flatIndex(event)
    const log = scenario.brokers[event.broker - 1]!.durableLog(flat)
    const ids = log === undefined ? [] : log.recordIds().slice(event.fetchOffset, event.fetchOffset + event.count)
    pending.push({ event, logHighWatermark: log?.highWatermark ?? -1, logIds: ids })
    all.push({ event, logHighWatermark: log?.highWatermark ?? -1, logIds: ids, ids })
  })
  for (const name of ["c0", "c1", "c2"]) {
    scenario.network.addNode(name)
    scenario.network.node(name).spawn(consumer(scenario, name, pending, answers))
  }
  scenario.run(advance)
  return { all, matched: answers }
}

function* consumer(
  scenario: KafkaScenario,
  name: string,
  pending: { event: Traced<ConsumerFetchAnswered>; logHighWatermark: number; logIds: number[] }[],
  answers: Answer[],
): ProcessGenerator<void> {
  const random = scenario.sim.random(`test-consumer/${name}`)
  for (;;) {
    yield* scenario.sim.sleep(1 + Math.floor(random.next() * 50))
    const broker = BROKERS[Math.floor(random.next() * 3)]!
    const tp = { topic: "t0", partition: Math.floor(random.next() * 2) }
    const request = {
      type: "consumer-fetch" as const,
      partitions: [{ tp, fetchOffset: Math.floor(random.next() * 200) }],
      maxWaitMs: [0, 100, 500][Math.floor(random.next() * 3)]!,
      maxRecords: 1 + Math.floor(random.next() * 50),
    }
    const outcome = yield* scenario.fetchRpc.call<ConsumerFetchReply>(name, broker, request, { timeoutMs: 1000 })
    if (!outcome.ok) continue
    const fetched = outcome.response.partitions[0]!
    // The answer's record was taken when the broker answered; match it by broker, partition, offset and count.
    const index = pending.findIndex(
      (p) =>
        `b${p.event.broker}` === broker &&
        p.event.partition === tp.partition &&
        p.event.fetchOffset === request.partitions[0]!.fetchOffset &&
        p.event.count === fetched.ids.length,
    )
    if (index < 0) continue
    const [seen] = pending.splice(index, 1)
    answers.push({ ...seen!, ids: fetched.ids })
  }
}

/** Every answer is below the HW of the answering leader's log; the replies that reached a consumer carry the log's ids. */
function check({ all, matched }: { all: readonly Answer[]; matched: readonly Answer[] }): CheckResult {
  for (const { event, logHighWatermark, ids, logIds } of [...all, ...matched]) {
    if (event.count === 0) continue
    const where = `b${event.broker} t0p${event.partition} at t=${event.t}`
    if (event.lastOffset >= logHighWatermark)
      return fails("fetch-below-high-watermark", `${where}: offset ${event.lastOffset} >= HW ${logHighWatermark}`)
    if (event.lastOffset !== event.fetchOffset + event.count - 1 || event.highWatermark !== logHighWatermark)
      return fails("fetch-below-high-watermark", `${where}: the answer misreports its offsets or HW`)
    if (ids.join() !== logIds.join())
      return fails("fetch-below-high-watermark", `${where}: ids ${ids.join()} are not the log's ${logIds.join()}`)
  }
  const served = all.filter((a) => a.event.count > 0).length
  return holds("fetch-below-high-watermark", `${all.length} answers, ${served} with records, all below the HW`)
}

describe("consumer fetch property", () => {
  it("never returns an offset at or above the leader's high watermark at the time of the answer, under random produce and fault plans", () => {
    let served = 0
    expectHolds({
      scenario: cases,
      faults: faultPlanArbitrary({
        nodes: BROKERS,
        horizonMs: HORIZON_MS,
        kinds: ["crash", "pause", "partition"],
        maxFaults: 3,
      }),
      run,
      check: (answers) => {
        served += answers.matched.filter((a) => a.event.count > 0).length
        return check(answers)
      },
      label: "consumer fetch below the high watermark",
      numRuns: 40,
    })
    // The property is not vacuous: consumers did get records.
    expect(served).toBeGreaterThan(100)
  })
})

describe("consumer fetch laws", () => {
  const CASE: Case = { seed: 3, messages: 200, ratePerSecond: 1000, acks: -1, minInsyncReplicas: 2 }
  const CRASH: FaultPlan = { faults: [{ kind: "crash", node: "b1", at: 100, restartAt: 900 }] }

  it("gives the same trace for the same seed, with consumers fetching through a leader crash", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const sim = new Simulation({ seed, trace: { keep: Infinity } })
        return tracedRunOf(sim, (s) => void run({ ...CASE, seed }, CRASH, s))
      },
      3,
      { label: "consumer fetch", minRecords: 100 },
    )
    expect(report.records).toBeGreaterThanOrEqual(100)
  })

  it("never moves the clock backwards, step by step", () => {
    let steps = 0
    run(CASE, CRASH, undefined, (sim, until) => {
      steps += lawTimeNeverGoesBackwards(sim, { until }).steps
    })
    expect(steps).toBeGreaterThan(1000)
  })

  it("accepts fault-free runs on several seeds", () => {
    for (const seed of [1, 2, 3]) {
      const verdicts = lawCheckerAcceptsFaultFreeRuns((s) => run({ ...CASE, seed: s }, { faults: [] }), check, seed)
      expect(verdicts.map((verdict) => verdict.name)).toEqual(["fetch-below-high-watermark"])
    }
  })

  it("rejects an answer that handed out the record at the high watermark", () => {
    const event = {
      t: 10,
      seq: 1,
      type: "ConsumerFetchAnswered" as const,
      broker: 1,
      topic: "t0",
      partition: 0,
      fetchOffset: 3,
      count: 2,
      lastOffset: 4,
      highWatermark: 4,
      error: "NONE",
      waitedMs: 0,
    }
    const bad = { event, logHighWatermark: 4, ids: [3, 4], logIds: [3, 4] }
    const rejection = lawCheckerRejectsKnownBadRun({ all: [bad], matched: [] }, check, {
      name: "fetch-below-high-watermark",
      detail: /offset 4 >= HW 4/,
    })
    expect(rejection.held).toBe(false)
  })
})
