/**
 * Garbage collection on simulated time: a heap with an allocation rate, lifetimes and a live set;
 * a mark-and-sweep collector paced like Go's GOGC, stop-the-world or concurrent; reference counting
 * that leaks cycles; the latency pauses add to requests; the scenario, checks and timeline.
 */
export type * from "./gc-events.ts"
export { checkNoLeak, checkNoLiveFreed, checkWithinGoal, gcChecks } from "./gc-checks.ts"
export {
  type Collector,
  COLLECTORS,
  FIXED_PAUSE_MS,
  GcHeap,
  type GcHeapOptions,
  type GcHeapResult,
  MIN_GOAL_BYTES,
  type Pause,
  SAMPLE_EVERY_MS,
} from "./gc-heap.ts"
export { type GcRunResult, GcScenario, type GcScenarioOptions, gcSummary } from "./gc-scenario.ts"
export { describeGcRecord, isGcRecord } from "./gc-timeline.ts"
export { poissonArrivalsMs, requestLatencyMs } from "./request-latency.ts"
