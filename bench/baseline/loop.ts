/**
 * The ceiling: a minimal hand-written event loop with generator processes, the fastest honest way
 * to run the benchmark models in JavaScript on this machine. The engine's speed is reported as a
 * ratio to this loop.
 *
 * A process is a generator that yields tiny operations: a plain number `d` means "sleep d"; an
 * {@link Operation} object (a resource acquire, a store put or get) is performed by the object
 * itself. Future wake-ups sit in a binary heap keyed by `(time, sequence)` in parallel number
 * arrays; wake-ups at the current time sit in a ring buffer. As in SimPy and the engine, every
 * operation resumes its process through the scheduler (a grant, a put or a get that completes at
 * once queues the process in the ring at the current time), so `events` counts the same passes.
 *
 * Invariant: wake-ups run in `(time, sequence)` order. Heap entries due now were scheduled before
 * the clock reached now, so they run before ring entries.
 *
 * Left out on purpose (this is the point of a ceiling): event objects, waiter lists, failures,
 * interrupts, priorities, cancellation, type checks on yielded values. Process starts are queued in
 * the ring (the engine gives them urgent priority; no benchmark model can tell the difference).
 */

/** A process of the baseline loop. */
export type Proc = Generator<Op, void, any>

/** What a process yields: a delay to sleep, or an operation to perform. */
export type Op = number | Operation

/** A kernel operation other than sleep, performed when a process yields it. */
export interface Operation {
  /** Performs the operation for `proc`; must eventually {@link Loop.ready} it. */
  perform(loop: Loop, proc: Proc): void
}

/** A first-in first-out ring of `(a, b)` pairs. */
export class Ring<A, B = undefined> {
  private as: (A | undefined)[] = new Array(1024)
  private bs: (B | undefined)[] = new Array(1024)
  private head = 0
  /** Number of entries. */
  size = 0

  /** Appends a pair. */
  push(a: A, b: B): void {
    if (this.size === this.as.length) this.grow()
    const tail = (this.head + this.size) & (this.as.length - 1)
    this.as[tail] = a
    this.bs[tail] = b
    this.size++
  }

  /** The first pair's second member (read it before {@link Ring.shift}). */
  peekB(): B {
    return this.bs[this.head] as B
  }

  /** Removes the first pair and returns its first member. */
  shift(): A {
    const head = this.head
    const a = this.as[head] as A
    this.as[head] = undefined
    this.bs[head] = undefined
    this.head = (head + 1) & (this.as.length - 1)
    this.size--
    return a
  }

  private grow(): void {
    const length = this.as.length
    const as: (A | undefined)[] = new Array(length * 2)
    const bs: (B | undefined)[] = new Array(length * 2)
    for (let i = 0; i < this.size; i++) {
      as[i] = this.as[(this.head + i) & (length - 1)]
      bs[i] = this.bs[(this.head + i) & (length - 1)]
    }
    this.as = as
    this.bs = bs
    this.head = 0
  }
}

/** The loop: a clock, a heap of future wake-ups and a ring of wake-ups due now. */
export class Loop {
  /** Current simulated time. */
  now = 0
  private stopRequested = false
  private readonly times: number[] = []
  private readonly seqs: number[] = []
  private readonly procs: Proc[] = []
  private heapSize = 0
  private sequence = 0
  private readonly due = new Ring<Proc, unknown>()

  /** Starts `proc` at the current time, after the wake-ups already due now. */
  spawn(proc: Proc): void {
    this.due.push(proc, undefined)
  }

  /** Resumes `proc` with `value` at the current time, after the wake-ups already due now. */
  ready(proc: Proc, value?: unknown): void {
    this.due.push(proc, value)
  }

  /** Makes {@link Loop.run} return after the current step. */
  stop(): void {
    this.stopRequested = true
  }

  /** Runs until nothing is left to do or a process called {@link Loop.stop}. */
  run(): void {
    const due = this.due
    while (!this.stopRequested) {
      let proc: Proc
      let value: unknown = undefined
      if (due.size > 0 && !(this.heapSize > 0 && this.times[0] === this.now)) {
        value = due.peekB()
        proc = due.shift()
      } else if (this.heapSize > 0) {
        this.now = this.times[0]!
        proc = this.pop()
      } else {
        return
      }
      const step = proc.next(value)
      if (step.done === true) continue
      const op = step.value
      if (typeof op === "number") {
        const time = this.now + op
        if (time === this.now) due.push(proc, undefined)
        else this.push(time, proc)
      } else {
        op.perform(this, proc)
      }
    }
  }

