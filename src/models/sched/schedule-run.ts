/**
 * A scheduling run: jobs as kernel processes that arrive, compute on a {@link CpuScheduler} and do
 * I/O on an {@link IoDevice}, and the textbook metrics of the result.
 *
 * Each job is a process: it sleeps until its arrival, then works through its bursts in order — a
 * CPU burst waits in the CPU's ready queue and runs as the policy decides; an I/O burst queues for
 * the one disk (first come first served) and holds it. The job completes when its last CPU burst
 * ends. Jobs are numbered from 0 in the order given, as OSTEP numbers them.
 *
 * Metrics, per job (OSTEP ch. 7, Silberschatz ch. 5):
 * - response = first run − arrival (the first instant it computes, after any context switch);
 * - turnaround = completion − arrival;
 * - wait = time spent in the CPU's ready queue, summed over every wait (for CPU-only jobs,
 *   turnaround − burst; OSTEP's RR "Wait" is the same sum of gaps between a job's slices);
 * and overall: plain means over jobs (summed in the order the jobs first ran, as scheduler.py sums
 * them, so even the last bit agrees), the makespan (when the last job completes, measured from time
 * 0), CPU utilisation (CPU time of all bursts / (makespan × cores)), disk utilisation, throughput
 * (jobs / makespan), context switches and preemptions.
 *
 * With every arrival at 0, no context-switch cost and no I/O, `fifo`, `sjf` and `rr` give exactly
 * OSTEP scheduler.py's numbers (same floating-point operations, so also with fractional lengths).
 *
 * Trace records (`sched-events.ts`): `JobArrived` and `JobCompleted`, plus the CPU's and the
 * disk's; `sched-timeline.ts` tells them.
 *
 * Left out on purpose: several I/O devices, jobs that spawn jobs, and deadlines.
 */
import { type ProcessGenerator, Simulation, type TraceOf } from "../../kernel/index.ts"
import { CpuScheduler, type CpuSchedulerOptions, type CpuSlice } from "./cpu-scheduler.ts"
import { IoDevice, type IoService } from "./io-device.ts"
import type { ScheduleEvent } from "./sched-events.ts"

/** One job of a run. */
export interface JobSpec {
  /** When the job enters the system; finite and >= 0. */
  readonly arrival: number
  /**
   * CPU and I/O bursts, alternating, CPU first and last: `[24]`, or `[5, 3, 5]` for compute 5,
   * I/O 3, compute 5. Every burst finite and > 0.
   */
  readonly bursts: readonly number[]
  /** Priority number (smaller = more important; the class under `mlq`); an integer >= 0. Default 0. */
  readonly priority?: number
}

/** Options of a {@link ScheduleRun}: the CPU's (see {@link CpuSchedulerOptions} for each default). */
export type ScheduleOptions = CpuSchedulerOptions

/** What happened to one job. */
export interface JobResult {
  /** Job number, from 0 in the order given. */
  readonly id: number
  /** Arrival time. */
  readonly arrival: number
  /** Total CPU time it needed (the sum of its CPU bursts). */
  readonly burst: number
  /** Total I/O time it needed (the sum of its I/O bursts). */
  readonly io: number
  /** Its priority number (class under `mlq`). */
  readonly priority: number
  /** When it first ran. */
  readonly firstRun: number
  /** When its last burst ended. */
  readonly completion: number
  /** First run − arrival. */
  readonly response: number
  /** Completion − arrival. */
  readonly turnaround: number
  /** Time in the CPU's ready queue. */
  readonly wait: number
  /** Time queued for the disk (not in service). */
  readonly ioWait: number
}

/** The result of a finished run. */
export interface ScheduleResult {
  /** Per job, in job order. */
  readonly jobs: readonly JobResult[]
  /** Every CPU slice (runs and switches), ordered by start time, then core. */
  readonly slices: readonly CpuSlice[]
  /** Every disk service, in the order they finished. */
  readonly io: readonly IoService[]
  /** Number of cores. */
  readonly cores: number
  /** When the last job completed (from time 0). */
  readonly makespan: number
  /** CPU time of all bursts. */
  readonly cpuBusy: number
  /** `cpuBusy / (makespan × cores)`. */
  readonly cpuUtilisation: number
  /** Time the disk was busy. */
  readonly ioBusy: number
  /** `ioBusy / makespan`. */
  readonly ioUtilisation: number
  /** Jobs per time unit, `jobs / makespan`. */
  readonly throughput: number
  /** Context switches paid. */
  readonly contextSwitches: number
  /** Preemptions (not counting quantum expiries). */
  readonly preemptions: number
  /** Mean response time. */
  readonly avgResponse: number
  /** Mean turnaround time. */
  readonly avgTurnaround: number
  /** Mean wait. */
  readonly avgWait: number
}

function mean(values: readonly number[]): number {
  let sum = 0
  for (const value of values) sum += value
  return values.length === 0 ? 0 : sum / values.length
}

/** Jobs on a CPU and a disk, living in a simulation; the jobs start when the simulation runs. */
export class ScheduleRun {
  /** The CPU. */
  readonly cpu: CpuScheduler
  /** The disk. */
  readonly disk: IoDevice
  private readonly jobs: readonly JobSpec[]
  private readonly completions: number[]
  private readonly trace: TraceOf<ScheduleEvent>

