/**
 * An I/O device on the kernel: a disk that serves one request at a time, first come first served.
 *
 * Like a single checkout lane: a job that needs the device queues for it (a kernel `Resource`
 * with one slot), holds it for the I/O's length, and leaves. The device remembers who waited and
 * who was served when, so a Gantt chart can show "waiting for the disk" apart from "doing I/O",
 * and the device's utilisation can be reported.
 *
 * Invariants: at most one I/O in service; requests are served in the order they were made; an
 * I/O of length `d` granted at `t` ends at exactly `t + d` on the kernel's clock.
 *
 * Trace records (`sched-events.ts`): `IoRequested` when a job asks, `IoStarted` when service
 * starts, `IoCompleted` when it ends.
 *
 * Left out on purpose: several requests in service at once (process-run's and mlfq.py's I/O model
 * where every I/O proceeds in parallel lives in those models), seek times, and request reordering.
 */
import { type ProcessGenerator, Resource, type Simulation, type TraceOf } from "../../kernel/index.ts"
import type { ScheduleEvent } from "./sched-events.ts"

/** One I/O served by the device. */
export interface IoService {
  /** The job that asked. */
  readonly job: number
  /** When it asked (joined the device queue). */
  readonly requested: number
  /** When service started. */
  readonly start: number
  /** When service ended. */
  readonly end: number
}

/** Options of an {@link IoDevice}. */
export interface IoDeviceOptions {
  /** Name in traces. Default `"disk"`. */
  readonly name?: string
}

/** A FIFO I/O device with one server. */
export class IoDevice {
  /** Name in traces. */
  readonly name: string
  /** Every finished I/O, in the order it finished. */
  readonly served: IoService[] = []
  private readonly slot: Resource
  private readonly trace: TraceOf<ScheduleEvent>

  constructor(
    private readonly sim: Simulation,
    options: IoDeviceOptions = {},
  ) {
    this.name = options.name ?? "disk"
    this.trace = sim.trace
    this.slot = new Resource(sim, { capacity: 1, name: this.name })
  }

  /**
   * Performs one I/O of `length` for `job`: queue for the device, hold it, release it.
   * Use from a job's process: `yield* disk.perform(job, 3)`.
   * @param length - service time, finite and > 0
   */
  *perform(job: number, length: number): ProcessGenerator<void> {
    if (!(length > 0 && length < Infinity)) throw new RangeError(`I/O length must be finite and > 0, got ${length}`)
    const requested = this.sim.now
    this.trace.record({ type: "IoRequested", job, device: this.name, length })
    const request = this.slot.request()
    yield* request
    const start = this.sim.now
    this.trace.record({ type: "IoStarted", job, device: this.name, length })
    yield* this.sim.sleep(length)
    this.slot.release(request)
    this.trace.record({ type: "IoCompleted", job, device: this.name })
    this.served.push({ job, requested, start, end: this.sim.now })
  }

  /** Time the device was busy, summed over every finished I/O. */
  get busyTime(): number {
    let total = 0
    for (const io of this.served) total += io.end - io.start
    return total
  }
}
