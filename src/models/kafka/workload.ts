/**
 * The workload driver: the application on the producer's node, a process that hands the producer
 * `messages` records at `ratePerSecond`, one simulated millisecond at a time (the records due in a
 * millisecond are sent together at its start), keyed by `keyOf`.
 */
import type { ProcessGenerator, Simulation } from "../../kernel/index.ts"
import type { Producer } from "./producer.ts"

/** The workload: `messages` records at `ratePerSecond`, keyed by `keyOf`. */
export interface KafkaWorkload {
  /** Records to produce. Required. */
  readonly messages: number
  /** Records per second of simulated time. Required, > 0. */
  readonly ratePerSecond: number
  /** Key of record i; omitted: no keys (sticky partitioning). */
  readonly keyOf?: (index: number) => string | null
  /** Simulated time to run after the last record and the plan's healing, in ms. Default 20000. */
  readonly settleMs?: number
}

/**
 * Checks a workload.
 * @throws RangeError naming the field and what is allowed
 */
export function checkWorkload(workload: KafkaWorkload): void {
  const { messages, ratePerSecond } = workload
  if (!Number.isInteger(messages) || messages < 0) throw new RangeError("messages must be an integer >= 0")
  if (!(ratePerSecond > 0 && ratePerSecond < Infinity)) throw new RangeError("ratePerSecond must be finite and > 0")
}

/** When the driver hands over its last record, in ms from its start. */
export function lastSendMs(workload: KafkaWorkload): number {
  return Math.ceil(workload.messages / (workload.ratePerSecond / 1000))
}

/** What the workload driver drives. */
export interface WorkloadDriverOptions {
  /** The producer the records are handed to. Required. */
  readonly producer: Producer
  /** How many records, how fast, with which keys. Required. */
  readonly workload: KafkaWorkload
}

/** The driver process: spawn it on the producer's node. */
export function* workloadDriver(sim: Simulation, options: WorkloadDriverOptions): ProcessGenerator<void> {
  const { producer, workload } = options
  const keyOf = workload.keyOf ?? (() => null)
  const perMs = workload.ratePerSecond / 1000
  let sent = 0
  let credit = 0
  for (;;) {
    credit += perMs
    while (credit >= 1 && sent < workload.messages) {
      producer.send(keyOf(sent))
      sent++
      credit -= 1
    }
    if (sent >= workload.messages) return
    yield* sim.timeout(1)
  }
}
