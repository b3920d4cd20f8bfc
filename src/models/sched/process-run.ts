/**
 * Processes, states and I/O, one tick at a time, exactly as OSTEP's `process-run.py` runs them.
 *
 * A one-chef kitchen: each process is a recipe, a list of steps; most steps need the chef (a CPU
 * instruction), some start the oven (an I/O) and the dish then bakes on its own for `ioLength`
 * ticks, after which the chef spends one step taking it out (the I/O-done instruction). While one
 * dish bakes the chef can work on another recipe — or stand idle, if every recipe is waiting for
 * the oven. The switch policy says whether the chef moves to another recipe when starting the oven
 * (`on-io`) or only when a recipe is finished (`on-end`); the I/O-done policy says whether a dish
 * that comes out of the oven is handled at once (`immediate`) or when its turn comes (`later`).
 *
 * The CPU is a kernel process that advances one tick at a time; each I/O is a kernel timeout that
 * marks the process's I/O complete, and any number of I/Os proceed in parallel. Process 0 starts
 * RUNNING, the others READY. While a process is not DONE, each tick (`clock` = its number, from 1):
 *
 * 1. For each process, by id, whose I/O completes at `clock`: it becomes READY. With `immediate`,
 *    the running process (if another) becomes READY and this one RUNNING and current. With
 *    `later`: if switching is `on-end` and more than one process is runnable (READY or RUNNING),
 *    this one becomes RUNNING and current; and if it is the only runnable process, likewise. After
 *    each completion, a current process that is RUNNING with no instructions left becomes DONE and
 *    the next READY process runs.
 * 2. If the current process is RUNNING and has instructions, it executes the next one (CPU busy).
 * 3. The tick counts as I/O busy if any issued I/O completes after `clock`.
 * 4. If the instruction was an I/O issue, the process becomes BLOCKED until `clock + ioLength + 1`;
 *    with `on-io` the next READY process runs.
 * 5. If the current process has no instructions left and is RUNNING, it becomes DONE and the next
 *    READY process runs.
 *
 * "The next READY process" is the first READY one after the current id, wrapping around to 0 and
 * up to the current id; if none is READY the current id stays current (though it may be BLOCKED or
 * DONE, and then nothing runs).
 *
 * Invariants: at most one instruction per tick; CPU busy = instructions executed; every I/O keeps
 * its process BLOCKED for exactly `ioLength` whole ticks.
 *
 * Trace records (`sched-events.ts`, {@link ProcessRunEvent}): `InstructionRan` or `CpuIdled` every
 * tick, `IoStarted`, `IoCompleted`, `ProcessDone`; `sched-timeline.ts` tells them. The per-tick
 * table of process-run.py ({@link ProcessRunResult.ticks}) is the model's result, kept with or
 * without a trace.
 *
 * Left out on purpose: preemption by a timer (the OSTEP lesson has none), priorities, and I/O
 * queueing (every I/O takes exactly `ioLength` ticks).
 */
import type { ProcessGenerator, Simulation, TraceOf } from "../../kernel/index.ts"
import type { Instruction } from "./job-list.ts"
import type { ProcessRunEvent } from "./sched-events.ts"

/** When the CPU moves to another process: on an I/O issue (`on-io`) or only at the end (`on-end`). */
export type SwitchBehaviour = "on-io" | "on-end"

/** What happens when an I/O completes: the process runs at once (`immediate`) or in turn (`later`). */
export type IoDoneBehaviour = "later" | "immediate"

/** A process state as process-run.py names it. */
export type ProcessState = "RUNNING" | "READY" | "BLOCKED" | "DONE"

/** Options of a {@link ProcessRun}; the defaults are process-run.py's. */
export interface ProcessRunOptions {
  /** Ticks an I/O keeps its process blocked; an integer >= 0. Default 5. */
  readonly ioLength?: number
  /** Switch behaviour. Default `"on-io"` (SWITCH_ON_IO). */
  readonly switch?: SwitchBehaviour
  /** I/O-done behaviour. Default `"later"` (IO_RUN_LATER). */
  readonly ioDone?: IoDoneBehaviour
}

/** One row of the trace: what every process did in one tick. */
export interface ProcessRunTick {
  /** The tick's number, from 1. */
  readonly clock: number
  /** An I/O completed at this tick (process-run.py marks the time with `*`). */
  readonly ioDone: boolean
  /** Per process: `RUN:cpu`, `RUN:io`, `RUN:io_done`, or its state. */
  readonly cells: readonly string[]
  /** The process that executed an instruction, or -1 when the CPU idled. */
  readonly ran: number
  /** I/Os in flight after this tick's instruction (an I/O issued this tick not yet counted). */
  readonly ios: number
  /** The CPU idled while every unfinished process was BLOCKED on I/O. */
  readonly idleAllBlocked: boolean
  /** The CPU idled although some process was READY. */
  readonly idleWithReady: boolean
}

