/**
 * Go's `context` on the kernel: a tree of contexts, each with a done channel that is closed when
 * it is cancelled (by its cancel function, by its parent's cancellation, or at its deadline), and
 * `err()` saying why: {@link ContextCanceled} or {@link ContextDeadlineExceeded}.
 *
 * `select` on `ctx.done()` next to the work's own channel is how a goroutine honours it, as in Go.
 * The deadline is the kernel's `withDeadline` race between the context's cancellation and a timer:
 * cancelling first withdraws the timer, so a cancelled context leaves nothing on the agenda.
 * `background(sim)` is never cancelled: its done channel is nil. Semantics: docs/go-concurrency.md.
 */
import { Channel } from "./channel.ts"
import { Event } from "./event.ts"
import type { Simulation } from "./simulation.ts"

/** `context.Canceled`: the context's cancel function was called (or its parent's). */
export class ContextCanceled extends Error {
  constructor() {
    super("context canceled")
    this.name = "ContextCanceled"
  }
}

/** `context.DeadlineExceeded`: the context's deadline passed. */
export class ContextDeadlineExceeded extends Error {
  constructor() {
    super("context deadline exceeded")
    this.name = "ContextDeadlineExceeded"
  }
}

/** A cancel function (`context.CancelFunc`): cancels the context; later calls do nothing. */
export type CancelFunc = () => void

/** A Go context: see the module comment. */
export class Context {
  private error: Error | null = null
  private readonly doneChannel: Channel<void>
  private readonly children = new Set<Context>()
  /** Fires when the context is cancelled (for the deadline race). */
  private readonly cancelled: Event<void>

  /** @internal Use {@link background}, {@link withCancel}, {@link withDeadline}, {@link withTimeout}. */
  constructor(
    /** The simulation it lives in. */
    readonly sim: Simulation,
    private readonly parent: Context | null,
    /** The simulated time of its deadline, if it (or an ancestor) has one. */
    readonly deadline: number | undefined,
  ) {
    this.doneChannel =
      parent === null
        ? Channel.nil<void>(sim, "context.Background().Done()")
        : new Channel<void>(sim, { name: "ctx.Done()" })
    this.cancelled = new Event<void>(sim)
  }

  /** `ctx.Done()`: closed when the context is cancelled (nil for the background context). */
  done(): Channel<void> {
    return this.doneChannel
  }

  /** `ctx.Err()`: null until cancelled, then why. */
  err(): Error | null {
    return this.error
  }

  /** @internal Cancels this context and its descendants with `error` (the first cancellation wins). */
  _cancel(error: Error): void {
    if (this.error !== null) return
    this.error = error
    this.doneChannel.close()
    this.cancelled.succeed(undefined)
    for (const child of this.children) child._cancel(error)
    this.children.clear()
    this.parent?.children.delete(this)
  }

  /** @internal A child context: cancelled at once if this one already is. */
  _child(deadline: number | undefined): Context {
    const child = new Context(this.sim, this, deadline)
    if (this.error !== null) child._cancel(this.error)
    else if (this.parent !== null) this.children.add(child) // the background context is never cancelled
    return child
  }

  /** @internal Starts the race of the cancellation against the deadline (`delay` from now). */
  _armDeadline(delay: number): void {
    if (this.error !== null) return
    if (delay <= 0) {
      this._cancel(new ContextDeadlineExceeded())
      return
    }
    this.sim.withDeadline(this.cancelled, delay).onProcessed((outcome) => {
      if (outcome.value.timedOut) this._cancel(new ContextDeadlineExceeded())
    })
  }
}

/** `context.Background()`: never cancelled, no deadline. */
export function background(sim: Simulation): Context {
  return new Context(sim, null, undefined)
}

/** `context.WithCancel(parent)`: a child and the function that cancels it. */
export function withCancel(parent: Context): [Context, CancelFunc] {
  const ctx = parent._child(parent.deadline)
  return [ctx, () => ctx._cancel(new ContextCanceled())]
}

/**
 * `context.WithDeadline(parent, at)`: a child cancelled with {@link ContextDeadlineExceeded} at
 * simulated time `at` (or at the parent's deadline, if earlier), unless cancelled before.
 */
export function withDeadline(parent: Context, at: number): [Context, CancelFunc] {
  const deadline = parent.deadline === undefined ? at : Math.min(parent.deadline, at)
  const ctx = parent._child(deadline)
  // A deadline no earlier than the parent's comes with the parent's cancellation.
  if (parent.deadline === undefined || at < parent.deadline) ctx._armDeadline(deadline - parent.sim.now)
  return [ctx, () => ctx._cancel(new ContextCanceled())]
}

/** `context.WithTimeout(parent, delay)`: `withDeadline(parent, now + delay)`. */
export function withTimeout(parent: Context, delay: number): [Context, CancelFunc] {
  return withDeadline(parent, parent.sim.now + delay)
}
