/**
 * The law block of the monitored service: same seed → same trace, time never goes backwards, the
 * checks accept runs whose errors last long enough and reject a known-bad one (a 10-second burst of
 * errors, which never keeps the alert's condition for `for`). Plus the rule group's evaluation slots.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  checkAlertFired,
  checkRateNeverNegative,
  evaluateExpr,
  type PrometheusResult,
  PrometheusScenario,
  type PrometheusScenarioOptions,
} from "../../../src/models/observability/index.ts"
import {
  checkProperty,
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"

/** Five minutes: errors from 60 s for 4 minutes, an alert with a 1-minute `for`, a restart at 150 s. */
const SHORT: PrometheusScenarioOptions = {
  durationMs: 300_000,
  spikeAtMs: 60_000,
  spikeMs: 240_000,
  alertForMs: 60_000,
  restartAtMs: 150_000,
}

function scenario(seed: number, options: PrometheusScenarioOptions = SHORT, keep = 0): PrometheusScenario {
  return new PrometheusScenario(new Simulation({ seed, trace: { keep } }), options)
}

const checks = (result: PrometheusResult) => [checkRateNeverNegative(result), checkAlertFired(result)]

describe("observability model laws", () => {
  it("gives the same trace for the same seed", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const built = scenario(seed, SHORT, Infinity)
        return tracedRunOf(built.sim, () => void built.run())
      },
      3,
      { label: "prometheus", minRecords: 40 },
    )
    expect(report.records).toBeGreaterThanOrEqual(40)
  })

  it("never moves the clock backwards, step by step", () => {
    let steps = 0
    scenario(2).run((sim, until) => {
      steps += lawTimeNeverGoesBackwards(sim, { until }).steps
    })
    expect(steps).toBeGreaterThan(10_000)
  })

  it("accepts runs whose errors outlast `for` on several seeds: the rate stays >= 0 across the restart, the alert fires", () => {
    for (const seed of [1, 2, 3]) {
      const verdicts = lawCheckerAcceptsFaultFreeRuns((s) => scenario(s).run(), checks, seed)
      expect(verdicts.map((verdict) => verdict.name)).toEqual(["rate-never-negative", "alert-fired"])
    }
  })

  it("rejects a run whose errors last 10 s: the alert never fires", () => {
    const bad = scenario(1, { ...SHORT, spikeMs: 10_000, spikeRps: 500 }).run()
    const rejection = lawCheckerRejectsKnownBadRun(bad, checks, { name: "alert-fired", detail: /never fired although/ })
    expect(rejection.held).toBe(false)
  })
})

describe("the alert's timing", () => {
  it("fires at least `for` after its first pending evaluation, and within `for` + one evaluation + one scrape interval of the condition holding in the data", () => {
    checkProperty(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom(15_000, 30_000),
        fc.constantFrom(5_000, 15_000),
        (seed, evaluationIntervalMs, scrapeIntervalMs) => {
          const built = scenario(seed, {
            durationMs: 300_000,
            spikeAtMs: 60_000,
            spikeMs: 240_000,
            errorRatio: 0.3,
            alertForMs: 60_000,
            evaluationIntervalMs,
            scrapeIntervalMs,
            rateWindowMs: 4 * scrapeIntervalMs,
          })
          const result = built.run()
          const pending = built.alert.transitions.find((t) => t.state === "pending")!
          const fired = result.alertFiredAtMs!
          expect(fired - pending.tMs).toBeGreaterThanOrEqual(60_000)
          // The first whole second at which the condition holds over the stored samples.
          let heldMs = 60_000
          while (evaluateExpr(built.queries.alertCondition, built.scraper.store, heldMs).length === 0) heldMs += 1000
          expect(fired).toBeLessThanOrEqual(heldMs + 60_000 + evaluationIntervalMs + scrapeIntervalMs)
        },
      ),
      { testFile: "test/models/observability/prometheus-laws.test.ts", numRuns: 12 },
    )
  })
})

describe("RuleGroup", () => {
  it("evaluates at offset + k × interval, the first slot strictly after the start, and records with the evaluation's time", () => {
    const built = scenario(1)
    const result = built.run()
    const { offsetMs, intervalMs } = built.rules
    expect(offsetMs).toBeGreaterThanOrEqual(0)
    expect(offsetMs).toBeLessThan(intervalMs)
    expect(result.evaluationTimesMs.slice(0, 3)).toEqual(
      [0, 1, 2].map((k) => (offsetMs || intervalMs) + k * intervalMs),
    )
    expect(built.rules.firstEvaluationMs(offsetMs)).toBe(offsetMs + intervalMs)
    const recorded = built.scraper.store.select("service:http_requests:rate1m")[0]!
    expect(recorded.samples.map((s) => s.tMs)).toEqual(
      result.evaluationTimesMs.filter((_, k) => result.values.rate[k] !== undefined),
    )
    expect(recorded.samples.map((s) => s.value)).toEqual(result.values.rate.filter((v) => v !== undefined))
  })
})
