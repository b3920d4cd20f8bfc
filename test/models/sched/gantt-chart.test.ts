import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  jobGlyph,
  mlfqChart,
  renderChart,
  runMlfq,
  runSchedule,
  scheduleChart,
} from "../../../src/models/sched/index.ts"

describe("scheduleChart", () => {
  it("draws the FIFO convoy one column per time unit: a row per job, then the CPU", () => {
    const result = runSchedule(
      [24, 3, 3].map((burst) => ({ arrival: 0, bursts: [burst] })),
      { policy: "fifo" },
    )

    const chart = scheduleChart(result)

    expect(chart.scale).toBe(1)
    expect(chart.lines).toEqual([
      "       0         10        20        30",
      "job 0  ████████████████████████",
      "job 1  ░░░░░░░░░░░░░░░░░░░░░░░░███",
      "job 2  ░░░░░░░░░░░░░░░░░░░░░░░░░░░███",
      "CPU    000000000000000000000000111222",
    ])
  })

  it("shows I/O, a queue for the disk, a late arrival, idle time and a context switch (none after idling)", () => {
    const result = runSchedule(
      [
        { arrival: 0, bursts: [2, 3, 1] },
        { arrival: 1, bursts: [1, 2, 1] },
      ],
      { policy: "fifo", contextSwitch: 1 },
    )

    expect(scheduleChart(result).lines.slice(1)).toEqual(["job 0  ██▒▒▒█", "job 1   ░░█-▒▒█", "CPU    00s1·0·1"])
  })

  it("scales a long run to at most 100 columns and marks a job's column when it ran at all", () => {
    const result = runSchedule(
      [100, 200, 300].map((burst) => ({ arrival: 0, bursts: [burst] })),
      { policy: "rr", quantum: 1 },
    )

    const chart = scheduleChart(result)

    expect(chart.scale).toBe(10)
    expect(chart.lines[1]).toBe(`job 0  ${"█".repeat(30)}`)
    expect(chart.lines[4]).toBe(`CPU    ${"012".repeat(10)}${"1".repeat(20)}${"2".repeat(10)}`)
  })
})

describe("renderChart", () => {
  it("uses half-unit columns when a boundary is fractional", () => {
    const chart = renderChart([{ label: "a", segments: [{ start: 0.5, end: 1.5, glyph: "#" }] }], { end: 2 })

    expect(chart.scale).toBe(0.5)
    expect(chart.lines[1]).toBe("a   ##")
    expect(renderChart([{ label: "a", segments: [{ start: 0, end: 0.25, glyph: "#" }] }], { end: 300 }).scale).toBe(5)
  })
})

describe("mlfqChart and jobGlyph", () => {
  it("draws OSTEP figure 8.3 with a row per queue, the top one first", () => {
    const result = runMlfq(new Simulation(), [
      { start: 0, runTime: 30, ioFreq: 0 },
      { start: 12, runTime: 4, ioFreq: 0 },
    ])

    expect(mlfqChart(result).lines.slice(1)).toEqual([
      "Q2  0000000000··1111··················",
      "Q1  ··········00····00000000··········",
      "Q0  ························0000000000",
    ])
  })

  it("names jobs 0-9, then A-Z, then a-z", () => {
    expect([0, 9, 10, 35, 36, 61, 62].map(jobGlyph)).toEqual(["0", "9", "A", "Z", "a", "z", "*"])
  })
})