/** The result of a finished run. */
export interface ProcessRunResult {
  /** Every tick, in order. */
  readonly ticks: readonly ProcessRunTick[]
  /** The last tick's number. */
  readonly totalTime: number
  /** Ticks in which an instruction ran. */
  readonly cpuBusy: number
  /** Ticks in which at least one I/O was in flight. */
  readonly ioBusy: number
  /** Ticks in which the CPU idled while every unfinished process waited for I/O. */
  readonly idleAllBlocked: number
  /** Ticks in which the CPU idled although a process was READY. */
  readonly idleWithReady: number
  /** Per process: the tick at which it became DONE. */
  readonly finishedAt: readonly number[]
}

interface Proc {
  readonly pid: number
  readonly code: readonly Instruction[]
  /** Index of the next instruction in `code` (instructions are read, not shifted off: linear time). */
  pc: number
  state: ProcessState
  /** Ticks at which its issued I/Os complete. */
  readonly ioFinish: number[]
  finishedAt: number
}

/** Processes on one CPU with parallel I/O, living in a simulation (from time 0). */
export class ProcessRun {
  private readonly procs: Proc[]
  private readonly ioLength: number
  private readonly switchBehaviour: SwitchBehaviour
  private readonly ioDoneBehaviour: IoDoneBehaviour
  private readonly ticks: ProcessRunTick[] = []
  /** Processes whose I/O completed, with the tick; filled by the I/O timers, read by the CPU. */
  private readonly completed: { pid: number; at: number }[] = []
  private inFlight = 0
  private curr = 0
  private cpuBusy = 0
  private ioBusy = 0
  private clock = 0
  private readonly trace: TraceOf<ProcessRunEvent>

  /**
   * Loads one process per program in `sim` (at time 0) and starts the CPU.
   * @throws RangeError on a bad I/O length or a simulation already past time 0
   */
  constructor(
    private readonly sim: Simulation,
    programs: readonly (readonly Instruction[])[],
    options: ProcessRunOptions = {},
  ) {
    if (sim.now !== 0) throw new RangeError(`a ProcessRun counts ticks from time 0; the simulation is at ${sim.now}`)
    this.trace = sim.trace
    this.ioLength = options.ioLength ?? 5
    if (!Number.isInteger(this.ioLength) || this.ioLength < 0)
      throw new RangeError(`ioLength must be an integer >= 0, got ${this.ioLength}`)
    this.switchBehaviour = options.switch ?? "on-io"
    this.ioDoneBehaviour = options.ioDone ?? "later"
    this.procs = programs.map((code, pid) => ({ pid, code, pc: 0, state: "READY", ioFinish: [], finishedAt: -1 }))
    sim.spawn(this.cpu(), "cpu")
  }

  private get current(): Proc {
    return this.procs[this.curr]!
  }

  /** The CPU: one iteration per tick, at simulated time = the tick's number. */
  private *cpu(): ProcessGenerator<void> {
    if (this.procs.length === 0) return
    this.curr = 0
    this.current.state = "RUNNING"
    while (this.procs.some((proc) => proc.state !== "DONE")) {
      yield* this.sim.sleep(1)
      this.clock = this.sim.now
      this.tick(this.clock)
    }
  }

  private tick(clock: number): void {
    const ioDone = this.completeIos(clock)
    let instruction: Instruction | undefined
    const current = this.current
    if (current.state === "RUNNING" && current.pc < current.code.length) {
      instruction = current.code[current.pc++]!
      this.cpuBusy++
      this.trace.record({ type: "InstructionRan", pid: current.pid, instruction })
    }
    const cells = this.procs.map((proc) =>
      proc === current && instruction !== undefined ? `RUN:${instruction}` : proc.state,
    )
    if (this.inFlight > 0) this.ioBusy++
    const unfinished = this.procs.filter((proc) => proc.state !== "DONE")
    const idle = instruction === undefined
    const idleAllBlocked = idle && unfinished.length > 0 && unfinished.every((proc) => proc.state === "BLOCKED")
    if (idle) this.trace.record({ type: "CpuIdled", allBlocked: idleAllBlocked })
    this.ticks.push({
      clock,
      ioDone,
      cells,
      ran: idle ? -1 : current.pid,
      ios: this.inFlight,
      idleAllBlocked,
      idleWithReady: idle && this.procs.some((proc) => proc.state === "READY"),
    })
    if (instruction === "io") {
      current.state = "BLOCKED"
      const at = clock + this.ioLength + 1
      current.ioFinish.push(at)
      this.startIo(current.pid, at)
      if (this.switchBehaviour === "on-io") this.nextProc()
    }
    this.checkIfDone()
  }

