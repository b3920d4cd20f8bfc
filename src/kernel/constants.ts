/**
 * The kernel's shared numeric constants: event priorities, the lifecycle states and flag bits of
 * `Event._flags`, the order-key layout, and the thresholds of the queues' housekeeping.
 *
 * Every kernel module takes module-local copies of the ones it uses, in one line:
 *
 * ```ts
 * import * as constants from "./constants.ts"
 * const { FAILED, STATE } = constants // local copies: see constants.ts
 * ```
 *
 * and never names an imported (or exported) constant inside a function; `test/tidy.test.ts` keeps
 * to the rule. Why: see docs/kernel-performance.md#module-local-constants.
 */

/** Priority of interrupts and process starts: they run before normal events at the same time. */
export const URGENT = 0
/** Priority of every ordinary event. */
export const NORMAL = 1
/**
 * Priority of deadlines: after every normal event at the same time, so an operation that completes
 * at the very instant of its deadline meets it, whatever the order the two were scheduled in.
 */
export const LATE = 2

/**
 * Lifecycle states of an `Event`, kept in the two low bits of `Event._flags` (one field for the
 * state and every flag: see docs/kernel-performance.md#flags-field).
 */
export const PENDING = 0
export const TRIGGERED = 1
export const PROCESSED = 2
/** @internal The lifecycle state's bits in `Event._flags`: `(event._flags & STATE) === PENDING`. */
export const STATE = 3

/** @internal Bits of `Event._flags`: the event failed. */
export const FAILED = 4
/** @internal Bits of `Event._flags`: some waiter received the failure, so it does not stop the run. */
export const DEFUSED = 8
/** @internal Bits of `Event._flags`: a scheduled event was withdrawn; the kernel drops it unprocessed. */
export const CANCELLED = 16
/**
 * @internal Bits of `Event._flags`: a request, put or get withdrawn from the line it waited in
 * (it will never be granted; see WaitQueue).
 */
export const WITHDRAWN = 32
/** @internal Bits of `Event._flags`: a granted resource request whose slot was given back. */
export const RELEASED = 64
/**
 * @internal Bits of `Event._flags`: a paused process (its held wake-ups wait in
 * `Simulation._held`).
 */
export const PAUSED = 128

/**
 * @internal Bits of `Event._flags`: a process that ended successfully with nobody waiting, whose end
 * is not queued: it counts as processed in its turn (see Simulation._settleEnd).
 */
export const LAZY_END = 256

/**
 * How many low bits of a packed order key belong to the sequence number (see `orderKey` in
 * event-queue.ts).
 */
export const SEQUENCE_SPACE = 2 ** 40

/**
 * @internal `orderKey(NORMAL, 0)`: the order key of a NORMAL event entry is this plus its sequence
 * number (wake-up entries: see `wakeUpKey` in agenda.ts).
 */
export const NORMAL_KEY = NORMAL * SEQUENCE_SPACE

/**
 * @internal The queues copy their array of payloads into a fresh one every this many pushes
 * (see docs/kernel-performance.md#young-arrays).
 */
export const YOUNG_EVERY = 1024
/**
 * @internal The first copy comes after only this many pushes (see
 * docs/kernel-performance.md#young-arrays).
 */
export const YOUNG_FIRST = YOUNG_EVERY - 32

/**
 * @internal A WaitQueue (and a store's item list) compacts once this many entries were consumed
 * (small on purpose: see docs/kernel-performance.md#young-arrays).
 */
export const COMPACT_FROM = 32

/**
 * `Symbol.dispose`, which `using` calls at the end of a scope (requests, puts and gets are
 * disposable); Node 20 defines it. Where it is missing, the well-known name that TypeScript's and
 * esbuild's `using` helpers fall back to.
 */
export const DISPOSE: typeof Symbol.dispose = Symbol.dispose ?? (Symbol.for("Symbol.dispose") as typeof Symbol.dispose)
