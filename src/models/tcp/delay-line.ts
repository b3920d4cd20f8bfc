/**
 * A wire with a constant delay: items come out in the order they went in, each at the time it was
 * given. One kernel event is pending at a time (for the item at the head), so a wire holding a
 * thousand segments costs the event queue one entry, not a thousand.
 */
import type { Simulation } from "../../kernel/index.ts"

/** Slack for comparing a wake-up's time with an item's arrival time, ms. */
const EPSILON_MS = 1e-9
/** Delivered entries are dropped from the arrays once this many have piled up at the front. */
const COMPACT_AT = 4096

/** A FIFO of items with arrival times (see the file header). */
export class DelayLine<T> {
  private readonly items: T[] = []
  private readonly times: number[] = []
  private head = 0
  private pending = false
  private readonly wake = (): void => this.onWake()

  constructor(
    private readonly sim: Simulation,
    private readonly deliver: (item: T) => void,
  ) {}

  /**
   * Puts `item` on the wire to arrive at `atMs`.
   * @throws RangeError when `atMs` is before the previous item's arrival (the wire is FIFO)
   */
  push(item: T, atMs: number): void {
    const last = this.times.length > this.head ? this.times[this.times.length - 1]! : -Infinity
    if (atMs < last) throw new RangeError(`a delay line is FIFO: ${atMs} is before ${last}`)
    this.items.push(item)
    this.times.push(atMs)
    if (!this.pending) this.schedule()
  }

  private schedule(): void {
    this.pending = true
    this.sim.timeout(Math.max(0, this.times[this.head]! - this.sim.now)).onProcessed(this.wake)
  }

  private onWake(): void {
    this.pending = false
    while (this.head < this.times.length && this.times[this.head]! - this.sim.now <= EPSILON_MS) {
      const item = this.items[this.head]!
      this.head++
      this.deliver(item)
    }
    if (this.head >= COMPACT_AT && this.head * 2 >= this.times.length) {
      this.items.splice(0, this.head)
      this.times.splice(0, this.head)
      this.head = 0
    }
    if (this.head < this.times.length && !this.pending) this.schedule()
  }
}
