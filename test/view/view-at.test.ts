/**
 * The charts at an instant (src/view/view-at.ts, the playground's time slider): nothing after the
 * instant is drawn, what was under way is cut at it, and the span is the whole run's.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type RunView, viewAt, viewSpan } from "../../src/view/index.ts"

const VIEW: RunView = {
  series: [
    {
      title: "Queue",
      yName: "jobs",
      lines: [
        {
          name: "queue",
          points: [
            [0, 0],
            [10, 3],
            [30, 1],
          ],
        },
      ],
    },
  ],
  gantt: [
    {
      title: "Schedule",
      lanes: ["core 0"],
      bars: [
        { lane: "core 0", start: 0, end: 12, label: "job 1" },
        { lane: "core 0", start: 12, end: 40, label: "job 2" },
        { lane: "core 0", start: 41, end: 45, label: "job 3" },
      ],
    },
  ],
  messages: {
    nodes: ["a", "b"],
    messages: [
      { id: 1, from: "a", to: "b", sentAt: 1, endAt: 3, fate: "delivered", label: "ping" },
      { id: 2, from: "b", to: "a", sentAt: 15, endAt: 25, fate: "delivered", label: "pong" },
      { id: 3, from: "a", to: "b", sentAt: 28, endAt: null, fate: "in flight", label: "ping" },
    ],
    messagesTotal: 3,
    states: [{ node: "b", state: "paused", start: 16, end: 35 }],
    faults: [{ t: 16, text: "b paused" }],
    endAt: 50,
  },
  annotations: [{ t: 16, text: "b paused" }],
}

describe("viewAt", () => {
  it("draws what happened by the instant, cuts what was under way at it, and leaves out the rest", () => {
    const at = viewAt(VIEW, 20)
    expect(at.series![0]!.lines[0]!.points).toEqual([
      [0, 0],
      [10, 3],
      [20, 3],
    ])
    expect(at.gantt![0]!.bars).toEqual([
      { lane: "core 0", start: 0, end: 12, label: "job 1" },
      { lane: "core 0", start: 12, end: 20, label: "job 2" },
    ])
    expect(at.messages!.messages).toEqual([
      { id: 1, from: "a", to: "b", sentAt: 1, endAt: 3, fate: "delivered", label: "ping" },
      { id: 2, from: "b", to: "a", sentAt: 15, endAt: 20, fate: "in flight", label: "pong" },
    ])
    expect(at.messages!.states).toEqual([{ node: "b", state: "paused", start: 16, end: 20 }])
    expect(at.messages!.endAt).toBe(50)
    expect(at.annotations).toEqual([{ t: 16, text: "b paused" }])
    expect(viewAt(VIEW, 10).annotations).toEqual([])
    expect(viewAt(VIEW, 10).messages!.faults).toEqual([])
  })

  it("at or after the end of the run is the whole view, but for messages never delivered", () => {
    const at = viewAt(VIEW, 50)
    expect(at.series).toEqual(VIEW.series)
    expect(at.gantt).toEqual(VIEW.gantt)
    expect(at.messages!.messages.slice(0, 2)).toEqual(VIEW.messages!.messages.slice(0, 2))
    expect(at.messages!.messages[2]).toMatchObject({ endAt: 50, fate: "in flight" })
  })

  it("never draws anything after the instant, at any instant", () => {
    fc.assert(
      fc.property(fc.double({ min: -5, max: 60, noNaN: true }), (t) => {
        const at = viewAt(VIEW, t)
        for (const [pt] of at.series![0]!.lines[0]!.points) expect(pt).toBeLessThanOrEqual(t)
        for (const bar of at.gantt![0]!.bars) expect(bar.end).toBeLessThanOrEqual(t)
        for (const m of at.messages!.messages) expect(Math.max(m.sentAt, m.endAt ?? -Infinity)).toBeLessThanOrEqual(t)
        for (const s of at.messages!.states) expect(s.end).toBeLessThanOrEqual(t)
      }),
    )
  })
})

describe("viewSpan", () => {
  it("runs from 0 to the latest time a chart reaches, or the run's end when later", () => {
    expect(viewSpan(VIEW)).toEqual([0, 50])
    expect(viewSpan(VIEW, 80)).toEqual([0, 80])
    expect(viewSpan({})).toEqual([0, 0])
  })
})
