/**
 * The law block of the HTTP/2 flow-control model: same seed → same trace, time never goes
 * backwards, the window checks accept fault-free runs and reject a run whose client sent past its
 * windows.
 */
import { describe, expect, it } from "vitest"
import { formatCount, Simulation } from "../../../src/kernel/index.ts"
import {
  checkConnectionWindowRespected,
  checkStreamWindowRespected,
  FlowControlResult,
  FlowControlScenario,
  type FlowControlScenarioOptions,
} from "../../../src/models/http2/index.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"

const OPTIONS: FlowControlScenarioOptions = {
  streams: 3,
  bytesPerStream: 120_000,
  padding: 8,
  jitterMs: 3,
  settingsChanges: [{ atMs: 30, initialWindow: 16_384 }],
}

const flowChecks = (result: FlowControlResult) => [
  checkStreamWindowRespected(result),
  checkConnectionWindowRespected(result),
]

/** `result` with one more DATA frame of `octets` on `stream` at the end, as a client that ignored its windows would send. */
function withExtraData(result: FlowControlResult, stream: number, octets: number): FlowControlResult {
  return new FlowControlResult(
    result.windowSeries,
    result.bytesSent,
    result.blockedMs,
    result.connectionBlockedMs,
    result.errors,
    [...result.steps, { kind: "open", stream: 101 }, { kind: "data", stream, octets }],
    result.completed,
    result.windowUpdates,
    result.transferMs,
    result.endMs,
  )
}

describe("HTTP/2 flow-control laws", () => {
  it("gives the same trace for the same seed", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const sim = new Simulation({ seed, trace: { keep: Infinity } })
        const scenario = new FlowControlScenario(sim, OPTIONS)
        return tracedRunOf(sim, () => void scenario.run())
      },
      3,
      { label: "http2-flow-control", minRecords: 100 },
    )
    expect(report.records).toBeGreaterThanOrEqual(100)
  })

  it("never moves the clock backwards, step by step", () => {
    const scenario = new FlowControlScenario(new Simulation({ seed: 2 }), OPTIONS)
    let steps = 0
    scenario.run((sim, until) => {
      steps += lawTimeNeverGoesBackwards(sim, { until }).steps
    })
    expect(steps).toBeGreaterThan(100)
  })

  it("accepts fault-free runs", () => {
    for (const seed of [1, 2, 3]) {
      const verdicts = lawCheckerAcceptsFaultFreeRuns(
        (s) => new FlowControlScenario(new Simulation({ seed: s }), OPTIONS).run(),
        flowChecks,
        seed,
      )
      expect(verdicts.map((v) => v.name)).toEqual(["stream-window-respected", "connection-window-respected"])
    }
  })

  it("rejects a run whose client sent a frame larger than its stream window, and one past the connection window", () => {
    const good = new FlowControlScenario(new Simulation({ seed: 1 }), OPTIONS).run()
    const overStream = withExtraData(good, 101, 16_385)
    expect(
      lawCheckerRejectsKnownBadRun(overStream, flowChecks, {
        name: "stream-window-respected",
        detail: /stream 101 sent a 16,385-octet DATA frame with a window of 16,384/,
      }).held,
    ).toBe(false)
    const granted = good.steps.reduce(
      (sum, s) => sum + (s.kind === "update" && s.stream === 0 ? s.increment : 0),
      65_535,
    )
    const connectionLeft = granted - [...good.bytesSent.values()].reduce((a, b) => a + b, 0)
    const overConnection = withExtraData(good, 101, connectionLeft + 1)
    expect(
      lawCheckerRejectsKnownBadRun(overConnection, flowChecks, { name: "connection-window-respected" }).detail,
    ).toContain(`with ${formatCount(connectionLeft)} left on the connection`)
  })
})
