/**
 * The charts' echarts options (src/view/client/chart-options.ts), without a browser: with a frame
 * (the playground's time slider) every chart keeps the whole run's time axis and marks the instant
 * with a line labelled in the sim's unit; without one, the axes follow the data as in `--html`.
 */
import { describe, expect, it } from "vitest"
import {
  type ChartFrame,
  ganttOption,
  messagesOption,
  seriesOption,
  type ViewData,
} from "../../src/view/client/chart-options.ts"
import type { RunView } from "../../src/view/index.ts"

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
          ],
        },
      ],
    },
  ],
  gantt: [{ title: "Schedule", lanes: ["core 0"], bars: [{ lane: "core 0", start: 0, end: 12, label: "job 1" }] }],
  messages: {
    nodes: ["a", "b"],
    messages: [{ id: 1, from: "a", to: "b", sentAt: 1, endAt: 3, fate: "delivered", label: "ping" }],
    messagesTotal: 1,
    states: [],
    faults: [],
    endAt: 40,
  },
}
const DATA: ViewData = { view: VIEW, timeUnit: "ms", timeDecimals: 1 }
const FRAME: ChartFrame = { range: [0, 50], cursor: 7.25 }

type Option = {
  xAxis: { min: unknown; max: unknown }
  series: { name: string; markLine?: { data: unknown[]; label: { formatter: string } } }[]
}

describe("chart options with a frame", () => {
  const options = {
    series: seriesOption(VIEW.series![0]!, DATA, FRAME),
    gantt: ganttOption(VIEW.gantt![0]!, DATA, FRAME),
    messages: messagesOption(VIEW.messages!, DATA, FRAME),
  }

  it.each(Object.keys(options))("%s: keeps the whole run's axis and marks the instant in the sim's unit", (kind) => {
    const option = options[kind as keyof typeof options] as unknown as Option
    expect([option.xAxis.min, option.xAxis.max]).toEqual([0, 50])
    const cursor = option.series.find((series) => series.name === "cursor")!
    expect(cursor.markLine!.data).toEqual([{ xAxis: 7.25 }])
    expect(cursor.markLine!.label.formatter).toBe("7.3ms")
  })

  it("without a frame, draws no cursor and the axes follow the data, as in --html", () => {
    const series = seriesOption(VIEW.series![0]!, DATA) as unknown as Option
    expect([series.xAxis.min, series.xAxis.max]).toEqual(["dataMin", "dataMax"])
    expect(series.series.map((s) => s.name)).toEqual(["queue"])
    const messages = messagesOption(VIEW.messages!, DATA) as unknown as Option
    expect([messages.xAxis.min, messages.xAxis.max]).toEqual([0, 40])
    expect(messages.series.map((s) => s.name)).toEqual(["states", "messages"])
  })
})
