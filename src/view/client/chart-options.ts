/**
 * The echarts options of a run's charts, shared by the HTML report's script (`report-client.ts`)
 * and the playground (web/charts.ts): time series as lines with the faults marked, Gantt charts and
 * the message-sequence diagram as custom series (rectangles and arrows on lanes), each with zoom on
 * the time axis and a tooltip. With a {@link ChartFrame}, a chart keeps a fixed time axis and marks
 * the cursor's instant with a line (the playground's time slider).
 *
 * Plain data and functions: no DOM, no echarts import (the caller registers the charts it uses).
 */
import { firstView } from "../first-view.ts"
import {
  FIRST_VIEW_MESSAGES,
  type GanttChart,
  type MessageDiagram,
  type RunView,
  type SeriesChart,
  type ViewAnnotation,
} from "../run-view.ts"

/** An echarts option object. */
export type ChartOption = Record<string, unknown>

/** A fixed time axis and an instant to mark on it (the playground's time slider). */
export interface ChartFrame {
  /** The time axis' range, `[min, max]`: the whole run's, so the axis stays put while the cursor moves. */
  readonly range: readonly [number, number]
  /** The instant marked with a vertical line. */
  readonly cursor: number
}

export interface ViewData {
  readonly view: RunView
  readonly timeUnit: string
  readonly timeDecimals: number
}

/** echarts' custom-series API, as far as this script uses it. */
interface RenderApi {
  value(dimension: number): number
  coord(point: [number, number]): [number, number]
  size(size: [number, number]): [number, number]
}

const PALETTE = ["#3b6fb6", "#e08a2c", "#3f9a5a", "#a35bb8", "#c9473c", "#2e9aa6", "#8c6d3f", "#d46a9f", "#6b7a8f"]

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export function timeFormatter(data: ViewData): (t: number) => string {
  const unit = data.timeUnit === "time units" ? "" : data.timeUnit
  return (t) => `${t.toFixed(data.timeDecimals)}${unit.length <= 2 ? unit : ` ${unit}`}`
}

/** Zoom on the time axis (wheel and slider), opening on `window` when given. */
function zoom(window?: readonly [number, number]): object[] {
  const range = window === undefined ? {} : { startValue: window[0], endValue: window[1] }
  return [
    { type: "inside", xAxisIndex: 0, filterMode: "weakFilter", ...range },
    { type: "slider", xAxisIndex: 0, filterMode: "weakFilter", height: 18, bottom: 6, ...range },
  ]
}

function faultLines(annotations: readonly ViewAnnotation[]): object {
  return {
    silent: false,
    symbol: "none",
    lineStyle: { color: "#b42318", type: "dashed", width: 1 },
    label: {
      show: annotations.length <= 12,
      formatter: "{b}",
      position: "insideEndTop",
      fontSize: 10,
      color: "#b42318",
    },
    tooltip: { formatter: (p: { name: string; value: number }) => escape(`${p.name}`) },
    data: annotations.map((a) => ({ xAxis: a.t, name: a.text })),
  }
}

/** The x axis over simulated time: the data's span, or the frame's range when there is one. */
function timeAxis(data: ViewData, range: readonly [number | string, number | string]): object {
  return {
    type: "value",
    name: data.timeUnit,
    axisLabel: { formatter: timeFormatter(data) },
    min: range[0],
    max: range[1],
  }
}

/** The frame's cursor as a series of its own: a vertical line labelled with its time; none without a frame. */
function cursorSeries(frame: ChartFrame | undefined, data: ViewData): object[] {
  if (frame === undefined) return []
  const markLine = {
    silent: true,
    symbol: "none",
    animation: false,
    lineStyle: { color: "#111827", type: "solid", width: 1.5 },
    label: { formatter: timeFormatter(data)(frame.cursor), position: "insideEndTop", fontSize: 11, color: "#111827" },
    data: [{ xAxis: frame.cursor }],
  }
  return [{ type: "line", name: "cursor", data: [], silent: true, markLine }]
}

