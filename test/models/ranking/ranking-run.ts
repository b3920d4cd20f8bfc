/** Builds hot-ranking scenarios for the ranking tests. */
import { Simulation } from "../../../src/kernel/index.ts"
import { type HotRankingOptions, HotRankingScenario } from "../../../src/models/ranking/index.ts"

/** Small runs: 200 articles, 200 votes/s, 500 ms periods, 6 s. */
export const SMALL: HotRankingOptions = {
  articles: 200,
  votesPerSecond: 200,
  periodMs: 500,
  durationMs: 6000,
}

/** A scenario on a fresh simulation with `seed` (trace records kept: `keep`), with the Redis lock. */
export function rankingScenario(seed: number, options: HotRankingOptions, keep = 0): HotRankingScenario {
  return new HotRankingScenario(new Simulation({ seed, trace: { keep } }), options)
}
