/**
 * The typed trace of the dining philosophers (docs/go.md, "Dining philosophers"): what each
 * philosopher did with the forks, the arbiter and the clock.
 */

/** A philosopher finished thinking and is hungry: it starts taking its forks. */
export interface PhilosopherHungry {
  readonly type: "PhilosopherHungry"
  readonly philosopher: number
  /** Its meal number, from 0. */
  readonly meal: number
}

/** A philosopher asked for a fork that another holds, and blocked on its mutex. */
export interface ForkWaited {
  readonly type: "ForkWaited"
  readonly philosopher: number
  readonly fork: number
  /** Who held it then. */
  readonly heldBy: number
}

/** A philosopher locked a fork's mutex (at once, or handed over when its holder put it down). */
export interface ForkTaken {
  readonly type: "ForkTaken"
  readonly philosopher: number
  readonly fork: number
}

/** A philosopher unlocked a fork's mutex. */
export interface ForkPutDown {
  readonly type: "ForkPutDown"
  readonly philosopher: number
  readonly fork: number
}

/** A philosopher holds both forks and eats. */
export interface MealStarted {
  readonly type: "MealStarted"
  readonly philosopher: number
  readonly meal: number
}

/** The arbiter fix: a philosopher waits for the waiter's permission (another one is taking forks). */
export interface WaiterWaited {
  readonly type: "WaiterWaited"
  readonly philosopher: number
}

/** The arbiter fix: the waiter let a philosopher take its forks. */
export interface WaiterGranted {
  readonly type: "WaiterGranted"
  readonly philosopher: number
}

/** The arbiter fix: a philosopher holds both forks and gives the permission back. */
export interface WaiterReleased {
  readonly type: "WaiterReleased"
  readonly philosopher: number
}

/** The timeout fix: a philosopher gave up waiting for its second fork (it will put the first down). */
export interface ForkTimedOut {
  readonly type: "ForkTimedOut"
  readonly philosopher: number
  readonly fork: number
}

/** The timeout fix: a philosopher backs off before trying again. */
export interface BackedOff {
  readonly type: "BackedOff"
  readonly philosopher: number
  readonly backoffMs: number
}

/** Every goroutine was blocked: Go's runtime stopped the dinner. */
export interface DinnerDeadlocked {
  readonly type: "DinnerDeadlocked"
  /** The wait-for cycle in philosopher numbers (P0 waits for P1 ...), empty if none was found. */
  readonly cycle: readonly number[]
}

/** Everything the dining philosophers record. */
export type DiningEvent =
  | PhilosopherHungry
  | ForkWaited
  | ForkTaken
  | ForkPutDown
  | MealStarted
  | WaiterWaited
  | WaiterGranted
  | WaiterReleased
  | ForkTimedOut
  | BackedOff
  | DinnerDeadlocked
