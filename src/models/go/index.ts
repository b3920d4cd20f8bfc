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
