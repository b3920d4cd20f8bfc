/**
 * The trace events of the scheduling models, one union per machine: {@link ScheduleEvent} for the
 * CPU scheduler with its disk (`ScheduleRun`), {@link MlfqEvent} for OSTEP's MLFQ and
 * {@link ProcessRunEvent} for OSTEP's process-run. Each fact is recorded once, with what a
 * timeline needs to tell it, so `sched-timeline.ts` reads the story from the trace alone.
 *
 * Times are in the model's unit (time units for the scheduler, ticks for MLFQ and process-run).
 * The three machines never share a simulation, so a record type may appear in two unions with
 * different fields (`JobArrived`, `IoStarted`, `IoCompleted`); each union is narrowed on its own.
 */

import type { Instruction } from "./job-list.ts"

// ---- The CPU scheduler and its disk (schedule-run.ts, cpu-scheduler.ts, io-device.ts)

/** A job entered the system. */
export interface JobArrived {
  readonly type: "JobArrived"
  /** Job number, from 0 in the order given. */
  readonly job: number
  /** Its total CPU time (the sum of its CPU bursts). */
  readonly burst: number
  /** Its bursts, CPU and I/O alternating, CPU first and last. */
  readonly bursts: readonly number[]
}

/** A job joined the CPU's ready queue for a CPU burst. */
export interface BurstQueued {
  readonly type: "BurstQueued"
  readonly job: number
  /** Length of the burst. */
  readonly length: number
  /** The burst's index among the job's CPU bursts, from 0 (1 and up: back from an I/O). */
  readonly burstIndex: number
}

/** A core started switching to a job (the switch costs `cost` before the job runs). */
export interface ContextSwitchStarted {
  readonly type: "ContextSwitchStarted"
  /** Core index, from 0. */
  readonly core: number
  readonly job: number
  /** Time the switch takes. */
  readonly cost: number
}

/** A core started running a job for at most `length`. */
export interface SliceStarted {
  readonly type: "SliceStarted"
  readonly job: number
  readonly core: number
  /** The slice's planned length: the burst's remaining time or the quantum. */
  readonly length: number
  /** The slice will finish the burst (no quantum cut). */
  readonly finishing: boolean
}

/** A job's quantum ran out; it goes back to the ready queue. */
export interface QuantumExpired {
  readonly type: "QuantumExpired"
  readonly job: number
  readonly core: number
  /** The burst's remaining time. */
  readonly remaining: number
}

/** A running job was taken off its core for a better one. */
export interface JobPreempted {
  readonly type: "JobPreempted"
  readonly job: number
  readonly core: number
  /** The burst's remaining time. */
  readonly remaining: number
  /** The job that preempts it. */
  readonly by: number
}

/** A job's CPU burst ended on a core. */
export interface BurstFinished {
  readonly type: "BurstFinished"
  readonly job: number
  readonly core: number
}

/** A job asked the disk for an I/O (it may queue before service starts). */
export interface IoRequested {
  readonly type: "IoRequested"
  readonly job: number
  /** The device's name. */
  readonly device: string
  /** Service time of the I/O. */
  readonly length: number
}

/** The disk started serving a job's I/O. */
export interface IoStarted {
  readonly type: "IoStarted"
  readonly job: number
  readonly device: string
  readonly length: number
}

/** The disk finished a job's I/O. */
export interface IoCompleted {
  readonly type: "IoCompleted"
  readonly job: number
  readonly device: string
}

/** A job's last burst ended: it leaves the system. */
export interface JobCompleted {
  readonly type: "JobCompleted"
  readonly job: number
}

/** Every event of a scheduling run on the CPU scheduler and its disk. */
export type ScheduleEvent =
  | JobArrived
  | BurstQueued
  | ContextSwitchStarted
  | SliceStarted
  | QuantumExpired
  | JobPreempted
  | BurstFinished
  | IoRequested
  | IoStarted
  | IoCompleted
  | JobCompleted

