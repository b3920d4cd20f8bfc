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
 * - Round-robin response bound: with every job present at 0, one core and no switch cost, job k
 *   (from 0) first runs by k·q.
 *
 *
 * The `check*` functions give these as verdicts (`work-conserving`, `waits-add-up`,
 * `rr-response-bound`), with times to two decimals as OSTEP's scripts print them;
 * {@link scheduleChecks} picks the ones that apply to a run.
 *
 * The MLFQ's checks read its typed trace lines and per-job results: `priority-rises-only-by-boost`
 * (rules 4 and 5) and `bounded-wait` (with a boost and no I/O bump, no job waits longer than the
 * boost period plus one top quantum per other job). Process-run's read its per-tick table:
 * `cpu-never-idle-while-ready` and `cpu-busy-equals-instructions`.
 */
import type { CheckResult } from "../../check/core/index.ts"
import { formatNumber } from "../../kernel/index.ts"
import type { Instruction } from "./job-list.ts"
import type { MlfqResult } from "./mlfq.ts"
import type { ProcessRunResult } from "./process-run.ts"
import type { ScheduleOptions, ScheduleResult } from "./schedule-run.ts"

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
  for (let i = 0; i < changes.length;) {
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
export function waitAccountingGap(result: ScheduleResult): {
  sumWait: number
  expected: number
  gap: number
  held: boolean
} {
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

/** Times as the sched sims print them: two decimals, as OSTEP's scripts. */
function t(value: number): string {
  return formatNumber(value, 2)
}

/** `work-conserving`: no core idled while a job was ready (see the file header). */
export function checkWorkConserving(result: ScheduleResult): CheckResult {
  const gaps = idleWhileReady(result)
  const first = gaps[0]
  return {
    name: "work-conserving",
    held: gaps.length === 0,
    detail:
      first === undefined
        ? "no core was idle while a job was ready"
        : `a core idled from t=${t(first.start)} to t=${t(first.end)} while job ${first.job} was ready (${gaps.length} such span(s))`,
  }
}

/** `waits-add-up`: Σ wait = Σ turnaround − Σ CPU − Σ I/O − Σ disk waits (see the file header). */
export function checkWaitsAddUp(result: ScheduleResult): CheckResult {
  const books = waitAccountingGap(result)
  return {
    name: "waits-add-up",
    held: books.held,
    detail: `Σ wait ${t(books.sumWait)} = Σ turnaround − Σ CPU − Σ I/O − Σ disk waits = ${t(books.expected)}`,
  }
}

/**
 * `rr-response-bound`: job k (from 0) first ran by k·`quantum`. Meaningful for round robin on one
 * core without switch cost with every job present at 0; the caller decides when it applies.
 */
export function checkRrResponseBound(result: ScheduleResult, quantum: number): CheckResult {
  const late = result.jobs.find((job, k) => job.response > k * quantum + 1e-9)
  return {
    name: "rr-response-bound",
    held: late === undefined,
    detail:
      late === undefined
        ? `job k (from 0) first ran by k·q = ${t(quantum)}·k; the last to start began at t=${t(result.jobs.reduce((latest, job) => Math.max(latest, job.response), 0))}`
        : `job ${late.id} first ran at t=${t(late.response)}, later than ${late.id}·q = ${t(late.id * quantum)}`,
  }
}

/**
 * The checks that apply to a CPU scheduler run: `work-conserving` and `waits-add-up` always, and
 * `rr-response-bound` for round robin on one core without switch cost with every job at 0 and no I/O.
 */
export function scheduleChecks(result: ScheduleResult, options: ScheduleOptions): CheckResult[] {
  const list = [checkWorkConserving(result), checkWaitsAddUp(result)]
  const allAtZero = result.jobs.every((job) => job.arrival === 0 && job.io === 0)
  const quantum = options.quantum ?? 1
  if (options.policy === "rr" && allAtZero && (options.cores ?? 1) === 1 && (options.contextSwitch ?? 0) === 0)
    list.push(checkRrResponseBound(result, quantum))
  return list
}

/** `priority-rises-only-by-boost`: no job ever ran at a higher priority than before, except after a boost. */
export function checkPriorityRisesOnlyByBoost(result: MlfqResult): CheckResult {
  const top = result.queues - 1
  const last = new Map<number, number>()
  let violation = ""
  let drops = 0
  let boosts = 0
  for (const line of result.trace) {
    if (line.type === "PriorityBoosted") {
      last.clear()
      boosts++
    }
    if (line.type !== "TickRan") continue
    const before = last.get(line.job) ?? top
    if (line.priority > before && violation === "")
      violation = `job ${line.job} rose from priority ${before} to ${line.priority} at t=${line.t} without a boost`
    if (line.priority < before) drops++
    last.set(line.job, line.priority)
  }
  const seen =
    drops === 0 && boosts === 0
      ? "vacuous: no job ever changed priority in this run"
      : `${drops} move(s) down and ${boosts} boost(s) seen`
  return {
    name: "priority-rises-only-by-boost",
    held: violation === "",
    detail:
      violation === ""
        ? `no job ever ran at a higher priority than before, except after a boost (rules 4 and 5; ${seen})`
        : violation,
  }
}

/** The longest an MLFQ job may wait with boost period `boost`: the period, plus every other job using one top quantum. */
export function mlfqWaitBound(result: MlfqResult, boost: number): number {
  return boost + (result.jobs.length - 1) * result.quantum[result.queues - 1]!
}

/** `bounded-wait`: with a boost every `boost` ticks (and no I/O bump), no job waited longer than {@link mlfqWaitBound}. */
export function checkBoundedWait(result: MlfqResult, boost: number): CheckResult {
  const bound = mlfqWaitBound(result, boost)
  const worst = result.jobs.reduce((a, b) => (b.longestWait > a.longestWait ? b : a))
  const topQuantum = result.quantum[result.queues - 1]
  return {
    name: "bounded-wait",
    held: worst.longestWait <= bound,
    detail: `the longest wait was ${worst.longestWait} ticks (job ${worst.id}); bound: boost ${boost} + ${result.jobs.length - 1} other job(s) × top quantum ${topQuantum} = ${bound}`,
  }
}

/** The checks of an MLFQ run: `priority-rises-only-by-boost`, and `bounded-wait` with a boost and no I/O bump. */
export function mlfqChecks(
  result: MlfqResult,
  options: { readonly boost: number; readonly ioBump: boolean },
): CheckResult[] {
  const list = [checkPriorityRisesOnlyByBoost(result)]
  if (options.boost > 0 && !options.ioBump) list.push(checkBoundedWait(result, options.boost))
  return list
}

/** Consecutive tick numbers as ranges: `12–13, 17–21`. */
export function tickRanges(ticks: readonly number[]): string {
  const parts: string[] = []
  for (let i = 0; i < ticks.length;) {
    let j = i
    while (j + 1 < ticks.length && ticks[j + 1] === ticks[j]! + 1) j++
    parts.push(i === j ? `${ticks[i]}` : `${ticks[i]}–${ticks[j]}`)
    i = j + 1
  }
  return parts.join(", ")
}

/** `cpu-never-idle-while-ready` and `cpu-busy-equals-instructions` of a process-run run. */
export function processRunChecks(
  result: ProcessRunResult,
  programs: readonly (readonly Instruction[])[],
): CheckResult[] {
  const instructions = programs.reduce((sum, code) => sum + code.length, 0)
  const waste = result.ticks.filter((tick) => tick.idleWithReady).map((tick) => tick.clock)
  return [
    {
      name: "cpu-never-idle-while-ready",
      held: waste.length === 0,
      detail:
        waste.length === 0
          ? "whenever a process was READY, an instruction ran"
          : `the CPU idled at t=${tickRanges(waste)} although a process was READY`,
    },
    {
      name: "cpu-busy-equals-instructions",
      held: result.cpuBusy === instructions,
      detail: `CPU busy ${result.cpuBusy} ticks for ${instructions} instructions (every instruction takes one tick)`,
    },
  ]
}
