/**
 * The CPU on the kernel: one or more cores, a ready queue, and the dispatcher that applies a
 * scheduling policy to them.
 *
 * Think of a doctor's surgery with `cores` doctors and one waiting room. Patients (jobs) come in
 * needing some minutes of a doctor's time (a CPU burst); the receptionist (the dispatcher, a kernel
 * process) decides who goes in next, and — depending on the policy — may call a patient out before
 * they are done (preemption) or give everyone a few minutes in turn (round robin). Changing patients
 * may cost the doctor some minutes of paperwork (the context switch).
 *
 * A job's process calls {@link CpuScheduler.execute} for each CPU burst and resumes when the burst is
 * done; meanwhile the dispatcher runs the burst in slices on simulated time. Each slice is a kernel
 * timeout created when the slice starts, so a slice of length `d` started at `t` ends at exactly
 * `t + d` (the same floating-point sum as OSTEP's `thetime += ranfor`).
 *
 * Order of events within one instant (the contract every policy shares; the dispatcher decides only
 * once everything else scheduled for that instant has happened):
 * 1. Cores whose context switch ends now start running their job; cores whose slice ends now stop:
 *    a finished burst is handed back to its job; a slice cut short by the quantum puts the job back
 *    in the ready queue.
 * 2. Jobs that became ready at this instant (arrivals, in job order, then I/O completions, in the
 *    order their I/O started) are already in the ready queue, *ahead of* jobs whose quantum expired
 *    at the same instant (the textbook convention; OSTEP's scheduler.py never meets the case).
 * 3. Idle cores, in index order, take the best ready job.
 * 4. Preemptive policies then preempt the worst running job while a ready job is strictly better
 *    than it, and hand the freed core to the best ready job.
 *
 * Policies (best = smallest key, ties broken by the ready queue's order):
 * - `fifo`: key 0 — the ready queue in order; non-preemptive.
 * - `sjf`: the burst's length; non-preemptive (OSTEP's SJF: a stable sort by length).
 * - `stcf`: the burst's remaining time; preemptive (a strictly shorter job preempts).
 * - `rr`: key 0, and every slice is at most `quantum`; an unfinished job goes to the back.
 * - `priority`: the priority number (smaller = more important); non-preemptive.
 * - `priority-preemptive`: the same, preemptive (a strictly smaller number preempts).
 * - `mlq`: a multilevel queue with fixed classes: the priority number is the class, classes are
 *   strictly prioritised and preemptive; class 0 (foreground) is round robin with `quantum`, every
 *   other class (background) is first come first served.
 *
 * Ready-queue order: a job enters at the back when it becomes ready for a burst or its quantum
 * expires; a *preempted* job keeps its place (it has been waiting longest among its equals), so
 * `stcf` and the priority policies break ties first come first served.
 *
 * Aging (`aging` > 0, priority policies): a ready job's effective priority number drops by 1 for
 * every `aging` time units it has waited since it last entered the ready queue, down to 0; a job
 * runs with the priority it had when dispatched, and goes back to its own when it leaves the CPU.
 *
 * Context switches (`contextSwitch` > 0): a core that hands over from one job to another job spends
 * `contextSwitch` time units before the next job runs; a core that was idle starts at once, and a
 * core that picks the job it just ran (RR with one ready job, whose quantum expired) keeps running
 * it without a switch: there is no other job's state to save and restore. So a single 10-unit job
 * under RR needs no switch whatever the quantum. The switch is not interruptible;
 * a better job that arrives meanwhile preempts as soon as it ends.
 *
 * Invariants: a core runs at most one job; a job runs on at most one core; no core is idle while
 * the ready queue is not empty (work conservation, checked in tests from the recorded slices).
 *
 * Trace records (`sched-events.ts`): `BurstQueued`, `ContextSwitchStarted`, `SliceStarted`,
 * `QuantumExpired`, `JobPreempted`, `BurstFinished`. The slices are also kept as the CPU's final
 * state ({@link CpuScheduler.slices}, for the Gantt chart and the checks): a run with the trace
 * disabled still needs them.
 *
 * Left out on purpose: processor affinity and migration costs, I/O-bound bonuses, real-time
 * classes, and time slicing *between* the classes of a multilevel queue (classes are strict).
 */
