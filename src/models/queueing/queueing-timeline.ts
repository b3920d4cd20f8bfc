/**
 * The M/M/c queue's story in words, one line per trace record: who arrived to how long a line,
 * who started service after how long a wait, who left after how long in the bank.
 *
 * The switch covers every {@link QueueingEvent}, so a new event type does not compile until its
 * line is decided here. The model has no network, so there are no fault records to tell.
 */
import { formatNumber, type Traced, type TraceRecord } from "../../kernel/index.ts"
import { QUEUEING_EVENT_TYPES, type QueueingEvent } from "./queueing-events.ts"

/** True for a record of the M/M/c queue (every record of its runs): the filter of a `TraceSample`. */
export function isQueueingRecord(record: Traced | TraceRecord): record is Traced<QueueingEvent> {
  return QUEUEING_EVENT_TYPES.has(record.type)
}

/**
 * The timeline line of one record: `customer 2 arrived: 1 waiting, 1/1 servers busy`.
 * @param servers - the number of servers c, shown next to the busy count
 */
export function describeQueueingRecord(record: Traced<QueueingEvent>, servers: number): string | undefined {
  const who = `customer ${record.customer}`
  switch (record.type) {
    case "CustomerArrived":
      return `${who} arrived: ${record.waiting} waiting, ${record.busy}/${servers} servers busy`
    case "ServiceStarted":
      return `${who} started service after waiting ${formatNumber(record.wait, 3)}s`
    case "CustomerDeparted":
      return `${who} left after ${formatNumber(record.timeInSystem, 3)}s in the system`
    default: {
      const unhandled: never = record
      throw new Error(`no timeline line for ${JSON.stringify(unhandled)}`)
    }
  }
}
