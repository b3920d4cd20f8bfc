/**
 * The shared sim runner: declare a sim with {@link defineSim} and {@link flag}, end the file with
 * {@link runMain}; the runner does the command line, the reports, the trace file and exit codes.
 * The layout helpers (timeline, tables, sparklines, verdicts, rerun line) are exported for sims
 * that build their own sections.
 *
 * The command-line parser (`parse-command-line.ts`, effect/cli + Schema) is deliberately not
 * re-exported: importing it loads effect, which a bare run does not need. Tests and tools that
 * want it import it directly.
 */
export {
  BASE_RUN_BYTES,
  COMMON_FLAGS,
  type CheckResult,
  type Constraint,
  DEFAULT_SEED,
  defineSim,
  type EstimateContext,
  type FlagSpecs,
  fromSimulation,
  type JsonValue,
  type MetricDoc,
  type Params,
  RUN_BUDGET,
  RUN_OVERHEAD_SECONDS,
  type RunContext,
  SEED_MAX,
  type SimDefinition,
  type SimHeader,
  type SimOutcome,
  type TextSection,
  type TimeFormat,
  type TimelineEntry,
  type WorkEstimate,
  workEstimate,
  type WorkInput,
} from "./define-sim.ts"
export {
  admits,
  type BooleanFlagOptions,
  type ChoiceFlagOptions,
  type CommonFlagOptions,
  flag,
  type FlagKind,
  flagName,
  type FlagSpec,
  type IntegerFlagOptions,
  kebabCase,
  type NumberBounds,
  type NumberFlagOptions,
  type StringFlagOptions,
} from "./flag.ts"
export {
  type FaultFlagParams,
  type FaultFlags,
  faultFlags,
  type FaultFlagsOptions,
  type FaultPlanContext,
  type RunFaultPlan,
  type ShorthandCrash,
  type ShorthandFault,
  type ShorthandFlag,
  type ShorthandPartition,
  type ShorthandPause,
  type SwarmFaultFlags,
  type SwarmFlagOptions,
} from "./fault-flags.ts"
export {
  faultPlanConstraint,
  faultPlanFlag,
  type FaultPlanFlagOptions,
  faultPlanHelp,
  NO_FAULTS_VALUE,
} from "./fault-plan-flag.ts"
export { formatCount, formatMs, formatNumber, formatPercent } from "../kernel/format.ts"
export { assertJsonSafe, type JsonReport, jsonReport } from "./json-report.ts"
export type { CommandLine, CommonOptions } from "./parse-command-line.ts"
export { Progress, PROGRESS_DELAY_MS, PROGRESS_INTERVAL_MS, type TextOutput } from "./progress.ts"
export { HELD, NOT_HELD, renderChecks } from "./render-checks.ts"
export { renderHelp, renderInputs, renderQuiz, renderReportBody, renderReportHead, titleLine } from "./render-text.ts"
export { shellQuote } from "../check/shell-quote.ts"
export { flagArguments, rerunCommand, rerunLine } from "./rerun-line.ts"
export {
  defaultParams,
  EXIT_CODE,
  exitOnStreamError,
  isMainModule,
  overBudget,
  processIo,
  runMain,
  runSim,
  type SimIo,
} from "./run-sim.ts"
export { sparkline, type SparklineOptions, timeWeightedBuckets } from "./sparkline.ts"
export { renderTable, type TableColumn } from "./table.ts"
export { formatTime, renderTimeline } from "./timeline.ts"
export { TraceFile, type TraceSink } from "./trace-file.ts"
