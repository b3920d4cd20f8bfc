/**
 * Properties of HTTP/2 flow control (docs/http2.md) under generated receiver policies, link
 * speeds, padding, stream limits and SETTINGS_INITIAL_WINDOW_SIZE changes: bytes sent per stream
 * stay within initial window + updates (with the delta rule) and per connection within 65,535 +
 * updates; windows stay at most 2^31 − 1 and go negative only through a SETTINGS decrease; control
 * frames are never held back by flow control; and every upload completes.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Simulation, type Traced } from "../../../src/kernel/index.ts"
import {
  checkConnectionWindowRespected,
  checkStreamWindowRespected,
  type FlowControlEvent,
  FlowControlScenario,
  type FlowControlScenarioOptions,
  MAX_WINDOW,
} from "../../../src/models/http2/index.ts"
import { checkProperty } from "../../laws/index.ts"

const TEST_FILE = "test/models/http2/flow-control.prop.test.ts"

const optionsArbitrary: fc.Arbitrary<FlowControlScenarioOptions> = fc.record(
  {
    streams: fc.integer({ min: 1, max: 4 }),
    bytesPerStream: fc.integer({ min: 0, max: 150_000 }),
    rttMs: fc.integer({ min: 1, max: 80 }),
    jitterMs: fc.integer({ min: 0, max: 20 }),
    bandwidthMbps: fc.integer({ min: 1, max: 1000 }),
    readMbps: fc.integer({ min: 1, max: 1000 }),
    updateThreshold: fc.double({ min: 0.05, max: 1, noNaN: true }),
    padding: fc.integer({ min: 0, max: 255 }),
    maxConcurrentStreams: fc.integer({ min: 1, max: 4 }),
    maxFrameSize: fc.integer({ min: 16_384, max: 100_000 }),
    connectionWindow: fc.integer({ min: 65_535, max: 2 ** 24 }),
    settingsChanges: fc.array(
      fc.record({
        atMs: fc.integer({ min: 0, max: 300 }),
        initialWindow: fc.oneof(fc.integer({ min: 1024, max: 16_384 }), fc.integer({ min: 16_385, max: 300_000 })),
      }),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: ["streams", "bytesPerStream", "rttMs", "updateThreshold", "settingsChanges"] },
)

function run(options: FlowControlScenarioOptions) {
  const sim = new Simulation({ seed: options.rttMs! })
  const records: Traced<FlowControlEvent>[] = []
  sim.trace.listen((record) => records.push(record as Traced<FlowControlEvent>))
  const result = new FlowControlScenario(sim, options).run()
  return { result, records }
}

/** Throws unless every window that went down below 0 did so on a SETTINGS decrease the client just received. */
function negativeOnlyBySettings(records: readonly Traced<FlowControlEvent>[]): void {
  const last = new Map<number, number>()
  let initial = 65_535
  let cause: "settings-decrease" | "other" = "other"
  for (const r of records) {
    if (r.type === "FrameReceived" && r.by === "client") {
      const value = r.frame.kind === "SETTINGS" ? r.frame.settings.initialWindowSize : undefined
      cause = value !== undefined && value < initial ? "settings-decrease" : "other"
      if (value !== undefined) initial = value
    }
    if (r.type === "FrameSent" && r.by === "client") cause = "other"
    if (r.type !== "SendWindowChanged") continue
    const before = last.get(r.stream)
    if (r.window < 0 && before !== undefined && r.window < before && cause !== "settings-decrease")
      throw new Error(`stream ${r.stream}'s window fell to ${r.window} at t=${r.t} without a SETTINGS decrease`)
    if (r.stream === 0) expect(r.window).toBeGreaterThanOrEqual(0)
    expect(r.window).toBeLessThanOrEqual(MAX_WINDOW)
    last.set(r.stream, r.window)
  }
}

/** Throws unless each SETTINGS and PING the client received was acknowledged before its next DATA frame. */
function controlNeverBlocked(records: readonly Traced<FlowControlEvent>[]): void {
  const owed: string[] = []
  for (const r of records) {
    if (
      r.type === "FrameReceived" &&
      r.by === "client" &&
      (r.frame.kind === "SETTINGS" || r.frame.kind === "PING") &&
      !r.frame.ack
    )
      owed.push(r.frame.kind)
    if (r.type !== "FrameSent" || r.by !== "client") continue
    if ((r.frame.kind === "SETTINGS" || r.frame.kind === "PING") && r.frame.ack)
      owed.splice(owed.indexOf(r.frame.kind), 1)
    if (r.frame.kind === "DATA" && owed.length > 0)
      throw new Error(`DATA left at t=${r.t} before the ${owed.join(", ")} acknowledgement(s)`)
  }
}

describe("HTTP/2 flow-control properties", () => {
  it("windows are respected, bounded, negative only by a SETTINGS decrease; control frames are never held back; every upload completes", () => {
    // The generated cases must reach what the property is about: negative windows and refused streams.
    let negativeRuns = 0
    let refusedRuns = 0
    checkProperty(
      fc.property(optionsArbitrary, (options) => {
        const { result, records } = run(options)
        expect(checkStreamWindowRespected(result).held).toBe(true)
        expect(checkConnectionWindowRespected(result).held).toBe(true)
        negativeOnlyBySettings(records)
        controlNeverBlocked(records)
        expect(result.completed).toHaveLength(options.streams!)
        expect(result.errors.every((e) => e.error === "REFUSED_STREAM")).toBe(true)
        expect(result.transferMs).not.toBeNull()
        if (result.windowSeries.some((p) => p.window < 0)) negativeRuns++
        if (result.errors.length > 0) refusedRuns++
      }),
      { testFile: TEST_FILE, numRuns: 150 },
    )
    expect(negativeRuns).toBeGreaterThan(0)
    expect(refusedRuns).toBeGreaterThan(0)
  })

  it("the server's and the client's connection windows agree once nothing is in flight, refused streams included", () => {
    checkProperty(
      fc.property(optionsArbitrary, (options) => {
        const sim = new Simulation({ seed: 1 })
        const scenario = new FlowControlScenario(sim, options)
        scenario.run()
        expect(scenario.server.windows.connection).toBe(scenario.client.windows.connection)
      }),
      { testFile: TEST_FILE, numRuns: 100 },
    )
  })
})
