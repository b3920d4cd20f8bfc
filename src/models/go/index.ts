/** Go-style concurrency lessons on the kernel's channels and sync primitives (docs/go-concurrency.md). */
export {
  type PrintedLine,
  type PrinterOptions,
  type PrinterRun,
  type PrinterVerdict,
  PRINTER_VERSIONS,
  type PrinterVersion,
  printerOf,
  printerVerdict,
  runAlternatePrinters,
} from "./alternate-printers.ts"
export type { GoEvent, GoroutineLeaked, ItemPrinted, MainReturned, ProgramDeadlocked } from "./go-events.ts"
export { goTimelineLine } from "./go-timeline.ts"
export { checkPrintsInOrder } from "./go-checks.ts"
export {
  DINING_FIXES,
  type DiningDeadlock,
  type DiningFix,
  type DiningOptions,
  type DiningRun,
  DiningScenario,
  forkOrder,
  runDiningPhilosophers,
  type WaitForLink,
} from "./dining-philosophers.ts"
export type { DiningEvent } from "./dining-events.ts"
export { diningTimelineLine } from "./dining-timeline.ts"
export { checkNoDeadlock, type DeadlockTally } from "./dining-checks.ts"
export { type CountableFix, countDiningSchedules, type ScheduleCount } from "./dining-schedules.ts"
export * from "./concurrent-map.ts"
export * from "./concurrent-map-case.ts"
export * from "./concurrent-map-checks.ts"
export type * from "./concurrent-map-events.ts"
export * from "./concurrent-map-strategies.ts"
export * from "./concurrent-map-timeline.ts"
export * from "./leak-checks.ts"
export type * from "./leak-events.ts"
export * from "./leak-heap.ts"
export * from "./leak-scenario.ts"
export * from "./leak-sites.ts"
export * from "./leak-timeline.ts"
export * from "./pprof-profile.ts"
export * from "./pprof-top.ts"
