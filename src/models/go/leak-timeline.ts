/**
 * One timeline line per goroutine-leak record (docs/go-concurrency.md#goroutine-leaks-and-the-heap):
 * exhaustive over {@link LeakEvent}. The line of a worker that finished after its handler gave up
 * depends on the fix, which the record alone does not say.
 */
import { formatNumber, type Traced } from "../../kernel/index.ts"
import type { LeakEvent } from "./leak-events.ts"
import type { LeakFix } from "./leak-scenario.ts"

/** The line of `record` in a run with `fix`; `abandoned` says whether its handler had already returned. */
export function leakTimelineLine(record: Traced<LeakEvent>, fix: LeakFix, abandoned: boolean): string {
  switch (record.type) {
    case "RequestServed":
      return `handler ${record.request} gets its result after ${formatNumber(record.waitedMs, 1)} ms and answers 200`
    case "RequestTimedOut":
      return `handler ${record.request}: ${formatNumber(record.timeoutMs, 0)} ms deadline passed, answers 504 and returns; worker ${record.request} still computing`
    case "WorkerComputed":
      return `worker ${record.request} done after ${formatNumber(record.costMs, 1)} ms${abandoned ? computedLate(fix) : ", hands its result over"}`
    case "WorkerExited":
      if (record.result === "buffered")
        return `worker ${record.request} returns; the channel and the result in it are garbage`
      if (record.result === "dropped")
        return `worker ${record.request} sees ctx.Done() closed, drops its result and returns`
      return `worker ${record.request} returns`
    default: {
      const unknown: never = record
      return unknown
    }
  }
}

function computedLate(fix: LeakFix): string {
  if (fix === "none") return "; ch <- res on the unbuffered channel: nobody will receive, blocked forever"
  if (fix === "buffered") return "; ch <- res goes into the channel's one slot"
  return "; selects on ch <- res and ctx.Done()"
}