import type { Event, ProcessGenerator, Simulation, Timeout, TraceOf } from "../../kernel/index.ts"
import type { ScheduleEvent } from "./sched-events.ts"

/** The scheduling policies of {@link CpuScheduler}. */
export const SCHEDULING_POLICIES = ["fifo", "sjf", "stcf", "rr", "priority", "priority-preemptive", "mlq"] as const

/** A scheduling policy (see the file header for the exact rules). */
export type SchedulingPolicy = (typeof SCHEDULING_POLICIES)[number]

/** Options of a {@link CpuScheduler}. */
export interface CpuSchedulerOptions {
  /** The policy. Required. */
  readonly policy: SchedulingPolicy
  /** Number of cores; an integer >= 1. Default 1. */
  readonly cores?: number
  /** Time slice of `rr` and of `mlq`'s foreground class; finite and > 0. Default 1. */
  readonly quantum?: number
  /** Cost of a context switch, in time units; finite and >= 0. Default 0. */
  readonly contextSwitch?: number
  /** Time a ready job waits per priority step it gains (priority policies); 0 = no aging. Default 0. */
  readonly aging?: number
}

/** How a slice ended. */
export type SliceOutcome = "done" | "expired" | "preempted"

/** One stretch of a core's time: running a job, or switching to it. */
export interface CpuSlice {
  /** `run`: the job computed; `switch`: the core switched to the job (overhead, no progress). */
  readonly kind: "run" | "switch"
  /** Core index, from 0. */
  readonly core: number
  /** Job id. */
  readonly job: number
  /** Start time. */
  readonly start: number
  /** End time. */
  readonly end: number
  /** For `run` slices: how the slice ended. */
  readonly outcome?: SliceOutcome
  /** For `run` slices: the burst's remaining time after the slice. */
  readonly remaining?: number
}

/** What the CPU measured about one job, over all its bursts. */
export interface CpuJobStats {
  /** When the job first ran (after any context switch); NaN if it never ran. */
  readonly firstRun: number
  /** Total time spent in the ready queue (including switching to it). */
  readonly wait: number
  /** CPU time received. */
  readonly cpuTime: number
}

/** A job as the CPU sees it. */
interface ReadyJob {
  readonly id: number
  readonly priority: number
  /** Length of the current burst. */
  length: number
  /** Remaining time of the current burst. */
  remaining: number
  /** When it last entered the ready queue. */
  readyAt: number
  /** Position in the ready queue: smaller = earlier. */
  readySeq: number
  /** Priority it runs with (its effective priority when dispatched). */
  runPriority: number
  /** Succeeds when the current burst is done. */
  done: Event<void>
  stats: { firstRun: number; wait: number; cpuTime: number; bursts: number }
}

interface Core {
  readonly index: number
  state: "idle" | "switching" | "running"
  job: ReadyJob | null
  timer: Timeout<void> | null
  start: number
  /** The slice will finish the burst (no quantum cut). */
  finishing: boolean
  /** When the core last stopped running or switching; -Infinity if never. */
  freedAt: number
  /** The job the core ran last (its state is loaded), or null if none. */
  lastJob: ReadyJob | null
}

/** Tolerance when counting aging steps, so a timer one ulp early still counts its step. */
const AGING_EPSILON = 1e-9

/** The CPU: cores, ready queue and dispatcher, living in a simulation. */
export class CpuScheduler {
  /** The policy. */
  readonly policy: SchedulingPolicy
  /** Time slice of `rr` and `mlq`'s class 0. */
  readonly quantum: number
  /** Context-switch cost. */
  readonly contextSwitch: number
  /** Aging period; 0 = off. */
  readonly aging: number
  /** Every slice, in the order it ended (switches in the order they ended). */
  readonly slices: CpuSlice[] = []
  /** Context switches paid. */
  switches = 0
  /** Preemptions (not counting quantum expiries). */
  preemptions = 0

