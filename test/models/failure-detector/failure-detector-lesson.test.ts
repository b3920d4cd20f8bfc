import { describe, expect, it } from "vitest"
import { formatNumber, Simulation, TraceSample } from "../../../src/kernel/index.ts"
import {
  crashLines,
  type FailureDetectorLessonParams,
  failureDetectorLesson,
  failureDetectorQuiz,
  failureDetectorReport,
  type FailureDetectorResult,
  FailureDetectorScenario,
  failureDetectorTimelineSection,
  faultPlanSection,
  isTimelineRecord,
  nodeRows,
} from "../../../src/models/failure-detector/index.ts"
import type { RenderTable } from "../../../src/check/core/index.ts"
import type { Fault } from "../../../src/net/index.ts"

const time = (ms: number): string => `${formatNumber(ms, 1)}ms`
const PARAMS: FailureDetectorLessonParams = {
  heartbeatMs: 100,
  timeoutMs: 300,
  durationMs: 3000,
  pauseAt: 450,
  pauseMs: 150,
  crashAt: 1550,
  swarm: false,
}
const PAUSE = (durationMs: number): Fault => ({ kind: "pause", node: "n1", at: 450, durationMs })
const CRASH: Fault = { kind: "crash", node: "n3", at: 1550 }
const CUT_OFF = (node: string, at: number, healAt: number): Fault => ({
  kind: "partition",
  groups: [[node], ["monitor", "n1", "n2", "n3"].filter((other) => other !== node)],
  at,
  healAt,
})

/** A run with no latency (so every time is a multiple of the heartbeat) and `faults`. */
function run(faults: readonly Fault[], max = 100): { result: FailureDetectorResult; sample: TraceSample<any> } {
  const sim = new Simulation({ seed: 1 })
  const sample = new TraceSample(sim.trace, isTimelineRecord, max)
  const options = { heartbeatMs: 100, timeoutMs: 300, latencyMs: 0, durationMs: 3000, plan: { faults } }
  return { result: new FailureDetectorScenario(sim, options).run(), sample }
}

const TRADE_OFF = [
  "A shorter --timeout-ms detects crashes sooner but suspects slow or unlucky nodes more often",
  "(try --timeout-ms 150 --loss 0.2); a longer one is safer but slower. No timeout tells a slow node",
  "from a dead one: that is why leases need fencing tokens and why consensus assumes partial synchrony.",
]
const DETECTED_250 = [
  "Crashes were detected after 250.0ms. In general, when no heartbeat is lost, detection takes between the timeout",
  "minus one heartbeat period and the timeout plus the latency, depending on when the last heartbeat left.",
]

describe("failureDetectorLesson", () => {
  it("blames a short pause for its silence only, says it stayed under the timeout, and quotes the detection time", () => {
    const { result } = run([PAUSE(150), CRASH])

    expect(failureDetectorLesson(PARAMS, result, time)).toEqual({
      title: "Lesson",
      lines: [
        "n1 stalled for 150.0ms: the monitor heard nothing from it for 200.0ms at most",
        "(the pause, plus the part of a heartbeat period that had already passed).",
        "The pause alone stays under the 300.0ms timeout, so it caused no suspicion. Try --pause-ms 500.",
        ...DETECTED_250,
        ...TRADE_OFF,
      ],
    })
  })

  it("says a paused node looks dead when the pause outlasts the timeout", () => {
    const { result } = run([PAUSE(500), CRASH])

    expect(failureDetectorLesson({ ...PARAMS, pauseMs: 500 }, result, time).lines).toEqual([
      "n1 stalled for 500.0ms: the monitor heard nothing from it for 550.0ms at most",
      "(the pause, plus the part of a heartbeat period that had already passed).",
      "The monitor suspected it during the pause although it was alive: a paused node looks exactly like a dead one.",
      "When it resumes it carries on as if nothing happened — holding leases and locks it may have lost.",
      ...DETECTED_250,
      ...TRADE_OFF,
    ])
  })

  it("gives a silence longer than the pause explains another cause, and counts the false suspicion", () => {
    const { result } = run([PAUSE(150), CUT_OFF("n1", 1000, 1600)])

    expect(failureDetectorLesson({ ...PARAMS, crashAt: 3000 }, result, time).lines).toEqual([
      "n1 stalled for 150.0ms, but its longest silence was 700.0ms: more than the pause plus a heartbeat period",
      "and the latency (250.0ms), so part of that silence had another cause (partitioned).",
      "The pause alone stays under the 300.0ms timeout, so it caused no suspicion. Try --pause-ms 500.",
      "1 false suspicion(s) in this run; causes: partitioned.",
      ...TRADE_OFF,
    ])
  })

  it("says a pause that could have been suspected was not, when the timing spared it", () => {
    const { result } = run([PAUSE(220)])

    expect(failureDetectorLesson({ ...PARAMS, pauseMs: 220, crashAt: 3000 }, result, time).lines).toEqual([
      "n1 stalled for 220.0ms: the monitor heard nothing from it for 270.0ms at most",
      "(the pause, plus the part of a heartbeat period that had already passed).",
      "The pause caused no suspicion of its own in this run.",
      ...TRADE_OFF,
    ])
  })

  it("judges no detection time when the crashed node was already suspected", () => {
    const { result } = run([CUT_OFF("n3", 1000, 2000), CRASH])

    expect(failureDetectorLesson({ ...PARAMS, pauseMs: 0 }, result, time).lines).toEqual([
      "1 false suspicion(s) in this run; causes: partitioned.",
      "n3 crashed while already suspected: the detector had no crash left to detect, so this run says nothing about its detection time.",
      ...TRADE_OFF,
    ])
    expect(crashLines(result, time)).toEqual([
      "n3 crashed at t=1550.0ms: already (falsely) suspected since t=1200.0ms, so there was no crash left to detect (not judged)",
    ])
  })

  it("leaves the pause out of a swarm run's lesson and names every false suspicion's cause", () => {
    const { result } = run([PAUSE(500)])

    expect(failureDetectorLesson({ ...PARAMS, swarm: true }, result, time).lines).toEqual([
      "1 false suspicion(s) in this run; causes: paused.",
      ...TRADE_OFF,
    ])
  })
})

