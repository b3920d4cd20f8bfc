/**
 * One timeline line per Go-lesson record (docs/go-concurrency.md): exhaustive over {@link GoEvent}.
 */
import type { Traced } from "../../kernel/index.ts"
import type { GoEvent } from "./go-events.ts"

/** The line of `record`. */
export function goTimelineLine(record: Traced<GoEvent>): string {
  switch (record.type) {
    case "ItemPrinted":
      return `${record.goroutine} prints item ${record.item}`
    case "MainReturned":
      return `main returns after ${record.printed} item(s): the program is over`
    case "GoroutineLeaked":
      return `${record.goroutine} is left blocked forever [${record.reason}]`
    case "ProgramDeadlocked":
      return record.message.split("\n")[0]!
    default: {
      const unknown: never = record
      return unknown
    }
  }
}
