/**
 * Address translation as the OSTEP homework teaches it: base and bounds, two segments growing
 * apart, a linear page table and a two-level page table in a 4 KB memory. Each model draws its
 * problem from a seed exactly as OSTEP's script does (pure functions over a `random()` source, the
 * kernel's `MersenneTwister`), answers each address, and runs as a {@link TranslationScenario}
 * recording one typed event per translation, with its timeline and checks.
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
  memoryTimelineLine,
  type MemoryTimelineLine,
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
