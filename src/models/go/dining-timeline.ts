/**
 * One timeline line per dining-philosophers record (docs/go.md, "Dining philosophers"):
 * exhaustive over {@link DiningEvent}, so a new event type fails to compile until it is decided here.
 */
import type { Traced } from "../../kernel/index.ts"
import type { DiningEvent } from "./dining-events.ts"

/** The line of `record`, starting with the philosopher (`P0 takes fork 0`). */
export function diningTimelineLine(record: Traced<DiningEvent>): string {
  switch (record.type) {
    case "PhilosopherHungry":
      return `P${record.philosopher} is hungry (meal ${record.meal + 1})`
    case "ForkWaited":
      return `P${record.philosopher} waits for fork ${record.fork} (P${record.heldBy} has it)`
    case "ForkTaken":
      return `P${record.philosopher} takes fork ${record.fork}`
    case "ForkPutDown":
      return `P${record.philosopher} puts fork ${record.fork} down`
    case "MealStarted":
      return `P${record.philosopher} eats (meal ${record.meal + 1})`
    case "WaiterWaited":
      return `P${record.philosopher} waits for the waiter`
    case "WaiterGranted":
      return `P${record.philosopher} has the waiter's permission`
    case "WaiterReleased":
      return `P${record.philosopher} gives the permission back`
    case "ForkTimedOut":
      return `P${record.philosopher} gives up waiting for fork ${record.fork}`
    case "BackedOff":
      return `P${record.philosopher} backs off ${record.backoffMs} ms`
    case "DinnerDeadlocked":
      return record.cycle.length === 0
        ? "all goroutines are asleep - deadlock!"
        : `all goroutines are asleep - deadlock! wait-for cycle ${[...record.cycle, record.cycle[0]!].map((p) => `P${p}`).join(" → ")}`
    default: {
      const unknown: never = record
      return unknown
    }
  }
}
