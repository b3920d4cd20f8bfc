/**
 * What stop-the-world pauses do to requests: a request that needs `serviceMs` of mutator time
 * takes longer by every pause that overlaps it, and one that arrives during a pause waits for its
 * end. Requests are served in parallel (no queueing between them), so the only delay is the GC's.
 */
import type { RandomStream } from "../../kernel/index.ts"
import type { Pause } from "./gc-heap.ts"

/** The latency of a request arriving at `arrivalMs` needing `serviceMs`, given pauses sorted by start. */
export function requestLatencyMs(arrivalMs: number, serviceMs: number, pauses: readonly Pause[]): number {
  let t = arrivalMs
  let remaining = serviceMs
  for (const pause of pauses) {
    if (pause.endMs <= t) continue
    if (pause.startMs >= t + remaining) break
    remaining -= Math.max(0, pause.startMs - t)
    t = pause.endMs
  }
  return t + remaining - arrivalMs
}

/** Poisson arrival times (ms) at `ratePerS` in [0, durationMs). */
export function poissonArrivalsMs(random: RandomStream, ratePerS: number, durationMs: number): number[] {
  const arrivals: number[] = []
  if (ratePerS <= 0) return arrivals
  for (let t = random.exponential(ratePerS / 1000); t < durationMs; t += random.exponential(ratePerS / 1000))
    arrivals.push(t)
  return arrivals
}
