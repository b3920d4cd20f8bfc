/**
 * The dining philosophers' schedules counted without the kernel: a plain state machine of the
 * definition in docs/go.md ("Dining philosophers"), memoised on the state. It is what the sim uses
 * to refuse an exploration that is too large before running it, and what the tests compare the
 * kernel's explorer against (an independent enumeration of the same schedules).
 *
 * The definition, for the `none`, `ordering` and `arbiter` fixes explored (every cost 0 ms, so
 * every step happens at t = 0): each philosopher goroutine has at most one pending step at a
 * time: its start, the end of its reach (the 0 ms wait between its two locks), or its wake-up
 * when a mutex it blocked on is handed to it. A schedule is a sequence of choices of which pending
 * step runs next, taken whenever two or more are pending; it ends when none is. A step runs the
 * goroutine until its next wait:
 *
 * - start, or a meal just finished with meals left: (arbiter: lock the waiter, or block on it)
 *   lock the first fork, or block on it; having it, the reach becomes pending.
 * - reach ended: lock the second fork, or block on it; having it: (arbiter: unlock the waiter)
 *   eat, unlock the second fork, unlock the first, and go on with the next meal as above, or end.
 * - woken holding the waiter: lock the first fork as above. Woken holding the first fork: the
 *   reach becomes pending. Woken holding the second fork: as "reach ended" once it has it.
 *
 * Unlocking a mutex others are blocked on hands it to the first of them (FIFO), whose wake-up
 * becomes pending; otherwise it is free. A schedule deadlocks when it ends with a philosopher
 * blocked.
 */
import { type DiningFix, forkOrder } from "./dining-philosophers.ts"

/** The fixes whose every schedule happens at t = 0 (the timeout fix's depend on its timers). */
export type CountableFix = Exclude<DiningFix, "timeout">

/** Schedules of one dinner, and how many of them deadlock. */
export interface ScheduleCount {
  readonly schedules: number
  readonly deadlocks: number
}

/** What a philosopher is doing between steps. */
const Phase = { Start: 0, Reaching: 1, WokeWaiter: 2, WokeFirst: 3, WokeSecond: 4, Blocked: 5, Done: 6 } as const
type Phase = (typeof Phase)[keyof typeof Phase]

interface State {
  readonly phase: Phase[]
  readonly meals: number[]
  /** The holder of each fork, then of the waiter (index n), or -1. */
  readonly holder: number[]
  /** The blocked philosophers of each mutex, in FIFO order. */
  readonly queue: number[][]
}

/**
 * Counts every schedule of `philosophers` philosophers eating `meals` meals each with `fix`, and
 * the deadlocking ones, as the kernel's explorer runs them (see the module comment).
 */
export function countDiningSchedules(philosophers: number, meals: number, fix: CountableFix): ScheduleCount {
  return new ScheduleCounter(philosophers, meals, fix).count({
    phase: Array<Phase>(philosophers).fill(Phase.Start),
    meals: Array<number>(philosophers).fill(0),
    holder: Array<number>(philosophers + 1).fill(-1),
    queue: Array.from({ length: philosophers + 1 }, () => []),
  })
}

/** The state machine of the module comment, with the counts from each state memoised. */
class ScheduleCounter {
  private readonly memo = new Map<string, ScheduleCount>()
  /** Each philosopher's first and second fork. */
  private readonly order: (readonly [number, number])[]
  /** The arbiter's waiter: the mutex after the forks. */
  private readonly waiter: number

  constructor(
    private readonly n: number,
    private readonly meals: number,
    private readonly fix: CountableFix,
  ) {
    this.order = Array.from({ length: n }, (_, p) => forkOrder(p, n, fix))
    this.waiter = n
  }

  /** Locks mutex `m` for `p` or blocks on it; true if `p` has it. */
  private lock(s: State, p: number, m: number): boolean {
    if (s.holder[m] === -1) {
      s.holder[m] = p
      return true
    }
    s.queue[m]!.push(p)
    s.phase[p] = Phase.Blocked
    return false
  }

  /** Unlocks `m`, handing it to its first blocked philosopher, whose wake-up becomes pending. */
  private unlock(s: State, m: number): void {
    const next = s.queue[m]!.shift()
    s.holder[m] = next ?? -1
    if (next === undefined) return
    if (m === this.waiter) s.phase[next] = Phase.WokeWaiter
    else s.phase[next] = this.order[next]![0] === m ? Phase.WokeFirst : Phase.WokeSecond
  }

  /** From hungry: the waiter (arbiter), then the first fork; the reach pending if it has it. */
  private beginMeal(s: State, p: number): void {
    if (this.fix === "arbiter" && !this.lock(s, p, this.waiter)) return
    this.takeFirst(s, p)
  }

  private takeFirst(s: State, p: number): void {
    if (this.lock(s, p, this.order[p]![0])) s.phase[p] = Phase.Reaching
  }

  /** Holding both forks: eat, put them down, then the next meal or the end. */
  private eat(s: State, p: number): void {
    if (this.fix === "arbiter") this.unlock(s, this.waiter)
    this.unlock(s, this.order[p]![1])
    this.unlock(s, this.order[p]![0])
    s.meals[p]!++
    if (s.meals[p]! < this.meals) this.beginMeal(s, p)
    else s.phase[p] = Phase.Done
  }

  /** Runs `p`'s pending step. */
  private step(s: State, p: number): void {
    switch (s.phase[p]) {
      case Phase.Start:
        return this.beginMeal(s, p)
      case Phase.WokeWaiter:
        return this.takeFirst(s, p)
      case Phase.WokeFirst:
        s.phase[p] = Phase.Reaching
        return
      case Phase.Reaching:
        if (this.lock(s, p, this.order[p]![1])) this.eat(s, p)
        return
      case Phase.WokeSecond:
        return this.eat(s, p)
      default:
        throw new Error(`philosopher ${p} has no pending step`)
    }
  }

  /** The schedules from state `s`: one per pending step's subtree, or 1 when nothing is pending. */
  count(s: State): ScheduleCount {
    const key = `${s.phase.join()}|${s.meals.join()}|${s.holder.join()}|${s.queue.map((q) => q.join()).join("/")}`
    const known = this.memo.get(key)
    if (known !== undefined) return known
    let schedules = 0
    let deadlocks = 0
    for (let p = 0; p < this.n; p++) {
      if (s.phase[p] === Phase.Blocked || s.phase[p] === Phase.Done) continue
      const next: State = {
        phase: [...s.phase],
        meals: [...s.meals],
        holder: [...s.holder],
        queue: s.queue.map((q) => [...q]),
      }
      this.step(next, p)
      const below = this.count(next)
      schedules += below.schedules
      deadlocks += below.deadlocks
    }
    const result =
      schedules > 0 ? { schedules, deadlocks } : { schedules: 1, deadlocks: s.phase.includes(Phase.Blocked) ? 1 : 0 }
    this.memo.set(key, result)
    return result
  }
}