/** The option of a time-series chart: its lines (steps unless `step` is false), the faults marked on the first. */
export function seriesOption(chart: SeriesChart, data: ViewData, frame?: ChartFrame): ChartOption {
  const annotations = data.view.annotations ?? []
  return {
    animation: false,
    grid: { left: 60, right: 30, top: 40, bottom: 60 },
    legend: { show: chart.lines.length > 1, top: 0, data: chart.lines.map((line) => line.name) },
    tooltip: { trigger: "axis", valueFormatter: (v: number) => String(v) },
    xAxis: timeAxis(data, frame?.range ?? ["dataMin", "dataMax"]),
    yAxis: { type: "value", name: chart.yName },
    dataZoom: zoom(),
    series: chart.lines
      .map((line, i) => ({
        type: "line",
        name: line.name,
        data: line.points,
        step: chart.step === false ? false : "end",
        showSymbol: false,
        sampling: "lttb",
        large: true,
        lineStyle: { width: 1.5 },
        ...(i === 0 && annotations.length > 0 ? { markLine: faultLines(annotations) } : {}),
      }))
      .concat(cursorSeries(frame, data) as never[]),
  }
}

/** The option of a Gantt chart: a lane per row, a bar per busy stretch, one colour per label. */
export function ganttOption(chart: GanttChart, data: ViewData, frame?: ChartFrame): ChartOption {
  const time = timeFormatter(data)
  const labels: string[] = []
  for (const bar of chart.bars) if (!labels.includes(bar.label)) labels.push(bar.label)
  const rows = chart.bars.map((bar) => [bar.start, chart.lanes.indexOf(bar.lane), bar.end, labels.indexOf(bar.label)])
  return {
    animation: false,
    grid: { left: 90, right: 30, top: 20, bottom: 60 },
    tooltip: {
      formatter: (p: { dataIndex: number }) => {
        const bar = chart.bars[p.dataIndex]!
        return `${escape(bar.lane)}: <b>${escape(bar.label)}</b><br>${time(bar.start)} – ${time(bar.end)}`
      },
    },
    xAxis: timeAxis(data, frame?.range ?? ["dataMin", "dataMax"]),
    yAxis: { type: "category", data: chart.lanes, inverse: true },
    dataZoom: zoom(),
    series: [
      {
        type: "custom",
        name: "bars",
        clip: true,
        encode: { x: [0, 2], y: 1 },
        data: rows,
        renderItem: (_params: unknown, api: RenderApi) => {
          const start = api.coord([api.value(0), api.value(1)])
          const end = api.coord([api.value(2), api.value(1)])
          const height = api.size([0, 1])[1] * 0.6
          const label = labels[api.value(3)] ?? ""
          const width = Math.max(end[0] - start[0], 1)
          return {
            type: "group",
            children: [
              {
                type: "rect",
                shape: { x: start[0], y: start[1] - height / 2, width, height },
                style: { fill: PALETTE[api.value(3) % PALETTE.length], stroke: "#fff", lineWidth: 0.5 },
              },
              ...(width > 7 * label.length
                ? [
                    {
                      type: "text",
                      style: { text: label, x: start[0] + 3, y: start[1] - 6, fill: "#fff", fontSize: 11 },
                    },
                  ]
                : []),
            ],
          }
        },
      },
      ...cursorSeries(frame, data),
    ],
  }
}

const FATE_COLOURS: Readonly<Record<string, string>> = { delivered: "#3b6fb6", "in flight": "#8a94a0" }

