/**
 * The agenda: every pending entry of a simulation, handed out in the order of the determinism
 * contract, `(time, priority, sequence)`, smallest first.
 *
 * An entry is either an *event entry* (an event whose waiters are resumed when it is processed) or
 * a *wake-up entry* (a process that starts or ends a sleep, queued itself with no event object: the
 * cheapest path for the commonest waits). Both kinds share one order; {@link isWakeUp} tells them
 * apart (see {@link wakeUpKey}).
 *
 * Internally the agenda keeps three queues: a ring of URGENT entries at the current time, a ring of
 * NORMAL entries at the current time, and a heap of everything else. Each ring is in contract order
 * by construction (its entries are pushed at the current time with increasing sequence numbers), so
 * the front of the agenda is the smallest of the three fronts. That merge is written once, in
 * {@link Agenda.frontRing}; `Simulation.run`, `Simulation.step` and the explorer's choice points all
 * take entries through {@link Agenda.shift}.
 */
import * as constants from "./constants.ts"
import { EventQueue, FifoQueue } from "./event-queue.ts"

const { NORMAL, NORMAL_KEY, SEQUENCE_SPACE, URGENT } = constants // local copies: see constants.ts

/**
 * The order key of a wake-up entry with this priority and sequence number. A key is
 * `priority * 2^40 + sequence` (see `orderKey`), an integer for an event entry; a wake-up entry
 * adds one half. That leaves the order unchanged (sequence numbers are unique integers), keeps the
 * queues free of a third array for the kind, and lets {@link isWakeUp} read the kind off the key.
 * These two functions are the only code that knows the encoding.
 */
export function wakeUpKey(priority: number, sequence: number): number {
  return priority * SEQUENCE_SPACE + sequence + 0.5
}

/** True if `key` is the order key of a wake-up entry (see {@link wakeUpKey}). */
export function isWakeUp(key: number): boolean {
  return key !== Math.floor(key)
}

/** The pending entries of a simulation, in contract order. */
export class Agenda<T> {
  /** The next sequence number: every schedule takes one. */
  declare sequence: number
  /** Time of the entry the last {@link shift} removed. */
  declare time: number
  /** Order key of the entry the last {@link shift} removed. */
  declare key: number
  private readonly heap: EventQueue<T>
  private readonly urgent: FifoQueue<T>
  private readonly normal: FifoQueue<T>

  constructor() {
    this.sequence = 0
    this.time = 0
    this.key = 0
    this.heap = new EventQueue<T>()
    this.urgent = new FifoQueue<T>()
    this.normal = new FifoQueue<T>()
  }

  /** Number of entries, stale ones included. */
  get size(): number {
    return this.heap.size + this.urgent.size + this.normal.size
  }

  /**
   * Schedules an event entry `delay` (finite, >= 0) after `now` with `priority`, after every
   * entry already scheduled for that time and priority; returns its sequence number.
   */
  push(now: number, delay: number, priority: number, item: T): number {
    const sequence = this.sequence++
    // URGENT is only ever scheduled with zero delay, so the heap never holds an URGENT entry for the
    // current time; a delayed one would still be merged in order by front().
    if (delay === 0 && priority === NORMAL) this.normal.push(NORMAL_KEY + sequence, item)
    else if (delay === 0 && priority === URGENT) this.urgent.push(sequence, item)
    else this.heap.push(now + delay, priority * SEQUENCE_SPACE + sequence, item)
    return sequence
  }

  /** `push(now, 0, NORMAL, item)`, the commonest schedule, kept tiny so that it inlines. */
  pushNow(item: T): void {
    this.normal.push(NORMAL_KEY + this.sequence++, item)
  }

  /** Schedules a wake-up entry (see {@link wakeUpKey}); returns its sequence number. */
  pushWakeUp(now: number, delay: number, priority: number, item: T): number {
    const sequence = this.sequence++
    const key = wakeUpKey(priority, sequence)
    if (delay === 0 && priority === NORMAL) this.normal.push(key, item)
    else if (delay === 0 && priority === URGENT) this.urgent.push(key, item)
    else this.heap.push(now + delay, key, item)
    return sequence
  }

  /** Schedules an entry at `time` under an order key taken earlier (a deferred process end). */
  pushKeyed(time: number, key: number, item: T): void {
    this.heap.push(time, key, item)
  }

  /**
   * The ring that holds the front entry when the clock reads `now`, or `null` when the front entry
   * is the heap's (or the agenda is empty): the contract's merge of the two rings (entries at
   * `now`, URGENT before NORMAL) and the heap, which may hold entries at `now` too (e.g. a timeout
   * scheduled earlier for this instant). Small, so that it inlines into {@link shift} (see
   * docs/kernel-performance.md#agenda-shift).
   */
  private frontRing(now: number): FifoQueue<T> | null {
    let ring = this.urgent
    if (ring._count === 0) {
      ring = this.normal
      if (ring._count === 0) return null
    }
    const heap = this.heap
    if (heap._count > 0 && heap._times[0] === now && heap.peekKey() < ring.peekSeq()) return null
    return ring
  }

  /** Time of the front entry when the clock reads `now`, or `Infinity` if the agenda is empty. */
  frontTime(now: number): number {
    if (this.urgent._count > 0 || this.normal._count > 0) return now
    return this.heap.peekTime()
  }

  /** Order key of the front entry when the clock reads `now`, or `Infinity` if empty. */
  frontKey(now: number): number {
    const ring = this.frontRing(now)
    return ring !== null ? ring.peekSeq() : this.heap.peekKey()
  }

  /** The front entry when the clock reads `now`, without removing it; `undefined` if empty. */
  frontItem(now: number): T | undefined {
    const ring = this.frontRing(now)
    return ring !== null ? ring.peekItem() : this.heap.peekItem()
  }

  /**
   * Removes and returns the front entry when the clock reads `now` (its time and key are then
   * {@link time} and {@link key}); `undefined` if the agenda is empty or the front entry is at or
   * after `until` (then it stays). `now` must be before `until`.
   */
  shift(now: number, until = Infinity): T | undefined {
    const ring = this.frontRing(now)
    if (ring !== null) {
      this.time = now
      const item = ring.shift()
      this.key = ring.lastSeq
      return item
    }
    const heap = this.heap
    if (heap._count === 0 || heap._times[0]! >= until) return undefined
    this.time = heap._times[0]!
    const item = heap.pop()
    this.key = heap.lastKey
    return item
  }
}