  private readonly cores: Core[]
  private readonly ready: ReadyJob[] = []
  private readonly stats = new Map<number, ReadyJob["stats"]>()
  private readonly preemptive: boolean
  private nextSeq = 0
  private readonly trace: TraceOf<ScheduleEvent>
  private wake: Event<void> | null = null

  /**
   * Builds the CPU in `sim` and starts its dispatcher.
   * @throws RangeError on a bad option
   */
  constructor(
    private readonly sim: Simulation,
    options: CpuSchedulerOptions,
  ) {
    this.trace = sim.trace
    const cores = options.cores ?? 1
    this.policy = options.policy
    this.quantum = options.quantum ?? 1
    this.contextSwitch = options.contextSwitch ?? 0
    this.aging = options.aging ?? 0
    if (!Number.isInteger(cores) || cores < 1) throw new RangeError(`cores must be an integer >= 1, got ${cores}`)
    if (!(this.quantum > 0 && this.quantum < Infinity))
      throw new RangeError(`quantum must be finite and > 0, got ${this.quantum}`)
    if (!(this.contextSwitch >= 0 && this.contextSwitch < Infinity))
      throw new RangeError(`contextSwitch must be finite and >= 0, got ${this.contextSwitch}`)
    if (!(this.aging >= 0 && this.aging < Infinity))
      throw new RangeError(`aging must be finite and >= 0, got ${this.aging}`)
    if (!(SCHEDULING_POLICIES as readonly string[]).includes(this.policy))
      throw new RangeError(`unknown policy ${String(this.policy)}`)
    this.preemptive = this.policy === "stcf" || this.policy === "priority-preemptive" || this.policy === "mlq"
    this.cores = Array.from({ length: cores }, (_, index) => ({
      index,
      state: "idle" as const,
      job: null,
      timer: null,
      start: 0,
      finishing: false,
      freedAt: -Infinity,
      lastJob: null,
    }))
    sim.spawn(this.dispatcher(), "dispatcher")
  }

  /** Number of cores. */
  get coreCount(): number {
    return this.cores.length
  }

  /**
   * Runs one CPU burst of `length` for job `id` (priority `priority`, smaller = more important):
   * the job joins the ready queue now; the event succeeds when the burst is done.
   * Use from the job's process: `yield* cpu.execute(0, 24)`.
   * @param length - CPU time, finite and > 0
   * @throws Error when the job already has a burst in progress
   */
  execute(id: number, length: number, priority = 0): Event<void> {
    if (!(length > 0 && length < Infinity)) throw new RangeError(`burst length must be finite and > 0, got ${length}`)
    if (this.ready.some((job) => job.id === id) || this.cores.some((core) => core.job?.id === id)) {
      throw new Error(`job ${id} already has a CPU burst in progress`)
    }
    let stats = this.stats.get(id)
    if (stats === undefined) {
      stats = { firstRun: NaN, wait: 0, cpuTime: 0, bursts: 0 }
      this.stats.set(id, stats)
    }
    const burstIndex = stats.bursts++
    const done = this.sim.event<void>()
    const job: ReadyJob = {
      id,
      priority,
      length,
      remaining: length,
      readyAt: this.sim.now,
      readySeq: this.nextSeq++,
      runPriority: priority,
      done,
      stats,
    }
    this.ready.push(job)
    this.trace.record({ type: "BurstQueued", job: id, length, burstIndex })
    this.poke()
    return done
  }

  /** What the CPU measured about job `id`, or undefined if it never asked for the CPU. */
  jobStats(id: number): CpuJobStats | undefined {
    const stats = this.stats.get(id)
    return stats === undefined ? undefined : { firstRun: stats.firstRun, wait: stats.wait, cpuTime: stats.cpuTime }
  }

