/**
 * The typed trace of the concurrent-map lesson (docs/go-concurrency.md#concurrent-maps): what the
 * goroutines did to the map under each strategy. Every record names its strategy, since one run
 * compares several side by side on the same clock.
 */
import type { MapStrategyName } from "./concurrent-map-strategies.ts"

/** A `Get` returned (`value` null: the key was absent). */
export interface MapReadReturned {
  readonly type: "MapReadReturned"
  readonly strategy: MapStrategyName
  readonly goroutine: string
  readonly key: number
  readonly value: number | null
  /** From the call to the return, ns. */
  readonly latencyNs: number
}

/** The read half of an increment: the value the goroutine will add one to (0 when absent). */
export interface IncrementLoaded {
  readonly type: "IncrementLoaded"
  readonly strategy: MapStrategyName
  readonly goroutine: string
  readonly key: number
  readonly value: number
}

/** The write half of an increment: the value it stored (or tried to, for a compare-and-swap). */
export interface IncrementStored {
  readonly type: "IncrementStored"
  readonly strategy: MapStrategyName
  readonly goroutine: string
  readonly key: number
  readonly value: number
}

/** An increment returned to its caller: the map promises it now counts. */
export interface IncrementReturned {
  readonly type: "IncrementReturned"
  readonly strategy: MapStrategyName
  readonly goroutine: string
  readonly key: number
  /** From the call to the return, ns. */
  readonly latencyNs: number
}

/** A compare-and-swap found another goroutine's write first: the loop starts over. */
export interface CasFailed {
  readonly type: "CasFailed"
  readonly strategy: MapStrategyName
  readonly goroutine: string
  readonly key: number
  /** What the CAS was on: the pointer to the whole map (copy-on-write) or one entry (sync.Map). */
  readonly target: "map" | "entry"
}

/** A goroutine copied the map (copy-on-write, or sync.Map building its dirty map). */
export interface MapCopied {
  readonly type: "MapCopied"
  readonly strategy: MapStrategyName
  readonly goroutine: string
  readonly entries: number
  readonly bytes: number
}

/** sync.Map's reads missed the read-only map often enough: the dirty map became the read map. */
export interface DirtyPromoted {
  readonly type: "DirtyPromoted"
  readonly strategy: MapStrategyName
  readonly goroutine: string
  readonly entries: number
}

/** A goroutine waited for a lock and got it handed over. */
export interface LockHandedOver {
  readonly type: "LockHandedOver"
  readonly strategy: MapStrategyName
  readonly goroutine: string
  /** Which lock: "mu", "rw (read)", "rw (write)", "shard 3", ... */
  readonly lock: string
}

/** Everything the concurrent-map lesson records. */
export type ConcurrentMapEvent =
  | MapReadReturned
  | IncrementLoaded
  | IncrementStored
  | IncrementReturned
  | CasFailed
  | MapCopied
  | DirtyPromoted
  | LockHandedOver
