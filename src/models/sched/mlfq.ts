/**
 * The multi-level feedback queue of OSTEP chapter 8, tick for tick as OSTEP's `mlfq.py` runs it.
 *
 * A school canteen with several lines, the top line served first: everyone starts in the top line;
 * whoever hogs the counter too long (uses up their allotment at a level) is sent one line down;
 * from time to time (the boost) everyone is called back to the top line, so nobody waits forever
 * in the bottom one. Jobs that leave for I/O come back to the line they left.
 *
 * The CPU is a kernel process that advances one tick at a time; arrivals and I/O completions are
 * kernel timeouts that drop the job into an inbox the CPU reads at the top of its tick. Every I/O
 * takes `ioTime` ticks and all I/Os proceed in parallel (mlfq.py's model). Queues are numbered from
 * `queues − 1` (highest priority) down to 0, as in mlfq.py. Each tick at time `t`, in this order:
 *
 * 1. Boost, if `boost > 0`, `t ≠ 0` and `t % boost == 0`: every job in a queue below the top moves
 *    to the back of the top queue (lowest queue first, in queue order); then every unfinished job —
 *    queued, doing I/O, or not yet arrived — gets the top priority with its full quantum and
 *    allotment there.
 * 2. Arrivals and I/O completions due at `t`, in the order they were registered (arrivals at the
 *    start in job order, completions as issued): the job joins the back of its priority's queue, or
 *    the front with `ioBump` when it is an I/O completion.
 * 3. The head of the highest non-empty queue runs for one tick (none: the tick is idle); its
 *    remaining time and the ticks left in its quantum drop by one; its first run is recorded.
 * 4. If it has no time left it finishes at `t + 1` and leaves its queue. Otherwise:
 * 5. If `ioFreq > 0` and its CPU time so far is a multiple of `ioFreq`, it leaves its queue to do
 *    I/O until `t + 1 + ioTime`; with `stay` its quantum and allotment at this level are reset.
 * 6. If its quantum ran out (as counted in step 3, before any `stay` reset): it leaves its queue
 *    unless it started I/O, uses up one allotment, and — with none left — moves one level down (or
 *    stays at the lowest) with that level's full quantum and allotment; otherwise it gets a fresh
 *    quantum. Either way it joins the back of its queue unless it is doing I/O.
 *
 * The boost gives a full quantum *and* allotment (the current upstream mlfq.py; an older copy set
 * the quantum to the top allotment instead, which the reference numbers do not use).
 *
 * Invariants: a job's priority only rises through the boost; a runnable job is in exactly one
 * queue, the one of its priority; with a boost period `B` and no `ioBump`, no runnable job waits
 * longer than `B + (n − 1) × topQuantum` ticks (n jobs), see the property tests.
 *
 * Trace records (`sched-events.ts`, {@link MlfqEvent}): one per line of mlfq.py's `-c` trace
 * (`PriorityBoosted`, `JobArrived`, `IoCompleted`, `TickIdled`, `TickRan`, `JobFinished`,
 * `IoStarted`), plus `JobDemoted`, which mlfq.py does not print. The same lines are kept in the
 * result ({@link MlfqResult.trace}: mlfq.py's output is what this model reproduces, with or
 * without a trace); `sched-timeline.ts` prints them.
 *
 * Left out on purpose: several CPUs (OSTEP's multi.py), I/O queueing, and job-specific I/O times.
 */
import type { ProcessGenerator, Simulation, TraceOf } from "../../kernel/index.ts"
import type { MlfqJobSpec } from "./job-list.ts"
import type { JobDemoted, MlfqEvent } from "./sched-events.ts"

