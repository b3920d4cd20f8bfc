/**
 * The Gantt chart of a CPU schedule: one lane per core (and one for the disk when jobs did I/O),
 * a bar per slice labelled with its job (context switches as `switch`), so a job keeps its colour
 * on every core and on the disk.
 */
import type { ScheduleResult } from "../models/sched/index.ts"
import type { GanttBar, GanttChart } from "./run-view.ts"

/** The schedule's chart, titled `title`. */
export function scheduleGantt(result: ScheduleResult, title: string): GanttChart {
  const lanes = Array.from({ length: result.cores }, (_, core) => `core ${core}`)
  const bars: GanttBar[] = result.slices
    .filter((slice) => slice.end > slice.start)
    .map((slice) => ({
      lane: `core ${slice.core}`,
      start: slice.start,
      end: slice.end,
      label: slice.kind === "switch" ? "switch" : `job ${slice.job}`,
    }))
  if (result.io.length > 0) {
    lanes.push("disk")
    for (const service of result.io)
      bars.push({ lane: "disk", start: service.start, end: service.end, label: `job ${service.job}` })
  }
  return { title, lanes, bars }
}