  /** An I/O: a kernel timer that reports the completion to the CPU at tick `at`. */
  private startIo(pid: number, at: number): void {
    this.inFlight++
    this.trace.record({ type: "IoStarted", pid, doneAt: at })
    this.sim.timeout(at - this.sim.now).onProcessed(() => {
      this.inFlight--
      this.completed.push({ pid, at })
    })
  }

  /** Step 1: the I/Os that complete at this tick, by process id. Returns whether there was one. */
  private completeIos(clock: number): boolean {
    for (const entry of this.completed)
      if (entry.at !== clock) throw new Error(`an I/O completing at ${entry.at} was read at tick ${clock}`)
    for (const proc of this.procs) {
      // A process has one I/O at a time (it is blocked until it completes), so only its latest can be due.
      if (proc.ioFinish.at(-1) === clock && !this.completed.some((entry) => entry.pid === proc.pid)) {
        throw new Error(`process ${proc.pid}'s I/O due at ${clock} was not delivered before the tick`)
      }
    }
    if (this.completed.length === 0) return false
    const pids = new Set(this.completed.map((entry) => entry.pid))
    this.completed.length = 0
    for (const proc of this.procs) {
      if (!pids.has(proc.pid)) continue
      this.trace.record({ type: "IoCompleted", pid: proc.pid })
      this.expect(proc, "BLOCKED")
      proc.state = "READY"
      if (this.ioDoneBehaviour === "immediate") {
        if (this.curr !== proc.pid && this.current.state === "RUNNING") this.current.state = "READY"
        this.runProc(proc.pid)
      } else {
        if (this.switchBehaviour === "on-end" && this.runnable() > 1) this.runProc(proc.pid)
        if (this.runnable() === 1) this.runProc(proc.pid)
      }
      this.checkIfDone()
    }
    return true
  }

  private runnable(): number {
    let count = 0
    for (const proc of this.procs) if (proc.state === "READY" || proc.state === "RUNNING") count++
    return count
  }

  /** Makes process `pid` (which must be READY) RUNNING and current. */
  private runProc(pid: number): void {
    this.curr = pid
    this.expect(this.current, "READY")
    this.current.state = "RUNNING"
  }

  /** The next READY process after the current one, wrapping around; none: the current id stays. */
  private nextProc(): void {
    const n = this.procs.length
    for (let step = 1; step <= n; step++) {
      const pid = (this.curr + step) % n
      if (this.procs[pid]!.state === "READY") {
        this.runProc(pid)
        return
      }
    }
  }

  private checkIfDone(): void {
    const current = this.current
    if (current.pc === current.code.length && current.state === "RUNNING") {
      current.state = "DONE"
      current.finishedAt = this.clock
      this.trace.record({ type: "ProcessDone", pid: current.pid })
      this.nextProc()
    }
  }

  private expect(proc: Proc, state: ProcessState): void {
    if (proc.state !== state) throw new Error(`process ${proc.pid} is ${proc.state}, expected ${state}`)
  }

  /**
   * The trace and statistics of the finished run.
   * @throws Error when a process has not finished (the simulation was stopped early)
   */
  result(): ProcessRunResult {
    for (const proc of this.procs)
      if (proc.state !== "DONE") throw new Error(`process ${proc.pid} has not finished at tick ${this.clock}`)
    return {
      ticks: this.ticks,
      totalTime: this.clock,
      cpuBusy: this.cpuBusy,
      ioBusy: this.ioBusy,
      idleAllBlocked: this.ticks.filter((tick) => tick.idleAllBlocked).length,
      idleWithReady: this.ticks.filter((tick) => tick.idleWithReady).length,
      finishedAt: this.procs.map((proc) => proc.finishedAt),
    }
  }
}

/**
 * Runs `programs` on `sim` until every process is DONE and returns the trace and statistics.
 *
 * ```ts
 * runProcesses(sim, parsePrograms("c7,i,c1,i:c3").value).totalTime // 22
 * ```
 */
export function runProcesses(
  sim: Simulation,
  programs: readonly (readonly Instruction[])[],
  options: ProcessRunOptions = {},
): ProcessRunResult {
  const run = new ProcessRun(sim, programs, options)
  sim.run()
  return run.result()
}