  private push(time: number, proc: Proc): void {
    const times = this.times
    const seqs = this.seqs
    const procs = this.procs
    const seq = this.sequence++
    let i = this.heapSize++
    while (i > 0) {
      const parent = (i - 1) >> 1
      const pt = times[parent]!
      if (pt < time || (pt === time && seqs[parent]! < seq)) break
      times[i] = pt
      seqs[i] = seqs[parent]!
      procs[i] = procs[parent]!
      i = parent
    }
    times[i] = time
    seqs[i] = seq
    procs[i] = proc
  }

  private pop(): Proc {
    const times = this.times
    const seqs = this.seqs
    const procs = this.procs
    const top = procs[0]!
    const n = --this.heapSize
    const lastTime = times[n]!
    const lastSeq = seqs[n]!
    const lastProc = procs[n]!
    let i = 0
    for (;;) {
      let child = 2 * i + 1
      if (child >= n) break
      const right = child + 1
      if (
        right < n &&
        (times[right]! < times[child]! || (times[right] === times[child] && seqs[right]! < seqs[child]!))
      ) {
        child = right
      }
      const ct = times[child]!
      if (lastTime < ct || (lastTime === ct && lastSeq < seqs[child]!)) break
      times[i] = ct
      seqs[i] = seqs[child]!
      procs[i] = procs[child]!
      i = child
    }
    times[i] = lastTime
    seqs[i] = lastSeq
    procs[i] = lastProc
    return top
  }
}

/** A resource with `capacity` slots, granted first come, first served: `yield res` acquires. */
export class BaselineResource implements Operation {
  private busy = 0
  private readonly waiting = new Ring<Proc>()

  constructor(
    private readonly loop: Loop,
    private readonly capacity: number,
  ) {}

  /** Acquires a slot for `proc`, or queues it. */
  perform(loop: Loop, proc: Proc): void {
    if (this.busy < this.capacity) {
      this.busy++
      loop.ready(proc)
    } else {
      this.waiting.push(proc, undefined)
    }
  }

  /** Gives a slot back: the first waiting process gets it, or the slot becomes free. */
  release(): void {
    if (this.waiting.size > 0) this.loop.ready(this.waiting.shift())
    else this.busy--
  }
}

/** A FIFO store of `capacity` items: `yield store.put(item)`, `const item = yield store.get()`. */
export class BaselineStore<T> {
  private readonly items = new Ring<T>()
  private readonly putters = new Ring<Proc, T>()
  private readonly getters = new Ring<Proc>()
  private pendingItem: T | undefined = undefined
  private readonly putOperation: Operation
  private readonly getOperation: Operation

  constructor(private readonly capacity: number) {
    this.putOperation = { perform: (loop, proc) => this.performPut(loop, proc, this.pendingItem as T) }
    this.getOperation = { perform: (loop, proc) => this.performGet(loop, proc) }
  }

  /** The operation that puts `item` (yield it at once). */
  put(item: T): Operation {
    this.pendingItem = item
    return this.putOperation
  }

  /** The operation that takes the oldest item; the process resumes with it. */
  get(): Operation {
    return this.getOperation
  }

  private performPut(loop: Loop, proc: Proc, item: T): void {
    if (this.getters.size > 0) {
      loop.ready(this.getters.shift(), item)
      loop.ready(proc)
    } else if (this.items.size < this.capacity) {
      this.items.push(item, undefined)
      loop.ready(proc)
    } else {
      this.putters.push(proc, item)
    }
  }

  private performGet(loop: Loop, proc: Proc): void {
    if (this.items.size === 0) {
      this.getters.push(proc, undefined)
      return
    }
    loop.ready(proc, this.items.shift())
    if (this.putters.size > 0) {
      const item = this.putters.peekB()
      const putter = this.putters.shift()
      this.items.push(item, undefined)
      loop.ready(putter)
    }
  }
}
