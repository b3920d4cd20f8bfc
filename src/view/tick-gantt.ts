/**
 * A Gantt chart from a per-tick record of a schedule (OSTEP's mlfq and process-run count time in
 * ticks): each lane's consecutive ticks with the same label merge into one bar, tick `i` spanning
 * `[start + i, start + i + 1)`.
 */
import type { GanttBar, GanttChart } from "./run-view.ts"

/** What {@link tickGantt} reads. */
export interface TickGanttInput {
  /** The chart's heading. */
  readonly title: string
  /** The lanes, top first. */
  readonly lanes: readonly string[]
  /** How many ticks there are. */
  readonly ticks: number
  /** The label of lane `lane` at tick `tick`, or undefined when it shows nothing then. */
  readonly labelAt: (tick: number, lane: number) => string | undefined
  /** The time tick 0 starts at. Default 0. */
  readonly start?: number
}

/** The chart: a bar per run of equal labels on each lane. */
export function tickGantt(input: TickGanttInput): GanttChart {
  const start = input.start ?? 0
  const bars: GanttBar[] = []
  input.lanes.forEach((lane, laneIndex) => {
    let open: { label: string; from: number } | undefined
    for (let tick = 0; tick <= input.ticks; tick++) {
      const label = tick < input.ticks ? input.labelAt(tick, laneIndex) : undefined
      if (open !== undefined && open.label === label) continue
      if (open !== undefined) bars.push({ lane, start: start + open.from, end: start + tick, label: open.label })
      open = label === undefined ? undefined : { label, from: tick }
    }
  })
  return { title: input.title, lanes: input.lanes, bars }
}
