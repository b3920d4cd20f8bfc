/**
 * The law block of the TCP model: same seed → same trace, time never goes backwards, the checks
 * accept fault-free runs and reject known-bad ones (a strategy that cuts cwnd below one segment
 * and ssthresh below two, and a sender that overruns its window).
 */
import { describe, expect, it } from "vitest"
import { Simulation, type Traced } from "../../../src/kernel/index.ts"
import {
  type CongestionControl,
  type TcpEvent,
  tcpChecks,
  TcpScenario,
  type TcpScenarioOptions,
  TcpWatch,
} from "../../../src/models/tcp/index.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"

const OPTIONS: TcpScenarioOptions = { flows: ["reno", "cubic"], durationMs: 2000, lossProbability: 0.02 }

/** A strategy that breaks RFC 5681: ssthresh one segment after a loss, and half a segment in congestion avoidance. */
function broken(): CongestionControl {
  return {
    name: "reno",
    recovery: "tahoe",
    ssthreshAfterLoss: (state) => state.mssBytes,
    growInAvoidance: (state) => state.mssBytes / 2,
  }
}

describe("TCP model laws", () => {
  it("gives the same trace for the same seed, random loss included", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const sim = new Simulation({ seed, trace: { keep: Infinity } })
        const scenario = new TcpScenario(sim, OPTIONS)
        return tracedRunOf(sim, () => void scenario.run())
      },
      3,
      { label: "tcp", minRecords: 1000 },
    )

    expect(report.records).toBeGreaterThanOrEqual(1000)
  })

  it("never moves the clock backwards, step by step", () => {
    const sim = new Simulation({ seed: 4 })
    const scenario = new TcpScenario(sim, OPTIONS)

    let steps = 0
    scenario.run((s, until) => {
      steps += lawTimeNeverGoesBackwards(s, { until }).steps
    })

    expect(steps).toBeGreaterThan(1000)
  })

  it("accepts fault-free runs of every algorithm on several seeds", () => {
    for (const seed of [1, 2, 3]) {
      const verdicts = lawCheckerAcceptsFaultFreeRuns(
        (s) =>
          new TcpScenario(new Simulation({ seed: s }), {
            ...OPTIONS,
            flows: ["tahoe", "reno", "newreno", "cubic"],
          }).run(),
        (result) => tcpChecks(result.watch),
        seed,
      )

      expect(verdicts.map((verdict) => verdict.name)).toEqual([
        "cwnd-at-least-one-mss",
        "in-flight-within-window",
        "ssthresh-after-loss",
      ])
    }
  })

  it("rejects a run whose strategy lets cwnd fall below one segment and ssthresh below two", () => {
    const sim = new Simulation({ seed: 1 })
    const result = new TcpScenario(sim, {
      flows: [{ algorithm: "reno", congestionControl: broken }],
      durationMs: 3000,
    }).run()

    lawCheckerRejectsKnownBadRun(result, (r) => tcpChecks(r.watch), {
      name: "cwnd-at-least-one-mss",
      detail: /< 1 MSS/,
    })
    lawCheckerRejectsKnownBadRun(result, (r) => tcpChecks(r.watch), {
      name: "ssthresh-after-loss",
      detail: /< 2 MSS after a loss/,
    })
  })

  it("rejects a trace where new data went out beyond min(cwnd, rwnd)", () => {
    const watch = new TcpWatch(1460)
    const overrun: Traced<TcpEvent> = {
      t: 5,
      seq: 0,
      type: "TcpSegmentSent",
      flow: 0,
      src: "10.0.0.1",
      dst: "10.0.0.2",
      srcPort: 40000,
      dstPort: 80,
      seqNumber: 1,
      ackNumber: 1,
      flags: "P.",
      window: 65535,
      payloadBytes: 1460,
      timeMs: 5,
      retransmission: false,
      inFlightBytes: 5840,
      sendWindowBytes: 4380,
    } as Traced<TcpEvent>
    watch.observe(overrun)

    const rejection = lawCheckerRejectsKnownBadRun(watch, tcpChecks, { name: "in-flight-within-window" })

    expect(rejection.detail).toBe("flow 0: 5840 bytes in flight after seq 1 at t=5ms, window 4380")
  })
})