/** Options of an {@link Mlfq}; the defaults are mlfq.py's. */
export interface MlfqOptions {
  /** Number of queues, when `quantumList` is not given; an integer >= 1. Default 3. */
  readonly queues?: number
  /** Quantum of every queue, in ticks, when `quantumList` is not given; an integer >= 1. Default 10. */
  readonly quantum?: number
  /** Quantum per queue, highest priority first; its length sets the number of queues. Default: none. */
  readonly quantumList?: readonly number[]
  /** Allotment of every queue, in quanta, when `allotmentList` is not given; an integer >= 1. Default 1. */
  readonly allotment?: number
  /** Allotment per queue in quanta, highest first; one per queue (the lowest may be 0). Default: none. */
  readonly allotmentList?: readonly number[]
  /** Boost period in ticks; 0 = never boost. Default 0. */
  readonly boost?: number
  /** Length of every I/O, in ticks; an integer >= 0. Default 5. */
  readonly ioTime?: number
  /** OSTEP's old, gameable rule: issuing an I/O resets the job's quantum and allotment. Default false. */
  readonly stay?: boolean
  /** A job whose I/O completes goes to the front of its queue. Default false. */
  readonly ioBump?: boolean
  /** Keep a per-tick record of who waited where (for tests and charts). Default false. */
  readonly keepHistory?: boolean
}

/**
 * One line of mlfq.py's execution trace: an {@link MlfqEvent} other than a demotion, stamped with
 * its tick `t`; `formatMlfqTraceLine` (sched-timeline.ts) prints it.
 */
export type MlfqTraceLine = { readonly t: number } & Exclude<MlfqEvent, JobDemoted>

/** One tick of the history (with `keepHistory`). */
export interface MlfqTickRecord {
  /** The tick's time. */
  readonly t: number
  /** The job that ran, or -1 when idle. */
  readonly running: number
  /** Its priority (queue number), or -1 when idle. */
  readonly priority: number
  /** Jobs in the queues at the moment of the pick, each with its priority, running job included. */
  readonly queued: readonly (readonly [job: number, priority: number])[]
}

/** What happened to one job. */
export interface MlfqJobResult {
  /** Job number, from 0. */
  readonly id: number
  /** Arrival tick. */
  readonly start: number
  /** CPU ticks needed. */
  readonly runTime: number
  /** I/O frequency (0 = none). */
  readonly ioFreq: number
  /** First tick it ran. */
  readonly firstRun: number
  /** When it finished. */
  readonly end: number
  /** firstRun − start. */
  readonly response: number
  /** end − start. */
  readonly turnaround: number
  /** Longest run of ticks it spent runnable (in a queue) without running. */
  readonly longestWait: number
  /** When that longest wait began (its first waiting tick), or -1 if it never waited. */
  readonly longestWaitFrom: number
}

/** The result of a finished run. */
export interface MlfqResult {
  /** Per job, in job order. */
  readonly jobs: readonly MlfqJobResult[]
  /** Queue numbers: `queues − 1` is the highest. */
  readonly queues: number
  /** Quantum per queue, indexed by queue number. */
  readonly quantum: readonly number[]
  /** Allotment per queue, indexed by queue number. */
  readonly allotment: readonly number[]
  /** When the last job finished. */
  readonly totalTime: number
  /** Per tick: the job that ran (-1 idle). */
  readonly ran: readonly number[]
  /** Per tick: the priority it ran at (-1 idle). */
  readonly ranPriority: readonly number[]
  /** mlfq.py's trace, line by line. */
  readonly trace: readonly MlfqTraceLine[]
  /** Per-tick history (with `keepHistory`). */
  readonly history: readonly MlfqTickRecord[]
  /** Mean response time. */
  readonly avgResponse: number
  /** Mean turnaround time. */
  readonly avgTurnaround: number
}

interface JobState {
  readonly id: number
  readonly start: number
  readonly runTime: number
  readonly ioFreq: number
  currPri: number
  ticksLeft: number
  allotLeft: number
  timeLeft: number
  doingIO: boolean
  firstRun: number
  endTime: number
  waiting: number
  longestWait: number
  longestWaitFrom: number
}

interface InboxEntry {
  readonly job: number
  readonly kind: "begins" | "io-done"
  readonly at: number
}

