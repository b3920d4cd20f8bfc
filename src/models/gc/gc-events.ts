/**
 * The trace events of the garbage-collection model (`gc-heap.ts`), at simulated time in ms. Sizes
 * are in bytes. Each fact is recorded once, with what `gc-timeline.ts` needs to tell it.
 */

/** A tracing collection began: the heap reached its goal. */
export interface GcStarted {
  readonly type: "GcStarted"
  /** The collection's number, from 1. */
  readonly cycle: number
  readonly heapBytes: number
  /** Live bytes at this moment (what marking will find). */
  readonly liveBytes: number
  /** The goal the heap reached: live after the last collection × (1 + GOGC/100). */
  readonly goalBytes: number
}

/** The mutator was stopped for `pauseMs` (stop-the-world). */
export interface WorldStopped {
  readonly type: "WorldStopped"
  readonly cycle: number
  /** `mark` (a whole stop-the-world collection), `mark-start` or `mark-termination` (concurrent). */
  readonly phase: "mark" | "mark-start" | "mark-termination"
  readonly pauseMs: number
}

/** A tracing collection ended: the sweep left `heapBytes`; the next goal is set. */
export interface GcFinished {
  readonly type: "GcFinished"
  readonly cycle: number
  readonly heapBytes: number
  /** Bytes the collection freed. */
  readonly freedBytes: number
  readonly nextGoalBytes: number
}

/** The heap at a sampling instant (every 10 ms). */
export interface HeapSampled {
  readonly type: "HeapSampled"
  readonly heapBytes: number
  readonly liveBytes: number
  /** Dead bytes reference counting can never free (in cycles); 0 for tracing collectors. */
  readonly leakedBytes: number
}

/** Events of the GC model. */
export type GcEvent = GcStarted | WorldStopped | GcFinished | HeapSampled