function arrowItem(api: RenderApi, fate: string, label: string, showLabel: boolean): object {
  const from = api.coord([api.value(0), api.value(1)])
  const to = api.coord([api.value(2), api.value(3)])
  const colour = FATE_COLOURS[fate] ?? "#b42318"
  const angle = Math.atan2(to[1] - from[1], to[0] - from[0])
  const head = (da: number): [number, number] => [to[0] - 7 * Math.cos(angle + da), to[1] - 7 * Math.sin(angle + da)]
  const tip = fate.startsWith("dropped")
    ? {
        type: "text",
        style: { text: "×", x: to[0] - 4, y: to[1] - 8, fill: colour, fontSize: 14, fontWeight: "bold" },
      }
    : { type: "polygon", shape: { points: [to, head(0.4), head(-0.4)] }, style: { fill: colour } }
  // A label where the arrow is wide enough to carry it (zoom in to see them all).
  const text =
    showLabel || Math.abs(to[0] - from[0]) >= 8 * label.length
      ? [
          {
            type: "text",
            style: {
              text: label,
              x: (from[0] + to[0]) / 2,
              y: (from[1] + to[1]) / 2 - 12,
              fill: "#394452",
              fontSize: 10,
            },
          },
        ]
      : []
  return {
    type: "group",
    children: [
      {
        type: "line",
        shape: { x1: from[0], y1: from[1], x2: to[0], y2: to[1] },
        style: { stroke: colour, lineWidth: 1 },
      },
      tip,
      ...text,
    ],
  }
}

function messageTooltip(diagram: MessageDiagram, time: (t: number) => string) {
  return (p: { seriesName: string; dataIndex: number }): string => {
    if (p.seriesName === "states") {
      const state = diagram.states[p.dataIndex]!
      return `${escape(state.node)} ${state.state}<br>${time(state.start)} – ${time(state.end)}`
    }
    const m = diagram.messages[p.dataIndex]!
    const end = m.endAt === null ? "" : ` → ${time(m.endAt)}`
    const body = m.body === undefined ? "" : `<br><code>${escape(m.body)}</code>`
    return `<b>${escape(m.label)}</b> #${m.id} ${escape(m.from)} → ${escape(m.to)}<br>${time(m.sentAt)}${end}, ${escape(m.fate)}${body}`
  }
}

/** The option of the message-sequence diagram: a lane per node, an arrow per message, crashes and pauses on the lanes. */
export function messagesOption(diagram: MessageDiagram, data: ViewData, frame?: ChartFrame): ChartOption {
  const time = timeFormatter(data)
  const lane = (node: string): number => diagram.nodes.indexOf(node)
  const rows = diagram.messages.map((m, i) => [m.sentAt, lane(m.from), m.endAt ?? diagram.endAt, lane(m.to), i])
  const states = diagram.states.map((s) => [s.start, lane(s.node), s.end, s.state === "crashed" ? 0 : 1])
  const showLabels = diagram.messages.length <= FIRST_VIEW_MESSAGES
  return {
    animation: false,
    grid: { left: 110, right: 30, top: 20, bottom: 60 },
    tooltip: {
      formatter: messageTooltip(diagram, time),
      confine: true,
      extraCssText: "max-width:480px;white-space:normal",
    },
    xAxis: timeAxis(data, frame?.range ?? [0, diagram.endAt || 1]),
    yAxis: { type: "category", data: diagram.nodes, inverse: true, splitLine: { show: true } },
    dataZoom: zoom(firstView(diagram)),
    series: [
      {
        type: "custom",
        name: "states",
        clip: true,
        encode: { x: [0, 2], y: 1 },
        data: states,
        renderItem: (_params: unknown, api: RenderApi) => {
          const start = api.coord([api.value(0), api.value(1)])
          const end = api.coord([api.value(2), api.value(1)])
          const height = api.size([0, 1])[1] * 0.5
          const fill = api.value(3) === 0 ? "rgba(180,35,24,0.28)" : "rgba(224,138,44,0.35)"
          const width = Math.max(end[0] - start[0], 2)
          return { type: "rect", shape: { x: start[0], y: start[1] - height / 2, width, height }, style: { fill } }
        },
        ...(diagram.faults.length > 0 ? { markLine: faultLines(diagram.faults) } : {}),
      },
      {
        type: "custom",
        name: "messages",
        clip: true,
        encode: { x: [0, 2], y: [1, 3] },
        data: rows,
        renderItem: (_params: unknown, api: RenderApi) => {
          const m = diagram.messages[api.value(4)]!
          return arrowItem(api, m.fate, m.label, showLabels)
        },
      },
      ...cursorSeries(frame, data),
    ],
  }
}
