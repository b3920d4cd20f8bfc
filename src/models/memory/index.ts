/**
 * Memory as the OSTEP homework teaches it. Address translation: base and bounds, two segments
 * growing apart, a linear page table and a two-level page table in a 4 KB memory. Each model draws
 * its problem from a seed exactly as OSTEP's script does (pure functions over a `random()` source,
 * the kernel's `MersenneTwister`), answers each address, and runs as a {@link TranslationScenario}
 * recording one typed event per translation, with its timeline and checks. Page replacement (FIFO,
 * LRU, OPT, OSTEP's CLOCK and RAND, second chance, LFU) as pure strategies over a reference string,
 * and malloc's free list, each with its scenario, trace events, timeline and checks.
 */
export {
  type BaseBoundsOptions,
  type BaseBoundsProblem,
  type BaseBoundsTranslation,
  drawBaseBounds,
  translateBaseBounds,
} from "./base-bounds.ts"
export {
  drawLinearPageTable,
  type LinearPageTableOptions,
  type LinearPageTableProblem,
  type PageTranslation,
  parsePageTable,
  translateLinear,
} from "./linear-page-table.ts"
export { baseBoundsChecks, linearPageChecks, segmentationChecks, twoLevelChecks } from "./memory-checks.ts"
export {
  type BaseBoundsTranslated,
  MEMORY_EVENT_TYPES,
  type MemoryEvent,
  type PageTranslated,
  type SegmentTranslated,
  type TwoLevelWalked,
} from "./memory-events.ts"
export {
  describeTranslation,
  hex,
  isMemoryRecord,
  MEMORY_TIMELINE_MAX,
  memoryTimeline,
  memoryTimelineLine,
  type MemoryTimelineLine,
  memoryTimelineSample,
} from "./memory-timeline.ts"
export {
  budgetedSource,
  DrawBudgetExceeded,
  type DrawResult,
  type Drawn,
  drawWithin,
  type InputRefusal,
  refuse,
  type UniformSource,
} from "./problem.ts"
export {
  drawSegmentation,
  type SegmentationOptions,
  type SegmentationProblem,
  type SegmentRegisters,
  type SegmentTranslation,
  translateSegmented,
} from "./segmentation.ts"
export {
  addressCount,
  addressOutside,
  type AddressListOptions,
  type Parsed,
  parseAddresses,
  parseSize,
  parseSizeOrRandom,
  SIZE_MAX,
  SIZE_PATTERN,
} from "./sizes.ts"
export { TranslationScenario, type TranslationResult, type TranslationScenarioOptions } from "./translation-scenario.ts"
export {
  drawTwoLevelMemory,
  memoryPages,
  PAGE_BYTES,
  PHYSICAL_PAGES,
  translateTwoLevel,
  type TwoLevelOptions,
  type TwoLevelProblem,
  type TwoLevelTranslation,
  VIRTUAL_BYTES,
  VIRTUAL_PAGES,
} from "./two-level-page-table.ts"
export { columnsFor, type MapRegion, renderBar, renderMarks } from "./memory-map.ts"
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
export {
  drawnProblem,
  refusalOf,
  runTranslations,
  type TranslationOutcome,
  type TranslationOutcomeOptions,
  type TranslationRunContext,
} from "./translation-outcome.ts"