  /** Jobs in the ready queue right now (not running, not switching in). */
  get readyCount(): number {
    return this.ready.length
  }

  private poke(): void {
    const wake = this.wake
    if (wake !== null && !wake.triggered) wake.succeed()
  }

  /** The dispatcher: sleeps until something changes, lets the instant settle, then decides. */
  private *dispatcher(): ProcessGenerator<void> {
    const sim = this.sim
    for (;;) {
      this.wake = sim.event<void>()
      const waitFor: Event<any>[] = [this.wake]
      for (const core of this.cores) if (core.timer !== null && !core.timer.processed) waitFor.push(core.timer)
      const agingTimer = this.agingTimer()
      if (agingTimer !== null) waitFor.push(agingTimer)
      yield* waitFor.length === 1 ? this.wake : sim.anyOf(waitFor)
      agingTimer?.cancel()
      // Let every other event of this instant happen first: arrivals, I/O completions, timers.
      while (sim.peek() === sim.now) yield* sim.timeout(0)
      this.decide()
    }
  }

  /** The four steps of the file header, at the current instant. */
  private decide(): void {
    const now = this.sim.now
    const expired: ReadyJob[] = []
    for (const core of this.cores) {
      if (core.timer === null || !core.timer.processed) continue
      if (core.state === "switching") {
        this.startSlice(core, core.job!, now)
      } else if (core.state === "running") {
        const job = core.job!
        const finished = core.finishing
        job.remaining = finished ? 0 : job.remaining - this.quantum
        this.endSlice(core, now, finished ? "done" : "expired")
        if (finished) {
          this.trace.record({ type: "BurstFinished", job: job.id, core: core.index })
          job.done.succeed()
        } else {
          this.trace.record({ type: "QuantumExpired", job: job.id, core: core.index, remaining: job.remaining })
          expired.push(job)
        }
      }
    }
    for (const job of expired) {
      job.readyAt = now
      job.readySeq = this.nextSeq++
      this.ready.push(job)
    }
    this.dispatch(now)
    if (this.preemptive) this.preempt(now)
  }

  private endSlice(core: Core, now: number, outcome: SliceOutcome): void {
    const job = core.job!
    job.stats.cpuTime += now - core.start
    this.slices.push({
      kind: "run",
      core: core.index,
      job: job.id,
      start: core.start,
      end: now,
      outcome,
      remaining: job.remaining,
    })
    core.state = "idle"
    core.job = null
    core.timer = null
    core.freedAt = now
    core.lastJob = job
  }

  /**
   * Preempts the worst running job while a ready job is strictly better, and gives its core to the
   * best ready job; runs after idle cores were filled, so every core is busy here.
   */
  private preempt(now: number): void {
    for (;;) {
      const best = this.bestReady(now)
      if (best === undefined) return
      let victim: Core | undefined
      let victimKey = -Infinity
      for (const core of this.cores) {
        if (core.state !== "running") continue
        const key = this.runningKey(core, now)
        if (key >= victimKey) {
          victim = core
          victimKey = key
        }
      }
      if (victim === undefined || !(this.readyKey(best.job, now) < victimKey)) return
      const job = victim.job!
      job.remaining = job.remaining - (now - victim.start)
      const { remaining } = job
      this.trace.record({ type: "JobPreempted", job: job.id, core: victim.index, remaining, by: best.job.id })
      victim.timer!.cancel()
      this.endSlice(victim, now, "preempted")
      this.preemptions++
      job.readyAt = now
      job.runPriority = job.priority
      this.ready.push(job)
      this.dispatch(now)
    }
  }

