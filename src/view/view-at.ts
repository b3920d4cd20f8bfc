/**
 * A run's charts as they stood at an instant (the playground's time slider): everything that had
 * happened by `t`, and nothing after. Series stop at `t` (holding their last value up to it), Gantt
 * bars and crash or pause stretches are cut at `t`, messages sent by `t` are drawn, those that had
 * not arrived by then as in flight up to `t`, and fault marks after `t` are left out. The full view
 * stays with the caller, so the slider can go back and forth. Pure.
 */
import type { GanttChart, MessageDiagram, RunView, SeriesChart, SeriesLine } from "./run-view.ts"

/**
 * The span of simulated time the view covers, `[start, end]`: from 0 (or the earliest point, when
 * before it) to the latest time any chart reaches, or `endAt` when that is later (the run's end).
 */
export function viewSpan(view: RunView, endAt = 0): readonly [number, number] {
  let start = 0
  let end = endAt
  const take = (t: number) => {
    start = Math.min(start, t)
    end = Math.max(end, t)
  }
  for (const chart of view.series ?? []) for (const line of chart.lines) for (const [t] of line.points) take(t)
  for (const chart of view.gantt ?? []) for (const bar of chart.bars) take(bar.end)
  if (view.messages !== undefined) take(view.messages.endAt)
  return [start, end]
}

function lineAt(line: SeriesLine, t: number): SeriesLine {
  const points = line.points.filter((point) => point[0] <= t)
  const last = points[points.length - 1]
  const continues = line.points.length > points.length
  if (last !== undefined && last[0] < t && continues) points.push([t, last[1]])
  return { name: line.name, points }
}

function seriesAt(chart: SeriesChart, t: number): SeriesChart {
  return { ...chart, lines: chart.lines.map((line) => lineAt(line, t)) }
}

function ganttAt(chart: GanttChart, t: number): GanttChart {
  const bars = chart.bars.filter((bar) => bar.start < t).map((bar) => (bar.end <= t ? bar : { ...bar, end: t }))
  return { ...chart, bars }
}

function messagesAt(diagram: MessageDiagram, t: number): MessageDiagram {
  const messages = diagram.messages
    .filter((m) => m.sentAt <= t)
    .map((m) => (m.endAt !== null && m.endAt <= t ? m : { ...m, endAt: t, fate: "in flight" }))
  const states = diagram.states
    .filter((state) => state.start <= t)
    .map((state) => (state.end <= t ? state : { ...state, end: t }))
  return {
    ...diagram,
    messages,
    messagesTotal: messages.length,
    states,
    faults: diagram.faults.filter((fault) => fault.t <= t),
  }
}

/** The view at instant `t` (see the file header); the time axes keep the whole run's span (`endAt` unchanged). */
export function viewAt(view: RunView, t: number): RunView {
  return {
    ...(view.series === undefined ? {} : { series: view.series.map((chart) => seriesAt(chart, t)) }),
    ...(view.gantt === undefined ? {} : { gantt: view.gantt.map((chart) => ganttAt(chart, t)) }),
    ...(view.messages === undefined ? {} : { messages: messagesAt(view.messages, t) }),
    ...(view.annotations === undefined ? {} : { annotations: view.annotations.filter((a) => a.t <= t) }),
  }
}