// ---- OSTEP's MLFQ (mlfq.ts). `at` is the tick boundary mlfq.py prints an end-of-tick fact with (t + 1).

/** Every job moved back to the top queue (mlfq.py's BOOST). */
export interface PriorityBoosted {
  readonly type: "PriorityBoosted"
  /** The boost period, in ticks. */
  readonly period: number
}

/** A job arrived and joined the top queue (mlfq.py's JOB BEGINS). */
export interface MlfqJobArrived {
  readonly type: "JobArrived"
  readonly job: number
  /** CPU ticks it needs. */
  readonly runTime: number
  /** It issues an I/O after every `ioFreq` ticks of CPU; 0 = never. */
  readonly ioFreq: number
}

/** A job's I/O completed; it rejoins its queue (mlfq.py's IO_DONE). */
export interface MlfqIoCompleted {
  readonly type: "IoCompleted"
  readonly job: number
}

/** No job was runnable for this tick (mlfq.py's IDLE). */
export interface TickIdled {
  readonly type: "TickIdled"
}

/** A job ran for this tick (mlfq.py's `Run JOB j at PRIORITY p [ TICKS .. ALLOT .. TIME .. ]`). */
export interface TickRan {
  readonly type: "TickRan"
  readonly job: number
  /** The queue it ran in (`queues − 1` is the top). */
  readonly priority: number
  /** Ticks left in its quantum after this one. */
  readonly ticksLeft: number
  /** Allotments left at this level. */
  readonly allotLeft: number
  /** CPU ticks it still needs after this one. */
  readonly timeLeft: number
  /** CPU ticks it needs in all. */
  readonly runTime: number
}

/** A job ran its last tick; it finished at `at`. */
export interface JobFinished {
  readonly type: "JobFinished"
  readonly job: number
  /** End of the tick: when the job finished. */
  readonly at: number
}

/** A job issued an I/O at the end of its tick; it is back at `doneAt`. */
export interface MlfqIoStarted {
  readonly type: "IoStarted"
  readonly job: number
  /** End of the tick: when the I/O started. */
  readonly at: number
  /** When the I/O completes. */
  readonly doneAt: number
}

/** A job used up its allotment and moved one queue down (mlfq.py prints nothing for it). */
export interface JobDemoted {
  readonly type: "JobDemoted"
  readonly job: number
  /** The queue it moved to. */
  readonly priority: number
  /** End of the tick: when it moved. */
  readonly at: number
}

/** Every event of an MLFQ run. */
export type MlfqEvent =
  PriorityBoosted | MlfqJobArrived | MlfqIoCompleted | TickIdled | TickRan | JobFinished | MlfqIoStarted | JobDemoted

// ---- OSTEP's process-run (process-run.ts); a record's `t` is the tick's number, from 1.

/** A process executed one instruction in this tick. */
export interface InstructionRan {
  readonly type: "InstructionRan"
  /** Process id, from 0. */
  readonly pid: number
  /** `cpu`, `io` (issue an I/O) or `io_done` (handle its completion). */
  readonly instruction: Instruction
}

/** The CPU executed nothing in this tick. */
export interface CpuIdled {
  readonly type: "CpuIdled"
  /** Every unfinished process was BLOCKED on I/O (else some process was READY). */
  readonly allBlocked: boolean
}

/** A process's I/O started; it is BLOCKED until `doneAt`. */
export interface ProcessIoStarted {
  readonly type: "IoStarted"
  readonly pid: number
  /** The tick at which the I/O completes. */
  readonly doneAt: number
}

/** A process's I/O completed: it is READY (or RUNNING, if it runs at once). */
export interface ProcessIoCompleted {
  readonly type: "IoCompleted"
  readonly pid: number
}

/** A process ran its last instruction. */
export interface ProcessDone {
  readonly type: "ProcessDone"
  readonly pid: number
}

/** Every event of a process-run run. */
export type ProcessRunEvent = InstructionRan | CpuIdled | ProcessIoStarted | ProcessIoCompleted | ProcessDone
