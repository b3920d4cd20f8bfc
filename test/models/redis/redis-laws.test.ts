/**
 * The simulated Redis on a node: replies travel the network, the server's clock is the node's, a
 * crash loses the keyspace; then the law block (same seed → same trace, time never goes
 * backwards, the check accepts fault-free runs and rejects a run where the server stalled past the
 * client's timeout).
 */
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  checkEveryCommandAnswered,
  parseRedisScript,
  type RedisCommandsOptions,
  RedisCommandsScenario,
  redisTimeline,
  type ScriptStep,
} from "../../../src/models/redis/index.ts"
import type { FaultPlan } from "../../../src/net/index.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"

function steps(text: string): readonly ScriptStep[] {
  const parsed = parseRedisScript(text, ";")
  if (!parsed.ok) throw new Error(parsed.error)
  return parsed.steps
}

function scenario(
  seed: number,
  script: string,
  options: Partial<RedisCommandsOptions> = {},
  keep = 0,
): RedisCommandsScenario {
  return new RedisCommandsScenario(new Simulation({ seed, trace: { keep } }), { steps: steps(script), ...options })
}

const SCRIPT =
  "SET lock t1 NX PX 300; sleep 100; FCALL lock_extend 1 lock t1 300; sleep 350; GET lock; " +
  "sleep 100; GET lock; ZINCRBY hot 1 a"

describe("Redis on a simulated node", () => {
  it("expires a key early when the server's clock jumps forward, as a real host's would", () => {
    const plan: FaultPlan = { faults: [{ kind: "clock", node: "redis", at: 50, skewMs: 400 }] }

    const result = scenario(1, "SET lock t1 PX 1000; sleep 100; GET lock; sleep 600; GET lock", { plan }).run()

    expect(result.replies.map((command) => command.reply)).toEqual([{ status: "OK" }, { bulk: "t1" }, { bulk: null }])
  })

  it("loses every key in a crash (no persistence) and answers again after the restart", () => {
    const plan: FaultPlan = { faults: [{ kind: "crash", node: "redis", at: 50, restartAt: 60 }] }

    const built = scenario(1, "SET k v; sleep 100; GET k", { plan }, Infinity)
    const result = built.run()

    expect(result.replies.map((command) => command.reply)).toEqual([{ status: "OK" }, { bulk: null }])
    const lines = built.sim.trace
      .records()
      .map((record) => redisTimeline(record as never))
      .filter((line) => line !== undefined)
    expect(lines).toEqual([
      "client> SET k v  →  OK",
      "redis CRASHED",
      "redis: every key lost in the crash (1; no persistence)",
      "redis restarted",
      "client> GET k  →  (nil)",
    ])
  })

  it("removes an expired key in the active cycle without any access", () => {
    const built = scenario(1, "SET k v PX 150; sleep 400; SET other 1", {}, Infinity)
    built.run()

    const expiries = built.sim.trace.records().filter((record) => record.type === "KeyExpired")
    expect(expiries).toEqual([
      { t: 200, seq: expect.any(Number), type: "KeyExpired", node: "redis", key: "k", way: "active" },
    ])
  })
})

describe("Redis model laws", () => {
  it("gives the same trace for the same seed, with latency jitter and a pause", () => {
    const plan: FaultPlan = { faults: [{ kind: "pause", node: "redis", at: 120, durationMs: 50 }] }

    const report = lawSameSeedSameTrace(
      (seed) => {
        const built = scenario(seed, SCRIPT, { latencyMs: 5, plan }, Infinity)
        return tracedRunOf(built.sim, () => void built.run())
      },
      3,
      { label: "redis", minRecords: 30 },
    )

    expect(report.records).toBeGreaterThanOrEqual(30)
  })

  it("never moves the clock backwards, step by step", () => {
    const built = scenario(2, SCRIPT, { latencyMs: 5 })

    let steps = 0
    built.run((sim, until) => {
      steps += lawTimeNeverGoesBackwards(sim, { until }).steps
    })

    expect(steps).toBeGreaterThan(20)
  })

  it("accepts fault-free runs on several seeds", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const verdicts = lawCheckerAcceptsFaultFreeRuns(
        (s) => scenario(s, SCRIPT, { latencyMs: 5 }).run(),
        checkEveryCommandAnswered,
        seed,
      )

      expect(verdicts.map((verdict) => verdict.name)).toEqual(["every-command-answered"])
    }
  })

  it("rejects a run where the server stalled longer than the client's timeout", () => {
    const plan: FaultPlan = { faults: [{ kind: "pause", node: "redis", at: 90, durationMs: 2000 }] }

    const bad = scenario(1, SCRIPT, { latencyMs: 5, plan, timeoutMs: 1000 }).run()

    const rejection = lawCheckerRejectsKnownBadRun(bad, checkEveryCommandAnswered, {
      name: "every-command-answered",
      detail: /no reply within/,
    })
    expect(rejection.held).toBe(false)
  })
})