/** The queue numbers' quanta and allotments resolved from options, as mlfq.py resolves them. */
export function mlfqLevels(options: MlfqOptions): { quantum: number[]; allotment: number[] } {
  const quantumList = options.quantumList
  const queues = quantumList !== undefined ? quantumList.length : (options.queues ?? 3)
  if (!Number.isInteger(queues) || queues < 1) throw new RangeError(`queues must be an integer >= 1, got ${queues}`)
  const quantum =
    quantumList !== undefined ? [...quantumList].reverse() : Array.from({ length: queues }, () => options.quantum ?? 10)
  const allotmentList = options.allotmentList
  if (allotmentList !== undefined && allotmentList.length !== queues) {
    throw new RangeError(`allotmentList needs one entry per queue (${queues}), got ${allotmentList.length}`)
  }
  const allotment =
    allotmentList !== undefined
      ? [...allotmentList].reverse()
      : Array.from({ length: queues }, () => options.allotment ?? 1)
  quantum.forEach((q) => {
    if (!Number.isInteger(q) || q < 1) throw new RangeError(`every quantum must be an integer >= 1, got ${q}`)
  })
  allotment.forEach((a, level) => {
    if (!Number.isInteger(a) || a < (level === 0 ? 0 : 1))
      throw new RangeError(`allotment of queue ${level} must be an integer >= ${level === 0 ? 0 : 1}, got ${a}`)
  })
  return { quantum, allotment }
}

/** An MLFQ with its jobs, living in a simulation; the jobs arrive when the simulation runs. */
export class Mlfq {
  private readonly jobs: JobState[]
  private readonly quantum: number[]
  private readonly allotment: number[]
  private readonly hiQueue: number
  private readonly queue: number[][]
  private readonly inbox: InboxEntry[] = []
  /** Registered completions not yet delivered, by due time. */
  private readonly pending = new Map<number, number>()
  private readonly traceLines: MlfqTraceLine[] = []
  private readonly history: MlfqTickRecord[] = []
  private readonly ran: number[] = []
  private readonly ranPriority: number[] = []
  private readonly trace: TraceOf<MlfqEvent>
  private readonly boost: number
  private readonly ioTime: number
  private readonly stay: boolean
  private readonly ioBump: boolean
  private readonly keepHistory: boolean
  private finished = 0

  /**
   * Builds the MLFQ in `sim` (at time 0): arrival timers for every job, and the CPU's tick process.
   * @throws RangeError on bad options or jobs, or a simulation already past time 0
   */
  constructor(
    private readonly sim: Simulation,
    specs: readonly MlfqJobSpec[],
    options: MlfqOptions = {},
  ) {
    if (sim.now !== 0) throw new RangeError(`an Mlfq counts ticks from time 0; the simulation is at ${sim.now}`)
    this.trace = sim.trace
    const { quantum, allotment } = mlfqLevels(options)
    this.quantum = quantum
    this.allotment = allotment
    this.hiQueue = quantum.length - 1
    this.queue = quantum.map(() => [])
    this.boost = options.boost ?? 0
    this.ioTime = options.ioTime ?? 5
    this.stay = options.stay ?? false
    this.ioBump = options.ioBump ?? false
    this.keepHistory = options.keepHistory ?? false
    if (!Number.isInteger(this.boost) || this.boost < 0)
      throw new RangeError(`boost must be an integer >= 0, got ${this.boost}`)
    if (!Number.isInteger(this.ioTime) || this.ioTime < 0)
      throw new RangeError(`ioTime must be an integer >= 0, got ${this.ioTime}`)
    this.jobs = specs.map((spec, id) => {
      if (!Number.isInteger(spec.start) || spec.start < 0)
        throw new RangeError(`job ${id}: start must be an integer >= 0, got ${spec.start}`)
      if (!Number.isInteger(spec.runTime) || spec.runTime < 1)
        throw new RangeError(`job ${id}: runTime must be an integer >= 1, got ${spec.runTime}`)
      if (!Number.isInteger(spec.ioFreq) || spec.ioFreq < 0)
        throw new RangeError(`job ${id}: ioFreq must be an integer >= 0, got ${spec.ioFreq}`)
      return {
        id,
        start: spec.start,
        runTime: spec.runTime,
        ioFreq: spec.ioFreq,
        currPri: this.hiQueue,
        ticksLeft: quantum[this.hiQueue]!,
        allotLeft: allotment[this.hiQueue]!,
        timeLeft: spec.runTime,
        doingIO: false,
        firstRun: -1,
        endTime: -1,
        waiting: 0,
        longestWait: 0,
        longestWaitFrom: -1,
      }
    })
    for (const job of this.jobs) this.register(job.id, "begins", job.start)
    sim.spawn(this.cpu(), "mlfq-cpu")
  }

