/**
 * The bottleneck: a router's output queue in front of a slower link, shared by every flow's
 * forward traffic (the ACKs come back on a separate, uncongested path).
 *
 * Like a single toll booth: a packet waits for the packets ahead of it, then takes its
 * serialisation time (`bytes · 8 / bandwidth`) to cross; the queue holds at most `queuePackets`
 * waiting packets (the one on the wire not counted) and drops what arrives when it is full
 * (drop-tail). With `lossProbability`, a packet is lost at random before it reaches the queue
 * (drawn from the stream `tcp/loss`, one draw per packet, none when the probability is 0).
 *
 * The queue is computed, not simulated event by event: since it is FIFO with one server, each
 * packet's departure is known when it arrives (`max(arrival, previous departure) + serialisation`),
 * so the link keeps only the departure times of the packets still in it.
 *
 * Invariant: at most `queuePackets + 1` packets are in the link at any time.
 */
import type { RandomStream, Simulation } from "../../kernel/index.ts"

/** Options of a {@link BottleneckLink}; every field has a default. */
export interface BottleneckOptions {
  /** Link rate, Mbit/s (10^6 bits per second). Default 10. */
  readonly bandwidthMbps?: number
  /** Packets the queue holds, waiting (drop-tail). Default 20. */
  readonly queuePackets?: number
  /** Probability that a packet is lost before the queue. Default 0. */
  readonly lossProbability?: number
  /** Busy time counts towards utilisation only up to this time, ms. Default Infinity. */
  readonly measureUntilMs?: number
}

/** What {@link BottleneckLink.offer} returns for a packet lost at random. */
export const LOST_AT_RANDOM = -1
/** What {@link BottleneckLink.offer} returns for a packet dropped by the full queue. */
export const DROPPED_QUEUE_FULL = -2

/** The bottleneck queue and link (see the file header). */
export class BottleneckLink {
  readonly bandwidthMbps: number
  readonly queuePackets: number
  readonly lossProbability: number
  /** Packets accepted, dropped because the queue was full, lost at random. */
  accepted = 0
  droppedFull = 0
  lostAtRandom = 0
  /** Sum and largest of the accepted packets' queueing delays, ms. */
  queueDelaySumMs = 0
  queueDelayMaxMs = 0
  /** Time the link spent transmitting before `measureUntilMs`, ms. */
  busyMs = 0
  /** Packets that were waiting when the last packet was offered (the one on the wire not counted). */
  lastWaiting = 0
  /** The last accepted packet's queueing delay, ms. */
  lastQueueDelayMs = 0
  /** Departure times of the packets in the link (a ring), oldest first. */
  private readonly departures: Float64Array
  private first = 0
  private count = 0
  private readonly msPerByte: number
  private readonly measureUntilMs: number
  private readonly random: RandomStream

  constructor(
    private readonly sim: Simulation,
    options: BottleneckOptions = {},
  ) {
    this.bandwidthMbps = options.bandwidthMbps ?? 10
    this.queuePackets = options.queuePackets ?? 20
    this.lossProbability = options.lossProbability ?? 0
    this.measureUntilMs = options.measureUntilMs ?? Infinity
    if (!(this.bandwidthMbps > 0)) throw new RangeError(`bandwidthMbps must be > 0, got ${this.bandwidthMbps}`)
    if (!(Number.isInteger(this.queuePackets) && this.queuePackets >= 0))
      throw new RangeError(`queuePackets must be an integer >= 0, got ${this.queuePackets}`)
    if (!(this.lossProbability >= 0 && this.lossProbability < 1))
      throw new RangeError(`lossProbability must be in [0, 1), got ${this.lossProbability}`)
    this.departures = new Float64Array(this.queuePackets + 1)
    this.msPerByte = 8 / (this.bandwidthMbps * 1000)
    this.random = sim.random("tcp/loss")
  }

  /** Packets waiting now (the one on the wire not counted). */
  get waiting(): number {
    this.leave(this.sim.now)
    return Math.max(0, this.count - 1)
  }

  /**
   * Offers a packet of `wireBytes` bytes now. Returns the time its last bit leaves the link (ms),
   * or {@link LOST_AT_RANDOM} or {@link DROPPED_QUEUE_FULL}; `lastWaiting` and `lastQueueDelayMs`
   * tell the rest (numbers, not a result object: this runs once per packet).
   */
  offer(wireBytes: number): number {
    const now = this.sim.now
    this.leave(now)
    const waiting = Math.max(0, this.count - 1)
    this.lastWaiting = waiting
    if (this.lossProbability > 0 && this.random.bernoulli(this.lossProbability)) {
      this.lostAtRandom++
      return LOST_AT_RANDOM
    }
    if (this.count > 0 && waiting >= this.queuePackets) {
      this.droppedFull++
      return DROPPED_QUEUE_FULL
    }
    const size = this.departures.length
    const startMs = this.count > 0 ? Math.max(now, this.departures[(this.first + this.count - 1) % size]!) : now
    const departureMs = startMs + wireBytes * this.msPerByte
    this.departures[(this.first + this.count) % size] = departureMs
    this.count++
    this.accepted++
    const queueDelayMs = startMs - now
    this.lastQueueDelayMs = queueDelayMs
    this.queueDelaySumMs += queueDelayMs
    if (queueDelayMs > this.queueDelayMaxMs) this.queueDelayMaxMs = queueDelayMs
    this.busyMs += Math.max(0, Math.min(departureMs, this.measureUntilMs) - startMs)
    return departureMs
  }

  /** Forgets the packets that have left by `nowMs`. */
  private leave(nowMs: number): void {
    const size = this.departures.length
    while (this.count > 0 && this.departures[this.first]! <= nowMs) {
      this.first = (this.first + 1) % size
      this.count--
    }
  }
}
