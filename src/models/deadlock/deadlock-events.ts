/**
 * The trace events of the deadlock lessons, one per step of an algorithm, recorded at simulated
 * time t = the step's number (the unit is "steps"): {@link BankersEvent} for the banker's
 * algorithm, {@link DetectionEvent} for detection and recovery. Each fact is recorded once, with
 * what `deadlock-timeline.ts` needs to tell it. Processes are named `P0`, `P1`, ...; vectors are
 * counts per resource type, in order A, B, C, ...
 */

/** A scan (safety or detection) began with Work = `work`. */
export interface ScanStarted {
  readonly type: "ScanStarted"
  /** What is being checked: `"T0"`, `"pretend state of request 1 (P1)"`, `"detection"`, ... */
  readonly context: string
  /** `"safety"` (Need against Work) or `"detection"` (Request against Work). */
  readonly algorithm: "safety" | "detection"
  readonly work: readonly number[]
  /** Processes finished before the scan (detection: they hold nothing). */
  readonly idle: readonly string[]
}

/** The scan took a process: its demand fit Work, it finishes and releases what it holds. */
export interface ProcessFinished {
  readonly type: "ProcessFinished"
  readonly process: string
  readonly algorithm: "safety" | "detection"
  /** The pass of the scan over P0..Pn−1, from 1. */
  readonly pass: number
  /** Its Need (safety) or Request (detection). */
  readonly demand: readonly number[]
  /** Work before. */
  readonly work: readonly number[]
  /** Work after it released its allocation. */
  readonly workAfter: readonly number[]
}

/** A scan ended: a pass took no process. */
export interface ScanEnded {
  readonly type: "ScanEnded"
  readonly context: string
  /** The processes in the order taken (idle ones first, for detection). */
  readonly order: readonly string[]
  /** The processes left: the state is unsafe (safety) or they are deadlocked (detection). */
  readonly left: readonly string[]
}

/** A process asked the banker for instances. */
export interface RequestMade {
  readonly type: "RequestMade"
  /** Its place in --requests, from 1. */
  readonly index: number
  readonly process: string
  readonly request: readonly number[]
}

/** The banker decided a request. */
export interface RequestDecided {
  readonly type: "RequestDecided"
  readonly index: number
  readonly process: string
  readonly verdict: "granted" | "wait-unavailable" | "wait-unsafe" | "error-exceeds-claim"
  /** Why, in one sentence. */
  readonly reason: string
  /** Available after the decision. */
  readonly available: readonly number[]
}

/** Events of the banker's algorithm. */
export type BankersEvent = ScanStarted | ProcessFinished | ScanEnded | RequestMade | RequestDecided

/** The wait-for graph of a single-instance state was built. */
export interface WaitForGraphBuilt {
  readonly type: "WaitForGraphBuilt"
  /** Edges as `P1→P2` (P1 waits for a resource P2 holds). */
  readonly edges: readonly string[]
  /** The first cycle found (processes around it), or empty. */
  readonly cycle: readonly string[]
}

/** Recovery chose a victim and took back what it held. */
export interface VictimRecovered {
  readonly type: "VictimRecovered"
  readonly process: string
  readonly recovery: "abort-all" | "abort-one" | "preempt"
  /** Instances it held, returned to Available. */
  readonly released: readonly number[]
  /** Available afterwards. */
  readonly available: readonly number[]
}

/** Events of detection and recovery. */
export type DetectionEvent = ScanStarted | ProcessFinished | ScanEnded | WaitForGraphBuilt | VictimRecovered

/** Every event of the deadlock models. */
export type DeadlockEvent = BankersEvent | DetectionEvent
