import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  type LossEvent,
  parseLossEvents,
  type Round,
  roundOfSegment,
  tcpRounds,
  type TcpRoundsOptions,
} from "../../../src/models/tcp/tcp-rounds.ts"
import {
  checkCwndAtLeastOne,
  checkRoundGrowth,
  checkSsthreshAfterLoss,
  tcpRoundsChecks,
} from "../../../src/models/tcp/tcp-rounds-checks.ts"
import { TcpRoundsResult, TcpRoundsScenario } from "../../../src/models/tcp/tcp-rounds-scenario.ts"
import { tcpRoundsTimelineLine } from "../../../src/models/tcp/tcp-rounds-timeline.ts"
import type { TcpRoundsEvent } from "../../../src/models/tcp/tcp-rounds-events.ts"
import type { Traced } from "../../../src/kernel/index.ts"
import {
  checkProperty,
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"

const TEST_FILE = "test/models/tcp/tcp-rounds.test.ts"
const P40: TcpRoundsOptions = {
  ssthresh: 32,
  events: [
    { round: 16, kind: "dup" },
    { round: 22, kind: "timeout" },
  ],
  rounds: 26,
}

const cwnds = (options: TcpRoundsOptions): number[] => tcpRounds(options).rounds.map((r) => r.cwnd)
const at = (rounds: readonly Round[], round: number): Round => rounds[round - 1]!

describe("tcpRounds reproduces Kurose & Ross Figure 3.52 (7th ed.)", () => {
  it("Reno: 1 2 4 8 9 10 11 12, a triple dup ACK after round 8 (cwnd 12) -> ssthresh 6, then 9 10 ... 15", () => {
    const { rounds, losses } = tcpRounds()
    expect(rounds.map((r) => r.cwnd)).toEqual([1, 2, 4, 8, 9, 10, 11, 12, 9, 10, 11, 12, 13, 14, 15])
    expect(rounds.map((r) => r.ssthresh)).toEqual([8, 8, 8, 8, 8, 8, 8, 8, 6, 6, 6, 6, 6, 6, 6])
    expect(rounds.map((r) => r.phase)).toEqual([
      ...Array(4).fill("slow-start"),
      ...Array(4).fill("congestion-avoidance"),
      "fast-recovery",
      ...Array(6).fill("congestion-avoidance"),
    ])
    expect(losses).toEqual([{ round: 8, kind: "dup", cwnd: 12, ssthresh: 6, nextCwnd: 9, nextPhase: "fast-recovery" }])
  })

  it("Tahoe: the same up to round 8, then 1 2 4 6 (slow start capped at ssthresh 6) 7 8 9", () => {
    const { rounds } = tcpRounds({ algorithm: "tahoe" })
    expect(rounds.map((r) => r.cwnd)).toEqual([1, 2, 4, 8, 9, 10, 11, 12, 1, 2, 4, 6, 7, 8, 9])
    expect(rounds.map((r) => r.phase)).toEqual([
      ...Array(4).fill("slow-start"),
      ...Array(4).fill("congestion-avoidance"),
      ...Array(4).fill("slow-start"),
      ...Array(3).fill("congestion-avoidance"),
    ])
  })
})

describe("tcpRounds reproduces Kurose & Ross problem P40 (Reno, ssthresh 32)", () => {
  const { rounds, losses } = tcpRounds(P40)

  it("slow start 1..32 in rounds 1-6, CA 33..42 in rounds 7-16, 24..29 in 17-22, slow start 1 2 4 8 in 23-26", () => {
    expect(rounds.map((r) => r.cwnd)).toEqual([
      1, 2, 4, 8, 16, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 24, 25, 26, 27, 28, 29, 1, 2, 4, 8,
    ])
    const phaseOf = (round: number): string => at(rounds, round).phase
    expect([1, 6, 23, 26].map(phaseOf)).toEqual(Array(4).fill("slow-start"))
    expect([7, 16, 18, 22].map(phaseOf)).toEqual(Array(4).fill("congestion-avoidance"))
    expect(phaseOf(17)).toBe("fast-recovery")
  })

  it("answers: ssthresh 21 at round 18 and 14 at round 24; the 70th segment goes in round 7 (rounds 1-6 send 63)", () => {
    expect(at(rounds, 18).ssthresh).toBe(21)
    expect(at(rounds, 24).ssthresh).toBe(14)
    expect(at(rounds, 6).sentThrough).toBe(63)
    expect(roundOfSegment(rounds, 70)).toBe(7)
    expect(roundOfSegment(rounds, 64)).toBe(7)
    expect(roundOfSegment(rounds, 63)).toBe(6)
    expect(roundOfSegment(rounds, 10_000)).toBeUndefined()
    expect(losses.map((l) => [l.round, l.kind, l.ssthresh, l.nextCwnd])).toEqual([
      [16, "dup", 21, 24],
      [22, "timeout", 14, 1],
    ])
  })

  it("a triple dup ACK after round 26 (cwnd 8) gives ssthresh 4 and cwnd 7", () => {
    const more = tcpRounds({ ...P40, events: [...P40.events!, { round: 26, kind: "dup" }], rounds: 27 })
    expect(at(more.rounds, 27)).toMatchObject({ cwnd: 7, ssthresh: 4, phase: "fast-recovery" })
  })

  it("Tahoe: after the dup ACK at 16, round 19 has ssthresh 21 and cwnd 4; rounds 17-22 send 1+2+4+8+16+21 = 52", () => {
    const tahoe = tcpRounds({ ...P40, algorithm: "tahoe" }).rounds
    expect(at(tahoe, 19)).toMatchObject({ ssthresh: 21, cwnd: 4 })
    expect(tahoe.slice(16, 22).map((r) => r.cwnd)).toEqual([1, 2, 4, 8, 16, 21])
    expect(at(tahoe, 22).sentThrough - at(tahoe, 16).sentThrough).toBe(52)
  })
})

describe("tcpRounds edge cases", () => {
  it("starts in congestion avoidance when the initial cwnd is not below ssthresh", () => {
    const { rounds } = tcpRounds({ initialCwnd: 8, ssthresh: 8, events: [], rounds: 3 })
    expect(rounds.map((r) => [r.cwnd, r.phase])).toEqual([
      [8, "congestion-avoidance"],
      [9, "congestion-avoidance"],
      [10, "congestion-avoidance"],
    ])
  })

  it("keeps ssthresh at 2 after a loss with a small window; a timeout under Reno restarts from 1", () => {
    const { rounds } = tcpRounds({ ssthresh: 1, events: [{ round: 1, kind: "timeout" }], rounds: 4 })
    expect(rounds.map((r) => [r.cwnd, r.ssthresh, r.phase])).toEqual([
      [1, 1, "congestion-avoidance"],
      [1, 2, "slow-start"],
      [2, 2, "slow-start"],
      [3, 2, "congestion-avoidance"],
    ])
  })

  it("a loss in the last round is responded to but no round shows it", () => {
    const { rounds, losses } = tcpRounds({ events: [{ round: 3, kind: "dup" }], rounds: 3 })
    expect(rounds).toHaveLength(3)
    expect(losses).toEqual([{ round: 3, kind: "dup", cwnd: 4, ssthresh: 2, nextCwnd: 5, nextPhase: "fast-recovery" }])
  })
})

describe("parseLossEvents", () => {
  it("reads none and <round>:dup|timeout lists, sorted by round", () => {
    expect(parseLossEvents("none")).toEqual([])
    expect(parseLossEvents("22:timeout,16:dup")).toEqual([
      { round: 16, kind: "dup" },
      { round: 22, kind: "timeout" },
    ])
  })

  it("names what is wrong", () => {
    expect(parseLossEvents("8:drop")).toBe('event "8:drop": unknown kind "drop" (allowed: dup, timeout)')
    expect(parseLossEvents("0:dup")).toBe('event "0:dup": rounds count from 1')
    expect(parseLossEvents("8:dup,8:timeout")).toBe("round 8 has more than one event")
    expect(parseLossEvents("x:dup")).toBe('event "x:dup" is not <round>:dup or <round>:timeout')
    expect(parseLossEvents("")).toBe('event "" is not <round>:dup or <round>:timeout')
  })
})

const optionsArbitrary: fc.Arbitrary<TcpRoundsOptions> = fc
  .record({
    algorithm: fc.constantFrom("tahoe" as const, "reno" as const),
    ssthresh: fc.integer({ min: 1, max: 200 }),
    rounds: fc.integer({ min: 1, max: 60 }),
    initialCwnd: fc.integer({ min: 1, max: 200 }),
    losses: fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.constantFrom("dup" as const, "timeout" as const))),
  })
  .map(({ losses, ...rest }) => {
    const byRound = new Map(losses.filter(([round]) => round <= rest.rounds))
    const events: LossEvent[] = [...byRound].map(([round, kind]) => ({ round, kind }))
    return { ...rest, events }
  })

