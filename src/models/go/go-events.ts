/**
 * The typed trace of the Go lessons (docs/go-concurrency.md): what a run of a program recorded.
 */

/** A goroutine printed an item. */
export interface ItemPrinted {
  readonly type: "ItemPrinted"
  readonly goroutine: string
  readonly item: number
}

/** `main` returned: the program is over, whatever other goroutines are doing. */
export interface MainReturned {
  readonly type: "MainReturned"
  /** Items printed by then. */
  readonly printed: number
}

/** A goroutine was left blocked forever when `main` returned (Go's wait reason). */
export interface GoroutineLeaked {
  readonly type: "GoroutineLeaked"
  readonly goroutine: string
  readonly reason: string
}

/** Go's runtime stopped the program: every goroutine was blocked. */
export interface ProgramDeadlocked {
  readonly type: "ProgramDeadlocked"
  readonly message: string
}

/** Everything the Go lessons record. */
export type GoEvent = ItemPrinted | MainReturned | GoroutineLeaked | ProgramDeadlocked
