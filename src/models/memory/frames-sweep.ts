/**
 * Misses per frame count for every policy on one reference string, and where more frames give
 * more misses (Belady's anomaly: FIFO on 1,2,3,4,1,2,5,1,2,3,4,5 misses 9 times with 3 frames and
 * 10 with 4). Stack algorithms (LRU, OPT) never show it.
 */
import { countPaging, PAGING_POLICIES, type PagingPolicy, type UnitRandom } from "./page-replacement.ts"

/** One policy's row of a sweep. */
export interface SweepRow {
  readonly policy: PagingPolicy
  /** Misses for each frame count of the sweep, in order. */
  readonly misses: readonly number[]
  /** The frame counts k (not the first) where misses(k) > misses(k − 1). */
  readonly anomalies: readonly number[]
}

/** Options of {@link framesSweep}. */
export interface SweepOptions {
  /** Frame counts to try, ascending integers >= 1. Required. */
  readonly frames: readonly number[]
  /** OSTEP CLOCK's largest use counter. Default 2. */
  readonly clockBits?: number
  /** Second chance's use bit on load. Default 1. */
  readonly useBitOnLoad?: 0 | 1
  /** A fresh stream for each RAND and CLOCK run (positioned where the run's draws start). Required. */
  readonly random: () => UnitRandom
  /** The policies, in row order. Default every policy. */
  readonly policies?: readonly PagingPolicy[]
}

/** Every policy's misses for each frame count, with its anomalies. */
export function framesSweep(refs: readonly number[], options: SweepOptions): SweepRow[] {
  return (options.policies ?? PAGING_POLICIES).map((policy) => {
    const misses = options.frames.map(
      (frames) =>
        countPaging(refs, {
          policy,
          frames,
          clockBits: options.clockBits ?? 2,
          useBitOnLoad: options.useBitOnLoad ?? 1,
          random: options.random(),
        }).misses,
    )
    const anomalies = options.frames.filter((_, i) => i > 0 && misses[i]! > misses[i - 1]!)
    return { policy, misses, anomalies }
  })
}