describe("tcpRounds properties, for any options", () => {
  it("cwnd >= 1; ssthresh >= 2 after any loss; slow start at most doubles; congestion avoidance adds exactly 1", () => {
    checkProperty(
      fc.property(optionsArbitrary, (options) => {
        const { rounds, losses } = tcpRounds(options)
        expect(rounds).toHaveLength(options.rounds!)
        for (const r of rounds) expect(r.cwnd).toBeGreaterThanOrEqual(1)
        for (const loss of losses) {
          expect(loss.ssthresh).toBeGreaterThanOrEqual(2)
          if (loss.round < rounds.length) expect(at(rounds, loss.round + 1).ssthresh).toBe(loss.ssthresh)
        }
        for (const [i, next] of rounds.entries()) {
          const prev = rounds[i - 1]
          if (prev === undefined || prev.loss !== undefined) continue
          if (prev.cwnd < prev.ssthresh) {
            expect(next.cwnd).toBeLessThanOrEqual(2 * prev.cwnd)
            expect(next.cwnd).toBeLessThanOrEqual(prev.ssthresh)
          } else expect(next.cwnd).toBe(prev.cwnd + 1)
        }
        expect(tcpRoundsChecks(new TcpRoundsResult(options.algorithm!, rounds, losses)).every((c) => c.held)).toBe(true)
      }),
      { testFile: TEST_FILE },
    )
  })
})

