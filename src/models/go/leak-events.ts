/**
 * The typed trace of the goroutine-leak lesson (docs/go-concurrency.md#goroutine-leaks-and-the-heap):
 * what the handlers and their workers did, request by request.
 */

/** A handler got its worker's result before the deadline and wrote the response. */
export interface RequestServed {
  readonly type: "RequestServed"
  readonly request: number
  /** How long the handler waited for the result, ms. */
  readonly waitedMs: number
}

/** A handler's context deadline passed first: it answered 504 and returned. */
export interface RequestTimedOut {
  readonly type: "RequestTimedOut"
  readonly request: number
  /** The deadline it waited for, ms. */
  readonly timeoutMs: number
}

/** A worker finished computing its result and is about to hand it over. */
export interface WorkerComputed {
  readonly type: "WorkerComputed"
  readonly request: number
  /** How long the work took, ms. */
  readonly costMs: number
}

/**
 * A worker returned: its result was `taken` by the handler, left in the channel's `buffered`
 * slot, or `dropped` because `ctx.Done()` was closed.
 */
export interface WorkerExited {
  readonly type: "WorkerExited"
  readonly request: number
  readonly result: "taken" | "buffered" | "dropped"
}

/** Everything the goroutine-leak lesson records. */
export type LeakEvent = RequestServed | RequestTimedOut | WorkerComputed | WorkerExited
