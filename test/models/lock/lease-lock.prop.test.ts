/**
 * Properties of the lease locks under generated fault plans: fencing keeps stale writes out for the
 * Redis lock, Redlock and etcd; without fencing fast-check finds a stale write and shrinks it to one pause
 * longer than the TTL; renewals with short pauses keep mutual exclusion; Redlock breaks with one
 * clock jump on a server of the holder's majority.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { expectCounterexample, expectHolds, faultPlanArbitrary } from "../../../src/check/index.ts"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  checkLockMutualExclusion,
  checkNoStaleWriteAccepted,
  clientNode,
  LeaseLockScenario,
  type LeaseLockOptions,
  type LeaseLockResult,
  redlockClockJumpFaults,
  redlockNode,
} from "../../../src/models/lock/index.ts"
import type { FaultPlan } from "../../../src/net/index.ts"
import { FC_SEED } from "../../laws/index.ts"

const TTL_MS = 1000
const DURATION_MS = 4000
const HORIZON_MS = 2500
const CLIENTS = [clientNode(0), clientNode(1), clientNode(2)]
const REDLOCK_SERVERS = [1, 2, 3, 4, 5].map(redlockNode)
const seeds = fc.integer({ min: 1, max: 1000 })

function run(seed: number, options: LeaseLockOptions, plan: FaultPlan): LeaseLockResult {
  return new LeaseLockScenario(new Simulation({ seed }), {
    ttlMs: TTL_MS,
    durationMs: DURATION_MS,
    ...options,
    plan,
  }).run()
}

/** The longest time one node is paused, pauses that touch or overlap on one node counted as one stall. */
function longestStallMs(plan: FaultPlan): number {
  const pauses = plan.faults
    .flatMap((fault) => (fault.kind === "pause" ? [fault] : []))
    .sort((a, b) => a.node.localeCompare(b.node) || a.at - b.at)
  let longest = 0
  let node = ""
  let from = 0
  let to = -Infinity
  for (const pause of pauses) {
    if (pause.node !== node || pause.at > to) [node, from, to] = [pause.node, pause.at, pause.at + pause.durationMs]
    else to = Math.max(to, pause.at + pause.durationMs)
    longest = Math.max(longest, to - from)
  }
  return longest
}

function replay(service: "redis" | "redlock" | "etcd", extra: string[]) {
  return {
    name: "lease-lock",
    toFlags: (seed: number) => ["--seed", String(seed), "--service", service, "--pause-ms", "0", ...extra],
  }
}