describe("TcpRoundsScenario on the kernel", () => {
  const run = (seed: number, options: TcpRoundsOptions = P40) => {
    const sim = new Simulation({ seed, trace: { keep: Infinity } })
    const scenario = new TcpRoundsScenario(sim, options)
    return { sim, scenario, result: scenario.run() }
  }

  it("records one RoundSent per round at t = round and a LossDetected after the round that ends in a loss", () => {
    const { sim, result } = run(1)
    const records = sim.trace.records() as unknown as readonly Traced<TcpRoundsEvent>[]
    expect(records).toHaveLength(26 + 2)
    expect(records.filter((r) => r.type === "RoundSent").map((r) => r.t)).toEqual(
      Array.from({ length: 26 }, (_, i) => i + 1),
    )
    const losses = records.filter((r) => r.type === "LossDetected")
    expect(losses.map((r) => [r.t, r.round, r.seq - 1])).toEqual([
      [16, 16, records.findIndex((r) => r.type === "RoundSent" && r.round === 16)],
      [22, 22, records.findIndex((r) => r.type === "RoundSent" && r.round === 22)],
    ])
    expect(sim.now).toBe(26)
    expect(result.summary().cwnd).toEqual(cwnds(P40))
    expect(result.summary().segmentsSent.at(-1)).toBe(612)
  })

  it("shows each record in the timeline", () => {
    const { sim } = run(1)
    const lines = (sim.trace.records() as unknown as readonly Traced<TcpRoundsEvent>[]).map(tcpRoundsTimelineLine)
    expect(lines[0]).toBe("round 1: cwnd 1, ssthresh 32, slow start; 1 segment(s) sent so far")
    expect(lines[16]).toBe(
      "  triple duplicate ACK at the end of round 16: ssthresh = max(floor(42 / 2), 2) = 21, next cwnd 24 (fast recovery)",
    )
  })

  // --- the law block ---

  it("gives the same trace for the same seed", () => {
    const build = (seed: number) => {
      const sim = new Simulation({ seed, trace: { keep: Infinity } })
      const scenario = new TcpRoundsScenario(sim, P40)
      return tracedRunOf(sim, () => void scenario.run())
    }
    const report = lawSameSeedSameTrace(build, 7, {
      label: "tcp-rounds",
      minRecords: 28,
    })
    expect(report.records).toBe(28)
  })

  it("never moves the clock backwards", () => {
    const sim = new Simulation({ seed: 1 })
    new TcpRoundsScenario(sim, P40)
    expect(lawTimeNeverGoesBackwards(sim).steps).toBeGreaterThanOrEqual(26)
  })

  it("accepts loss-free runs and runs with losses", () => {
    for (const options of [{ events: [] }, {}, P40, { ...P40, algorithm: "tahoe" as const }]) {
      const verdicts = lawCheckerAcceptsFaultFreeRuns((seed) => run(seed, options).result, tcpRoundsChecks, 1)
      expect(verdicts.map((v) => v.name)).toEqual(["cwnd-at-least-one", "ssthresh-after-loss", "round-growth"])
    }
    expect(checkSsthreshAfterLoss(run(1, { events: [] }).result).detail).toContain("vacuous")
  })

  it("rejects known-bad runs: a window of 0, ssthresh 1 after a loss, congestion avoidance adding 2", () => {
    const { rounds, losses } = tcpRounds()
    const bad = (changed: Round[], changedLosses = losses) => new TcpRoundsResult("reno", changed, changedLosses)
    const zero = rounds.map((r) => (r.round === 3 ? { ...r, cwnd: 0 } : r))
    expect(lawCheckerRejectsKnownBadRun(bad(zero), checkCwndAtLeastOne, { detail: /round 3: cwnd 0/ }).held).toBe(false)
    const lowLoss = [{ ...losses[0]!, ssthresh: 1 }]
    expect(
      lawCheckerRejectsKnownBadRun(bad(rounds, lowLoss), checkSsthreshAfterLoss, {
        detail: /round 8: cwnd 12 gave ssthresh 1/,
      }).held,
    ).toBe(false)
    const jump = rounds.map((r) => (r.round >= 6 && r.round <= 8 ? { ...r, cwnd: r.cwnd + r.round - 5 } : r))
    expect(
      lawCheckerRejectsKnownBadRun(bad(jump), checkRoundGrowth, { detail: /round 5 -> 6: cwnd 9 -> 11/ }).held,
    ).toBe(false)
    const tripled = rounds.map((r) => (r.round === 2 ? { ...r, cwnd: 3 } : r))
    expect(
      lawCheckerRejectsKnownBadRun(bad(tripled), checkRoundGrowth, { detail: /round 1 -> 2: cwnd 1 -> 3/ }).held,
    ).toBe(false)
  })
})
