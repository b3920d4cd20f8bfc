/** Builds and runs hot-ranking scenarios for the ranking tests. */
import { Simulation } from "../../../src/kernel/index.ts"
import { type HotRankingOptions, HotRankingScenario } from "../../../src/models/ranking/index.ts"
import { MemoryLockService } from "./memory-lock.ts"

/** Small runs: 200 articles, 200 votes/s, 500 ms periods, 6 s. */
export const SMALL: Omit<HotRankingOptions, "lockFor"> = {
  articles: 200,
  votesPerSecond: 200,
  periodMs: 500,
  durationMs: 6000,
}

/** A scenario on a fresh simulation with `seed` (trace records kept: `keep`). */
export function rankingScenario(seed: number, options: Omit<HotRankingOptions, "lockFor">, keep = 0) {
  const sim = new Simulation({ seed, trace: { keep } })
  const lock = new MemoryLockService(sim, 2 * (options.periodMs ?? 1000))
  return new HotRankingScenario(sim, { lockFor: (node) => lock.client(node), ...options })
}
