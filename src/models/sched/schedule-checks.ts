/**
 * Checks of a finished scheduling run, computed from what was recorded (slices, disk services,
 * arrivals and completions) rather than from the dispatcher's own bookkeeping, so they can catch
 * a dispatcher bug.
 *
 * - Work conservation: no core is idle while some job is ready (in the system, not running, not
 *   being switched in, not doing or waiting for I/O). Holds for every policy here by design;
 *   a run with a gap is a bug.
 * - Wait accounting: for every job, turnaround = CPU time + ready-queue wait + disk wait + I/O time,
 *   so Σ wait = Σ turnaround − Σ bursts − Σ I/O − Σ disk waits (for CPU-only jobs, Σ wait =
 *   Σ turnaround − Σ bursts).
 */
import type { ScheduleResult } from "./schedule-run.ts"

/** Relative tolerance of sums of floating-point times. */
const TIME_TOLERANCE = 1e-9

/** A span of time during which a core idled while a job was ready. */
export interface IdleWhileReady {
  /** Start of the span. */
  readonly start: number
  /** End of the span. */
  readonly end: number
  /** A job that was ready then. */
  readonly job: number
}

/**
 * The spans during which a core idled while a job was ready; empty for a work-conserving run.
 * A sweep over every boundary (arrivals, completions, slice and I/O ends): O(n log n).
 */
export function idleWhileReady(result: ScheduleResult): IdleWhileReady[] {
  // Changes at each time: +1/-1 to the busy-core count, and per job to "in the system" and "busy"
  // (running, being switched in, doing or waiting for I/O; never two of these at once).
  const changes: { t: number; busyCores: number; job: number; inSystem: number; busy: number }[] = []
  for (const job of result.jobs) {
    changes.push({ t: job.arrival, busyCores: 0, job: job.id, inSystem: 1, busy: 0 })
    changes.push({ t: job.completion, busyCores: 0, job: job.id, inSystem: -1, busy: 0 })
  }
  for (const slice of result.slices) {
    changes.push({ t: slice.start, busyCores: 1, job: slice.job, inSystem: 0, busy: 1 })
    changes.push({ t: slice.end, busyCores: -1, job: slice.job, inSystem: 0, busy: -1 })
  }
  for (const io of result.io) {
    changes.push({ t: io.requested, busyCores: 0, job: io.job, inSystem: 0, busy: 1 })
    changes.push({ t: io.end, busyCores: 0, job: io.job, inSystem: 0, busy: -1 })
  }
  changes.sort((a, b) => a.t - b.t)
  const inSystem = new Map<number, number>()
  const busy = new Map<number, number>()
  const readyJobs = new Set<number>()
  let busyCores = 0
  const found: IdleWhileReady[] = []
  for (let i = 0; i < changes.length; ) {
    const t = changes[i]!.t
    for (; i < changes.length && changes[i]!.t === t; i++) {
      const change = changes[i]!
      busyCores += change.busyCores
      inSystem.set(change.job, (inSystem.get(change.job) ?? 0) + change.inSystem)
      busy.set(change.job, (busy.get(change.job) ?? 0) + change.busy)
      if (inSystem.get(change.job)! > 0 && busy.get(change.job)! === 0) readyJobs.add(change.job)
      else readyJobs.delete(change.job)
    }
    const next = i < changes.length ? changes[i]!.t : t
    if (next > t && busyCores < result.cores && readyJobs.size > 0) {
      const [job] = readyJobs
      found.push({ start: t, end: next, job: job! })
    }
  }
  return found
}

/** How far Σ wait is from Σ turnaround − Σ bursts − Σ I/O − Σ disk waits (0 when the books balance). */
export function waitAccountingGap(result: ScheduleResult): { sumWait: number; expected: number; gap: number; held: boolean } {
  let sumWait = 0
  let expected = 0
  let scale = 1
  for (const job of result.jobs) {
    sumWait += job.wait
    expected += job.turnaround - job.burst - job.io - job.ioWait
    scale = Math.max(scale, Math.abs(job.turnaround))
  }
  const gap = Math.abs(sumWait - expected)
  return { sumWait, expected, gap, held: gap <= TIME_TOLERANCE * scale * Math.max(1, result.jobs.length) }
}
