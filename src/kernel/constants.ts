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
 * and never names an imported (or exported) constant inside a function. Under `tsx` every source
 * file is its own ES module, and V8 (Node 20) reads an imported or exported binding through a cell
 * at run time on every use: optimised code can neither fold it into the instruction nor skip the
 * checks on the loaded value. A module-local `const` it folds. The local copies made the benchmark
 * models 4–6% faster under `tsx` (`mm1`, `mm2`, `pingpong`; a bundle, where everything is one
 * module, was not affected). `test/tidy.test.ts` keeps to the rule.
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
 * Lifecycle states of an `Event`, kept in the two low bits of `Event._flags` (one field
 * for the state and every flag: 8 bytes less per event and per process).
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
 * @internal `orderKey(NORMAL, 0)`: the order key of a NORMAL entry is this plus its sequence
 * number, and that of a NORMAL wake-up entry (the end of a sleep) this plus its sequence number
 * plus 0.5 (see Simulation._scheduleSleep).
 */
export const NORMAL_KEY = NORMAL * SEQUENCE_SPACE

/**
 * @internal The queues copy their array of payloads into a fresh one every this many
 * pushes. A fresh array is young to the garbage collector, and storing a young object (a
 * just-created event or process) into a young array needs no write barrier, while storing it into
 * an old array (one that survived two collections) costs a remembered-set insert. The copy is
 * cheap next to that. The field holding the array is written twice when the queue is built, so
 * the optimising JIT never treats it as a constant (replacing a constant field mid-run discards
 * compiled code).
 */
export const YOUNG_EVERY = 1024
/**
 * @internal The first copy comes after only this many pushes, while the code still runs
 * unoptimised: a path first taken after the JIT has compiled the code around it makes it throw
 * that code away (the model's source process, at its 1,024th spawn, before this).
 */
export const YOUNG_FIRST = YOUNG_EVERY - 32

/**
 * @internal A WaitQueue (and a store's item list) compacts once this many entries were consumed.
 * Small on purpose: a busy queue then compacts within its first few dozen shifts, while the code
 * still runs unoptimised, so the optimising JIT has seen that path and does not have to throw
 * compiled code away the first time it is taken (as it did with a threshold of 1,024, reached
 * mid-run).
 */
export const COMPACT_FROM = 32
