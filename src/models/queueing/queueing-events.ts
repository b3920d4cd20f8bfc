/**
 * The trace events of an M/M/c queue: one record per customer and step, each with the levels just
 * after it, so a timeline or a checker reads the story from the trace alone.
 *
 * Times are in the unit of the rates (seconds in the mm-queue sim). Every record is kept as an
 * object and serialised only when a hash or `--trace` needs it, so nothing here is rationed.
 */

/** A customer walked in and joined the line (or went straight to a free server). */
export interface CustomerArrived {
  readonly type: "CustomerArrived"
  /** Customer number, from 1 in order of arrival. */
  readonly customer: number
  /** Customers waiting (not in service) just after the arrival. */
  readonly waiting: number
  /** Busy servers just after the arrival. */
  readonly busy: number
}

/** A server started serving the customer. */
export interface ServiceStarted {
  readonly type: "ServiceStarted"
  readonly customer: number
  /** Time the customer waited in the line, from arrival to now. */
  readonly wait: number
  /** Customers waiting just after service started. */
  readonly waiting: number
  /** Busy servers just after service started. */
  readonly busy: number
}

/** The customer's service ended and it left. */
export interface CustomerDeparted {
  readonly type: "CustomerDeparted"
  readonly customer: number
  /** Time the customer spent in the system, from arrival to now. */
  readonly timeInSystem: number
  /** Customers waiting just after the departure. */
  readonly waiting: number
  /** Busy servers just after the departure. */
  readonly busy: number
}

/** Every event an M/M/c queue records. */
export type QueueingEvent = CustomerArrived | ServiceStarted | CustomerDeparted

/** The record types of {@link QueueingEvent}, for a trace filter. */
export const QUEUEING_EVENT_TYPES: ReadonlySet<string> = new Set<QueueingEvent["type"]>([
  "CustomerArrived",
  "ServiceStarted",
  "CustomerDeparted",
])