describe("the failure-detector report's pieces", () => {
  it("lists each node's heartbeats, silence and suspicions, and each crash with its verdict", () => {
    const { result } = run([PAUSE(500), CRASH])

    expect(nodeRows(result, time)).toEqual([
      ["n1", "26", "26", "550.0ms", "1", "1", "up"],
      ["n2", "30", "30", "100.0ms", "0", "0", "up"],
      ["n3", "16", "16", "1500.0ms", "1", "0", "down"],
    ])
    expect(crashLines(result, time)).toEqual(["n3 crashed at t=1550.0ms: suspected 250.0ms later (detected)"])
  })

  it("titles a cut timeline with how many of how many events it shows", () => {
    const cut = run([PAUSE(500), CRASH], 3)
    const whole = run([PAUSE(500), CRASH])

    const section = failureDetectorTimelineSection(cut.sample, cut.result, 300)
    expect(section.title).toBe("Timeline (the first 3 of 6 events)")
    expect(section.entries).toEqual([
      { t: 450, text: "n1 PAUSED until t=950ms (a GC or VM stall: it does not know)" },
      { t: 700, text: "monitor SUSPECTS n1 after 300ms of silence — FALSE: it is alive (paused)" },
      { t: 950, text: "n1 resumed, carrying on as if nothing happened" },
    ])
    expect(failureDetectorTimelineSection(whole.sample, whole.result, 300).title).toBe("Timeline")
  })

  it("puts the swarm's line before the plan's faults", () => {
    const plan = { faults: [CRASH] }

    expect(faultPlanSection(plan, "swarm seed=2")).toEqual({
      title: "Fault plan",
      lines: ["swarm seed=2", "t=1550ms  crash n3, never restarts"],
    })
    expect(faultPlanSection(plan, undefined).lines).toEqual(["t=1550ms  crash n3, never restarts"])
  })

  it("lays out the text report: the timeline, then the fault plan, what the monitor heard and the lesson", () => {
    const { result, sample } = run([PAUSE(500), CRASH])
    const table: RenderTable = (columns, rows) =>
      [columns.map((column) => column.header), ...rows].map((row) => row.join("|"))
    const params = { ...PARAMS, pauseMs: 500 }
    const plan = { faults: [PAUSE(500), CRASH] }

    const report = failureDetectorReport(sample, params, result, { plan, swarmLine: "swarm seed=2", time, table })
    expect(report.timeline).toEqual(failureDetectorTimelineSection(sample, result, 300))
    expect(report.sections).toEqual([
      {
        title: "Fault plan",
        lines: ["swarm seed=2", "t=450ms   pause n1 for 500ms", "t=1550ms  crash n3, never restarts"],
      },
      {
        title: "What the monitor heard",
        lines: [
          "node|heartbeats sent|heard|longest silence|suspicions|false|at the end",
          "n1|26|26|550.0ms|1|1|up",
          "n2|30|30|100.0ms|0|0|up",
          "n3|16|16|1500.0ms|1|0|down",
          "n3 crashed at t=1550.0ms: suspected 250.0ms later (detected)",
        ],
      },
      failureDetectorLesson(params, result, time),
    ])
    expect(failureDetectorReport(sample, params, result, { plan, time, table }).sections[0]!.lines).toEqual([
      "t=450ms   pause n1 for 500ms",
      "t=1550ms  crash n3, never restarts",
    ])
  })

  it("asks the quiz about this run's pause and crash, or says there are none", () => {
    expect(failureDetectorQuiz(PARAMS).split("\n").slice(0, 3)).toEqual([
      "n1, n2 and n3 send a heartbeat every 100ms; the monitor suspects a node after 300ms of silence.",
      "n1 stalls for 150ms at t=450ms.",
      "n3 crashes at t=1550ms.",
    ])
    expect(failureDetectorQuiz({ ...PARAMS, pauseMs: 0, crashAt: 3000 })).toBe(
      [
        "n1, n2 and n3 send a heartbeat every 100ms; the monitor suspects a node after 300ms of silence.",
        "n1 never stalls.",
        "n3 never crashes.",
        "1. Will the monitor suspect n1? Is it right to?",
        "2. How long after its crash will n3 be suspected: more or less than 300ms?",
      ].join("\n"),
    )
  })
})