  /** Registers an arrival or I/O completion: a kernel timer that drops the job into the inbox at `at`. */
  private register(job: number, kind: InboxEntry["kind"], at: number): void {
    this.pending.set(at, (this.pending.get(at) ?? 0) + 1)
    this.sim.timeout(at - this.sim.now).onProcessed(() => {
      this.pending.set(at, this.pending.get(at)! - 1)
      this.inbox.push({ job, kind, at })
    })
  }

  /** The CPU: one iteration per tick, at simulated time = the tick's time. */
  private *cpu(): ProcessGenerator<void> {
    const sim = this.sim
    yield* sim.timeout(0) // after the arrivals due at 0 were delivered
    while (this.finished < this.jobs.length) {
      this.tick(sim.now)
      yield* sim.sleep(1)
    }
  }

  private tick(t: number): void {
    if (this.boost > 0 && t !== 0 && t % this.boost === 0) this.boostAll()
    this.deliver(t)
    let level = this.hiQueue
    while (level >= 0 && this.queue[level]!.length === 0) level--
    if (level < 0) {
      this.note({ type: "TickIdled" })
      this.ran.push(-1)
      this.ranPriority.push(-1)
      if (this.keepHistory) this.history.push({ t, running: -1, priority: -1, queued: [] })
      return
    }
    const queue = this.queue[level]!
    const job = this.jobs[queue[0]!]!
    if (job.currPri !== level) throw new Error(`job ${job.id} has priority ${job.currPri} but sits in queue ${level}`)
    this.account(job, t)
    job.timeLeft -= 1
    job.ticksLeft -= 1
    if (job.firstRun === -1) job.firstRun = t
    const ticksLeft = job.ticksLeft
    this.ran.push(job.id)
    this.ranPriority.push(level)
    const { allotLeft, timeLeft, runTime } = job
    this.note({ type: "TickRan", job: job.id, priority: level, ticksLeft, allotLeft, timeLeft, runTime })
    const now = t + 1
    if (job.timeLeft === 0) {
      this.note({ type: "JobFinished", job: job.id, at: now })
      this.finished++
      job.endTime = now
      queue.shift()
      return
    }
    let issuedIO = false
    if (job.ioFreq > 0 && (job.runTime - job.timeLeft) % job.ioFreq === 0) {
      this.note({ type: "IoStarted", job: job.id, at: now, doneAt: now + this.ioTime })
      issuedIO = true
      queue.shift()
      job.doingIO = true
      if (this.stay) {
        job.ticksLeft = this.quantum[level]!
        job.allotLeft = this.allotment[level]!
      }
      this.register(job.id, "io-done", now + this.ioTime)
    }
    if (ticksLeft === 0) {
      if (!issuedIO) queue.shift()
      job.allotLeft -= 1
      if (job.allotLeft === 0) {
        const next = level > 0 ? level - 1 : level
        if (next !== level) this.trace.record({ type: "JobDemoted", job: job.id, priority: next, at: now })
        job.currPri = next
        job.ticksLeft = this.quantum[next]!
        job.allotLeft = this.allotment[next]!
        if (!issuedIO) this.queue[next]!.push(job.id)
      } else {
        job.ticksLeft = this.quantum[level]!
        if (!issuedIO) queue.push(job.id)
      }
    }
  }

  /** Records a line of mlfq.py's trace, and keeps it for the result. */
  private note(event: Exclude<MlfqEvent, JobDemoted>): void {
    this.trace.record(event)
    this.traceLines.push({ t: this.sim.now, ...event })
  }