describe(`lease-lock properties (FC_SEED=${FC_SEED})`, () => {
  for (const service of ["redis", "redlock", "etcd"] as const) {
    it(`${service}: with fencing no stale write is accepted under pauses, clock faults, crashes and partitions`, () => {
      const servers = service === "redlock" ? REDLOCK_SERVERS : [service]
      const report = expectHolds({
        scenario: seeds,
        faults: faultPlanArbitrary({
          nodes: [...CLIENTS, ...servers, "storage"],
          horizonMs: HORIZON_MS,
          kinds: ["pause", "clock", "crash", "partition"],
          maxFaults: 4,
        }),
        run: (seed, plan) => run(seed, { service, fencing: true }, plan),
        check: (result) => checkNoStaleWriteAccepted(result.history),
        sim: replay(service, ["--fencing", "true"]),
        numRuns: 30,
        log: null,
      })
      expect(report.numRuns).toBe(30)
    })
  }

  // One write per holding: the pause must fall between a holder's check and its write, and last
  // until the next holder has acquired (after the TTL) and written.
  const workload = { writesPerHold: 1 }
  const pausesOnly = (maxFaults: number) =>
    faultPlanArbitrary({ nodes: CLIENTS, horizonMs: HORIZON_MS, kinds: ["pause"], maxDurationMs: 3000, maxFaults })

  it("redis without fencing: a stale write is accepted, and every shrunk plan stalls one client for longer than the TTL", () => {
    // fast-check can stop at a local minimum where two pauses only fail together: two pauses of
    // different clients (FC_SEED=20261124: client-1 737 ms, then client-0 1,006 ms), or two pauses of
    // one client back to back that it cannot merge (FC_SEED=16: client-1 747 ms at 1,180 then 261 ms
    // at 1,927, one stall of 1,008 ms). What every minimal plan shares is asserted: some client
    // stalls, pauses back to back counted as one, for longer than the TTL (seeds 1-160 checked).
    const found = expectCounterexample({
      scenario: seeds,
      faults: pausesOnly(4),
      run: (seed, plan) => run(seed, { fencing: false, workload }, plan),
      check: (result) => checkNoStaleWriteAccepted(result.history),
      sim: replay("redis", []),
      log: null,
    })
    expect(found.faults.faults.every((fault) => fault.kind === "pause")).toBe(true)
    expect(longestStallMs(found.faults)).toBeGreaterThan(TTL_MS)
  })

  it("redis without fencing: with one fault allowed, the counterexample is one pause longer than the TTL", () => {
    const found = expectCounterexample({
      scenario: seeds,
      faults: pausesOnly(1),
      run: (seed, plan) => run(seed, { fencing: false, workload }, plan),
      check: (result) => checkNoStaleWriteAccepted(result.history),
      sim: replay("redis", []),
      log: null,
    })
    expect(found.faults.faults).toHaveLength(1)
    const [pause] = found.faults.faults
    expect(pause).toMatchObject({ kind: "pause" })
    expect(pause!.kind === "pause" && pause!.durationMs).toBeGreaterThan(TTL_MS)
  })

  it("redis with renewals, each node paused at most once for less than TTL/3, no partitions: mutual exclusion holds", () => {
    const shortPauses = faultPlanArbitrary({
      nodes: [...CLIENTS, "redis", "storage"],
      horizonMs: HORIZON_MS,
      kinds: ["pause"],
      maxFaults: 3,
      maxDurationMs: Math.ceil(TTL_MS / 3) - 1,
    }).filter((plan) => new Set(plan.faults.map((f) => (f.kind === "pause" ? f.node : ""))).size === plan.faults.length)
    const report = expectHolds({
      scenario: seeds,
      faults: shortPauses,
      run: (seed, plan) => run(seed, { renew: true }, plan),
      check: (result) => checkLockMutualExclusion(result.history),
      sim: replay("redis", []),
      numRuns: 40,
      log: null,
    })
    expect(report.numRuns).toBe(40)
  })

  it("redlock: with client-0 cut off from redis-4 and redis-5, a clock jump on one server of its majority breaks mutual exclusion", () => {
    // The shrunk plan is one forward jump on a server of client-0's majority (seeds 1-120 checked:
    // +390 to +548 ms on redis-1), or, where fast-check cannot merge them, clock faults on that one
    // server of which one is a forward jump (FC_SEED=32: +344 and +150 ms at 2,008 ms; FC_SEED=118:
    // a drift from 1,981 ms, then +493 ms at 2,008). The first failing case came as late as the
    // 122nd (FC_SEED=14), so 500 cases are drawn.
    const cuts = redlockClockJumpFaults(5, 0, 1).filter((fault) => fault.kind === "link")
    const found = expectCounterexample({
      scenario: seeds,
      faults: faultPlanArbitrary({
        nodes: REDLOCK_SERVERS,
        horizonMs: HORIZON_MS,
        kinds: ["clock"],
        maxDriftRate: 0.005,
      }),
      run: (seed, plan) =>
        run(seed, { service: "redlock", renew: false }, { ...plan, faults: [...cuts, ...plan.faults] }),
      check: (result) => checkLockMutualExclusion(result.history),
      numRuns: 500,
      log: null,
    })
    const faults = found.faults.faults.flatMap((fault) => (fault.kind === "clock" ? [fault] : []))
    expect(faults).toHaveLength(found.faults.faults.length)
    expect(["redis-1", "redis-2", "redis-3"]).toContain(faults[0]!.node)
    expect(faults.every((fault) => fault.node === faults[0]!.node)).toBe(true)
    expect(faults.some((fault) => (fault.skewMs ?? 0) > 0)).toBe(true)
  })
})