  /**
   * Builds the CPU, the disk and one process per job in `sim`.
   * @throws RangeError on a bad job (negative arrival, an even number of bursts, a burst <= 0)
   */
  constructor(
    private readonly sim: Simulation,
    jobs: readonly JobSpec[],
    options: ScheduleOptions,
  ) {
    jobs.forEach(checkJob)
    this.jobs = jobs
    this.trace = sim.trace
    this.cpu = new CpuScheduler(sim, options)
    this.disk = new IoDevice(sim)
    this.completions = jobs.map(() => NaN)
    jobs.forEach((job, id) => sim.spawn(this.job(id, job), `job-${id}`))
  }

  private *job(id: number, spec: JobSpec): ProcessGenerator<void> {
    const sim = this.sim
    yield* sim.sleep(spec.arrival)
    const burst = cpuTotal(spec)
    this.trace.record({ type: "JobArrived", job: id, burst, bursts: spec.bursts })
    for (let i = 0; i < spec.bursts.length; i++) {
      const length = spec.bursts[i]!
      if (i % 2 === 0) {
        yield* this.cpu.execute(id, length, spec.priority ?? 0)
      } else {
        yield* this.disk.perform(id, length)
      }
    }
    this.completions[id] = sim.now
    this.trace.record({ type: "JobCompleted", job: id })
  }

  /**
   * The metrics of the finished run.
   * @throws Error when a job has not completed (the simulation was stopped early)
   */
  result(): ScheduleResult {
    const ioWaits = this.jobs.map(() => 0)
    for (const io of this.disk.served) ioWaits[io.job]! += io.start - io.requested
    const jobs: JobResult[] = this.jobs.map((spec, id) => {
      const completion = this.completions[id]!
      if (Number.isNaN(completion)) throw new Error(`job ${id} has not completed at t=${this.sim.now}`)
      const stats = this.cpu.jobStats(id)!
      return {
        id,
        arrival: spec.arrival,
        burst: cpuTotal(spec),
        io: ioTotal(spec),
        priority: spec.priority ?? 0,
        firstRun: stats.firstRun,
        completion,
        response: stats.firstRun - spec.arrival,
        turnaround: completion - spec.arrival,
        wait: stats.wait,
        ioWait: ioWaits[id]!,
      }
    })
    const makespan = jobs.reduce((latest, job) => Math.max(latest, job.completion), 0)
    const cpuBusy = jobs.reduce((sum, job) => sum + job.burst, 0)
    const ioBusy = this.disk.busyTime
    const slices = [...this.cpu.slices].sort(
      (a, b) => a.start - b.start || a.core - b.core || (a.kind === "switch" ? -1 : 1),
    )
    // scheduler.py sums FIFO and SJF statistics in the order the jobs ran, RR's in job order: both
    // are the order of first runs. Floating-point sums depend on order, in the last bit, which can
    // tip a printed "%.2f" (0.575 vs 0.57499...).
    const inRunOrder = [...jobs].sort((a, b) => a.firstRun - b.firstRun || a.id - b.id)
    return {
      jobs,
      slices,
      io: this.disk.served,
      cores: this.cpu.coreCount,
      makespan,
      cpuBusy,
      cpuUtilisation: makespan > 0 ? cpuBusy / (makespan * this.cpu.coreCount) : 0,
      ioBusy,
      ioUtilisation: makespan > 0 ? ioBusy / makespan : 0,
      throughput: makespan > 0 ? jobs.length / makespan : 0,
      contextSwitches: this.cpu.switches,
      preemptions: this.cpu.preemptions,
      avgResponse: mean(inRunOrder.map((job) => job.response)),
      avgTurnaround: mean(inRunOrder.map((job) => job.turnaround)),
      avgWait: mean(inRunOrder.map((job) => job.wait)),
    }
  }
}

function cpuTotal(spec: JobSpec): number {
  let sum = 0
  for (let i = 0; i < spec.bursts.length; i += 2) sum += spec.bursts[i]!
  return sum
}

function ioTotal(spec: JobSpec): number {
  let sum = 0
  for (let i = 1; i < spec.bursts.length; i += 2) sum += spec.bursts[i]!
  return sum
}

function checkJob(spec: JobSpec, id: number): void {
  if (!(spec.arrival >= 0 && spec.arrival < Infinity))
    throw new RangeError(`job ${id}: arrival must be finite and >= 0, got ${spec.arrival}`)
  if (spec.bursts.length % 2 !== 1)
    throw new RangeError(
      `job ${id}: bursts must alternate CPU and I/O, starting and ending with CPU, got ${spec.bursts.length} bursts`,
    )
  for (const burst of spec.bursts) {
    if (!(burst > 0 && burst < Infinity))
      throw new RangeError(`job ${id}: every burst must be finite and > 0, got ${burst}`)
  }
  const priority = spec.priority ?? 0
  if (!Number.isInteger(priority) || priority < 0)
    throw new RangeError(`job ${id}: priority must be an integer >= 0, got ${priority}`)
}

/**
 * Runs `jobs` to completion on a fresh simulation (or on `sim`) and returns the metrics.
 *
 * ```ts
 * runSchedule([{ arrival: 0, bursts: [24] }, { arrival: 0, bursts: [3] }, { arrival: 0, bursts: [3] }], { policy: "fifo" }).avgWait // 17
 * ```
 */
export function runSchedule(
  jobs: readonly JobSpec[],
  options: ScheduleOptions,
  sim: Simulation = new Simulation({ trace: { enabled: false } }),
): ScheduleResult {
  const run = new ScheduleRun(sim, jobs, options)
  sim.run()
  return run.result()
}