  /** Step 1: the priority boost. */
  private boostAll(): void {
    this.note({ type: "PriorityBoosted", period: this.boost })
    const top = this.queue[this.hiQueue]!
    for (let level = 0; level < this.hiQueue; level++) {
      for (const id of this.queue[level]!) if (!this.jobs[id]!.doingIO) top.push(id)
      this.queue[level] = []
    }
    for (const job of this.jobs) {
      if (job.timeLeft > 0) {
        job.currPri = this.hiQueue
        job.ticksLeft = this.quantum[this.hiQueue]!
        job.allotLeft = this.allotment[this.hiQueue]!
      }
    }
  }

  /** Step 2: arrivals and I/O completions due now, in registration order. */
  private deliver(t: number): void {
    if ((this.pending.get(t) ?? 0) !== 0)
      throw new Error(`an arrival or I/O completion due at ${t} was not delivered before the tick`)
    this.pending.delete(t)
    for (const entry of this.inbox) {
      if (entry.at !== t) throw new Error(`an inbox entry due at ${entry.at} is read at ${t}`)
      const job = this.jobs[entry.job]!
      job.doingIO = false
      if (entry.kind === "begins")
        this.note({ type: "JobArrived", job: job.id, runTime: job.runTime, ioFreq: job.ioFreq })
      else this.note({ type: "IoCompleted", job: entry.job })
      if (this.ioBump && entry.kind === "io-done") this.queue[job.currPri]!.unshift(entry.job)
      else this.queue[job.currPri]!.push(entry.job)
    }
    this.inbox.length = 0
  }

  /** Wait accounting at the pick: the runner stops waiting, every other queued job waits a tick. */
  private account(runner: JobState, t: number): void {
    const queued: [number, number][] = []
    for (let level = this.hiQueue; level >= 0; level--) {
      for (const id of this.queue[level]!) {
        const job = this.jobs[id]!
        if (this.keepHistory) queued.push([id, level])
        if (job === runner) continue
        job.waiting++
        if (job.waiting > job.longestWait) {
          job.longestWait = job.waiting
          job.longestWaitFrom = t - job.waiting + 1
        }
      }
    }
    runner.waiting = 0
    for (const job of this.jobs) if (job.doingIO || job.timeLeft === 0) job.waiting = 0
    if (this.keepHistory) this.history.push({ t, running: runner.id, priority: runner.currPri, queued })
  }

  /**
   * The metrics of the finished run.
   * @throws Error when a job has not finished (the simulation was stopped early)
   */
  result(): MlfqResult {
    const jobs = this.jobs.map((job): MlfqJobResult => {
      if (job.endTime < 0) throw new Error(`job ${job.id} has not finished at t=${this.sim.now}`)
      return {
        id: job.id,
        start: job.start,
        runTime: job.runTime,
        ioFreq: job.ioFreq,
        firstRun: job.firstRun,
        end: job.endTime,
        response: job.firstRun - job.start,
        turnaround: job.endTime - job.start,
        longestWait: job.longestWait,
        longestWaitFrom: job.longestWait === 0 ? -1 : job.longestWaitFrom,
      }
    })
    let responseSum = 0
    let turnaroundSum = 0
    for (const job of jobs) {
      responseSum += job.response
      turnaroundSum += job.turnaround
    }
    return {
      jobs,
      queues: this.quantum.length,
      quantum: this.quantum,
      allotment: this.allotment,
      totalTime: jobs.reduce((latest, job) => Math.max(latest, job.end), 0),
      ran: this.ran,
      ranPriority: this.ranPriority,
      trace: this.traceLines,
      history: this.history,
      avgResponse: jobs.length === 0 ? 0 : responseSum / jobs.length,
      avgTurnaround: jobs.length === 0 ? 0 : turnaroundSum / jobs.length,
    }
  }
}

/**
 * Runs `jobs` through an MLFQ on `sim` until every job finished and returns the result.
 *
 * ```ts
 * runMlfq(sim, [{ start: 0, runTime: 180, ioFreq: 0 }, { start: 100, runTime: 20, ioFreq: 0 }]).avgTurnaround // 110
 * ```
 */
export function runMlfq(sim: Simulation, jobs: readonly MlfqJobSpec[], options: MlfqOptions = {}): MlfqResult {
  const mlfq = new Mlfq(sim, jobs, options)
  sim.run()
  return mlfq.result()
}
