/**
 * The law block of the deadlock models: same seed → same trace (on snapshots drawn from the seed),
 * time never goes backwards, the checks (`deadlock-checks.ts`) accept healthy runs on several
 * seeds and every recovery, and reject doctored results: a wrong safe sequence, a lost instance,
 * an allocation above its claim, a process called deadlocked that could finish, a wait-for cycle
 * detection missed.
 */
import { describe, expect, it } from "vitest"
import { Simulation, seededStream } from "../../../src/kernel/index.ts"
import {
  bankersChecks,
  type BankersRunResult,
  BankersScenario,
  type DetectionRunResult,
  DetectionScenario,
  detectionChecks,
  randomBankersSnapshot,
  randomDetectionSnapshot,
  RECOVERIES,
  type Recovery,
} from "../../../src/models/deadlock/index.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"
import { SILBERSCHATZ_T0 } from "./silberschatz-t0.ts"

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8]

function bankers(seed: number, sim = new Simulation({ seed })): BankersScenario {
  return new BankersScenario(sim, randomBankersSnapshot(seededStream(seed, "snapshot"), 5, 3))
}

function detection(seed: number, recovery: Recovery = "abort-one", sim = new Simulation({ seed })): DetectionScenario {
  return new DetectionScenario(sim, { ...randomDetectionSnapshot(seededStream(seed, "snapshot"), 5, 3), recovery })
}

const BOOK_BANKERS = {
  ...SILBERSCHATZ_T0,
  requests: [
    { process: 1, request: [1, 0, 2] },
    { process: 4, request: [3, 3, 0] },
    { process: 0, request: [0, 2, 0] },
  ],
}

const RING = {
  available: [0, 0, 0],
  allocation: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  request: [
    [0, 1, 0],
    [0, 0, 1],
    [1, 0, 0],
  ],
}

describe("banker's laws", () => {
  it("gives the same trace for the same seed", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const sim = new Simulation({ seed, trace: { keep: Infinity } })
        const scenario = bankers(seed, sim)
        return tracedRunOf(sim, () => void scenario.run())
      },
      3,
      { label: "bankers", minRecords: 10 },
    )

    expect(report.records).toBeGreaterThan(10)
  })

  it("never moves the clock backwards, step by step", () => {
    const sim = new Simulation({ seed: 2 })
    bankers(2, sim)

    const report = lawTimeNeverGoesBackwards(sim)

    expect(report.steps).toBeGreaterThan(5)
  })

  it("accepts healthy runs on eight drawn snapshots and on the book's", () => {
    for (const seed of SEEDS) {
      const verdicts = lawCheckerAcceptsFaultFreeRuns((s) => bankers(s).run(), bankersChecks, seed)
      expect(verdicts.map((verdict) => verdict.name)).toEqual([
        "resources-conserved",
        "allocation-within-max",
        "safe-sequences-valid",
        "safe-state-stays-safe",
      ])
    }
    lawCheckerAcceptsFaultFreeRuns(() => new BankersScenario(new Simulation(), BOOK_BANKERS).run(), bankersChecks, 1)
  })

  it("rejects a safe sequence that does not replay, naming the process that cannot proceed", () => {
    const healthy = new BankersScenario(new Simulation(), BOOK_BANKERS).run()
    const safety = { ...healthy.initial.safety, order: [0, 1, 2, 3, 4] }
    const bad: BankersRunResult = { ...healthy, initial: { ...healthy.initial, safety } }

    lawCheckerRejectsKnownBadRun(bad, bankersChecks, {
      name: "safe-sequences-valid",
      detail: /^T0: P0 needs \(7,4,3\) but Work is \(3,3,2\)/,
    })
  })

  it("rejects a state that lost an instance, and one that holds more than its claim", () => {
    const healthy = new BankersScenario(new Simulation(), BOOK_BANKERS).run()
    const first = healthy.requests[0]!
    const leaky = { ...first, after: { ...first.after, available: [1, 3, 0] } }
    const greedy = {
      ...first,
      after: { ...first.after, allocation: first.after.allocation.map((r, i) => (i === 3 ? [3, 1, 1] : r)) },
    }

    lawCheckerRejectsKnownBadRun({ ...healthy, requests: [leaky, ...healthy.requests.slice(1)] }, bankersChecks, {
      name: "resources-conserved",
      detail: /after request 1/,
    })
    lawCheckerRejectsKnownBadRun({ ...healthy, requests: [greedy, ...healthy.requests.slice(1)] }, bankersChecks, {
      name: "allocation-within-max",
      detail: /^P3 after request 1: \(3,1,1\) > Max \(2,2,2\)/,
    })
  })
})

describe("detection laws", () => {
  it("gives the same trace for the same seed", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const sim = new Simulation({ seed, trace: { keep: Infinity } })
        const scenario = detection(seed, "abort-one", sim)
        return tracedRunOf(sim, () => void scenario.run())
      },
      3,
      { label: "deadlock-detection", minRecords: 4 },
    )

    expect(report.records).toBeGreaterThan(4)
  })

  it("never moves the clock backwards, step by step", () => {
    const sim = new Simulation({ seed: 3 })
    detection(3, "preempt", sim)

    const report = lawTimeNeverGoesBackwards(sim)

    expect(report.steps).toBeGreaterThan(3)
  })

  it("accepts healthy runs on eight drawn snapshots with every recovery, and the single-instance ring", () => {
    for (const seed of SEEDS)
      for (const recovery of RECOVERIES)
        lawCheckerAcceptsFaultFreeRuns((s) => detection(s, recovery).run(), detectionChecks, seed)
    const ring = lawCheckerAcceptsFaultFreeRuns(
      () => new DetectionScenario(new Simulation(), RING).run(),
      detectionChecks,
      1,
    )

    expect(ring.map((verdict) => verdict.name)).toEqual([
      "detection-replays",
      "wait-for-cycle-iff-deadlock",
      "recovery-ends-deadlock",
    ])
  })

  it("rejects a process called deadlocked that could finish", () => {
    const healthy = new DetectionScenario(new Simulation(), {
      ...RING,
      request: [
        [0, 1, 0],
        [0, 0, 1],
        [0, 0, 0],
      ],
    }).run()
    const order = healthy.detection.order.slice(0, -1)
    const wrong = healthy.detection.order[healthy.detection.order.length - 1]!
    const bad: DetectionRunResult = { ...healthy, detection: { ...healthy.detection, order, deadlocked: [wrong] } }

    lawCheckerRejectsKnownBadRun(bad, detectionChecks, {
      name: "detection-replays",
      detail: /^P0 is called deadlocked but its request fits Work/,
    })
  })

  it("rejects a wait-for cycle that detection missed", () => {
    const healthy = new DetectionScenario(new Simulation(), RING).run()
    const bad: DetectionRunResult = { ...healthy, detection: { ...healthy.detection, deadlocked: [] } }

    lawCheckerRejectsKnownBadRun(bad, detectionChecks, {
      name: "wait-for-cycle-iff-deadlock",
      detail: /^cycle P0→P1→P2→P0 but detection finds no deadlock/,
    })
  })
})