  /** Idle cores, in index order, take the best ready job. */
  private dispatch(now: number): void {
    for (const core of this.cores) {
      if (core.state !== "idle") continue
      const best = this.bestReady(now)
      if (best === undefined) return
      this.ready.splice(best.index, 1)
      const job = best.job
      job.runPriority = this.effectivePriority(job, now)
      if (this.contextSwitch > 0 && core.freedAt === now && core.lastJob !== job) {
        this.switches++
        core.state = "switching"
        core.job = job
        core.start = now
        core.timer = this.sim.timeout(this.contextSwitch)
        this.trace.record({ type: "ContextSwitchStarted", core: core.index, job: job.id, cost: this.contextSwitch })
      } else {
        this.startSlice(core, job, now)
      }
    }
  }

  private startSlice(core: Core, job: ReadyJob, now: number): void {
    if (core.state === "switching")
      this.slices.push({ kind: "switch", core: core.index, job: job.id, start: core.start, end: now })
    job.stats.wait += now - job.readyAt
    if (Number.isNaN(job.stats.firstRun)) job.stats.firstRun = now
    const quantum = this.quantumFor(job)
    core.finishing = !(job.remaining > quantum)
    const length = core.finishing ? job.remaining : quantum
    core.state = "running"
    core.job = job
    core.start = now
    core.timer = this.sim.timeout(length)
    this.trace.record({ type: "SliceStarted", job: job.id, core: core.index, length, finishing: core.finishing })
  }

  /** The slice limit of `job`: the quantum under `rr` and for `mlq`'s class 0, else none. */
  private quantumFor(job: ReadyJob): number {
    if (this.policy === "rr" || (this.policy === "mlq" && job.priority === 0)) return this.quantum
    return Infinity
  }

  /** A ready job's policy key: smaller is better. */
  private readyKey(job: ReadyJob, now: number): number {
    switch (this.policy) {
      case "fifo":
      case "rr":
        return 0
      case "sjf":
      case "stcf":
        return job.remaining
      case "priority":
      case "priority-preemptive":
        return this.effectivePriority(job, now)
      case "mlq":
        return job.priority
    }
  }

  /** A running job's key, to compare with ready jobs for preemption. */
  private runningKey(core: Core, now: number): number {
    const job = core.job!
    switch (this.policy) {
      case "stcf":
        return job.remaining - (now - core.start)
      case "priority-preemptive":
        return job.runPriority
      case "mlq":
        return job.priority
      default:
        return -Infinity
    }
  }

  private effectivePriority(job: ReadyJob, now: number): number {
    if (this.aging === 0 || (this.policy !== "priority" && this.policy !== "priority-preemptive")) return job.priority
    const steps = Math.floor((now - job.readyAt) / this.aging + AGING_EPSILON)
    return Math.max(0, job.priority - steps)
  }

  /** The best ready job and its index in the ready list, or undefined when none is ready. */
  private bestReady(now: number): { job: ReadyJob; index: number } | undefined {
    let best: ReadyJob | undefined
    let bestIndex = -1
    let bestKey = Infinity
    for (let i = 0; i < this.ready.length; i++) {
      const job = this.ready[i]!
      const key = this.readyKey(job, now)
      if (best === undefined || key < bestKey || (key === bestKey && job.readySeq < best.readySeq)) {
        best = job
        bestIndex = i
        bestKey = key
      }
    }
    return best === undefined ? undefined : { job: best, index: bestIndex }
  }

  /**
   * Under `priority-preemptive` with aging, a timer for the next instant a ready job gains a
   * priority step (it may then preempt); null when no such instant can matter.
   */
  private agingTimer(): Timeout<void> | null {
    if (this.policy !== "priority-preemptive" || this.aging === 0 || this.ready.length === 0) return null
    const now = this.sim.now
    let next = Infinity
    for (const job of this.ready) {
      if (this.effectivePriority(job, now) === 0) continue
      const steps = Math.floor((now - job.readyAt) / this.aging + AGING_EPSILON)
      next = Math.min(next, job.readyAt + (steps + 1) * this.aging)
    }
    return next === Infinity ? null : this.sim.timeout(Math.max(0, next - now))
  }
}
