/**
 * Memory: page replacement (FIFO, LRU, OPT, OSTEP's CLOCK and RAND, second chance, LFU) as pure
 * strategies over a reference string, with its scenario, trace events, timeline and checks.
 */
export {
  countPaging,
  nextUses,
  type PageAccess,
  PageCache,
  PAGING_POLICIES,
  type PagingOptions,
  type PagingPolicy,
  type PagingRun,
  randomReferences,
  type ReplacementStrategy,
  replacementStrategy,
  simulatePaging,
  type UnitRandom,
} from "./page-replacement.ts"
export { pagingChecks } from "./paging-checks.ts"
export type { PageFaulted, PageHit, PagingEvent } from "./paging-events.ts"
export { type PagingResult, PagingScenario, type PagingScenarioOptions, pagingSummary } from "./paging-scenario.ts"
export { framesText, isPagingRecord, pagingTimeline, pagingTimelineLine } from "./paging-timeline.ts"
export { framesSweep, type SweepOptions, type SweepRow } from "./frames-sweep.ts"
export {
  type Allocation,
  type FreeBlock,
  fragmentation,
  Heap,
  HeapError,
  type HeapOptions,
  LIST_ORDERS,
  type ListOrder,
  SEARCH_POLICIES,
  type SearchPolicy,
} from "./free-list.ts"
export { mallocChecks } from "./malloc-checks.ts"
export type { AllocationFailed, ChunkAllocated, ChunkFreed, FreeSkipped, MallocEvent } from "./malloc-events.ts"
export { type ExplicitOp, explicitOps, type MallocOp, parseOps, type RandomOps, randomOps } from "./malloc-ops.ts"
export { type MallocResult, MallocScenario, type MallocScenarioOptions, mallocSummary } from "./malloc-scenario.ts"
export { isMallocRecord, mallocTimeline, mallocTimelineLine } from "./malloc-timeline.ts"
