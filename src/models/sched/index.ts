/**
 * CPU scheduling on the kernel: a CPU with a dispatcher for the classic policies (FIFO, SJF, STCF,
 * RR, priority with aging, multilevel queue), a FIFO disk, jobs as processes and their metrics;
 * OSTEP's MLFQ and process-run machines tick for tick; the input formats, OSTEP-compatible random
 * problems, and terminal Gantt charts.
 */
export {
  type CpuJobStats,
  CpuScheduler,
  type CpuSchedulerOptions,
  type CpuSlice,
  SCHEDULING_POLICIES,
  type SchedulingPolicy,
  type SliceOutcome,
} from "./cpu-scheduler.ts"
export {
  axisTime,
  type Chart,
  type ChartOptions,
  type ChartRow,
  type ChartSegment,
  jobGlyph,
  mlfqChart,
  renderChart,
  SCHEDULE_GLYPHS,
  SCHEDULE_LEGEND,
  scheduleChart,
} from "./gantt-chart.ts"
export { IoDevice, type IoDeviceOptions, type IoService } from "./io-device.ts"
export {
  type Instruction,
  MAX_INSTRUCTIONS,
  type MlfqJobSpec,
  type Parsed,
  parseBursts,
  parseMlfqJobs,
  parsePerJob,
  type PerJobOptions,
  parseProcessList,
  parsePrograms,
  parseQueueList,
  type ProcessDescription,
} from "./job-list.ts"
export {
  Mlfq,
  type MlfqJobResult,
  mlfqLevels,
  type MlfqOptions,
  type MlfqResult,
  type MlfqTickRecord,
  type MlfqTraceLine,
  runMlfq,
} from "./mlfq.ts"
export { pythonFixed } from "./ostep-format.ts"
export { randomMlfqJobs, randomPrograms, randomSchedulerBursts } from "./ostep-random.ts"
export {
  type IoDoneBehaviour,
  ProcessRun,
  type ProcessRunOptions,
  type ProcessRunResult,
  type ProcessRunTick,
  type ProcessState,
  runProcesses,
  type SwitchBehaviour,
} from "./process-run.ts"
export {
  checkBoundedWait,
  checkPriorityRisesOnlyByBoost,
  checkRrResponseBound,
  checkWaitsAddUp,
  checkWorkConserving,
  type IdleWhileReady,
  idleWhileReady,
  mlfqChecks,
  mlfqWaitBound,
  processRunChecks,
  scheduleChecks,
  tickRanges,
  waitAccountingGap,
} from "./schedule-checks.ts"
export {
  type JobResult,
  type JobSpec,
  runSchedule,
  type ScheduleOptions,
  type ScheduleResult,
  ScheduleRun,
} from "./schedule-run.ts"
export type * from "./sched-events.ts"
export {
  describeBursts,
  describeMlfqRecord,
  formatMlfqTraceLine,
  isMlfqRecord,
  isProcessRunRecord,
  isScheduleRecord,
  levelName,
  type MlfqLine,
  type MlfqSummaryOptions,
  mlfqSummaryTimeline,
  processRunTimeline,
  ScheduleTimelineSample,
  scheduleTimeline,
  startsScheduleLine,
  type TimelineLine,
} from "./sched-timeline.ts"
export { MlfqScenario, type MlfqScenarioOptions, type MlfqScenarioResult, mlfqSummary } from "./mlfq-scenario.ts"
export {
  ProcessRunScenario,
  type ProcessRunScenarioOptions,
  type ProcessRunScenarioResult,
  processRunSummary,
} from "./process-run-scenario.ts"
export {
  ScheduleScenario,
  type ScheduleScenarioOptions,
  type ScheduleScenarioResult,
  scheduleSummary,
} from "./schedule-scenario.ts"
export {
  comparedPolicies,
  comparedRuns,
  comparisonSection,
  CPU_SCHED_METRICS,
  CPU_SCHED_TIME_DECIMALS,
  CPU_SCHED_TIMELINE_MAX,
  type CpuSchedLessonParams,
  cpuSchedLesson,
  cpuSchedQuiz,
  cpuSchedTimeline,
  describeJobs,
  ganttSection,
  type Metric,
  ostepSection,
  rankWords,
  statsSection,
} from "./cpu-sched-lesson.ts"
export {
  describeMlfqJob,
  isDemotion,
  MLFQ_METRICS,
  MLFQ_TIMELINE_MAX,
  mlfqChartSection,
  type MlfqLessonParams,
  mlfqLesson,
  mlfqOstepSection,
  mlfqQuiz,
  mlfqStatsSection,
  mlfqSummaryTitle,
  mlfqTickTraceSection,
  mlfqTimelineEntries,
} from "./mlfq-lesson.ts"
