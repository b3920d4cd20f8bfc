/**
 * The ranking model: the HN and Reddit formulas, a Zipf vote stream, incremental top-K (a Redis
 * sorted set for Reddit, periodic recomputation for HN), the ranking job run on the lock holder,
 * the fenced list storage, cached readers, the scenario, its checks and timeline. See docs/ranking.md.
 */
export * from "./formulas.ts"
export * from "./votes.ts"
export * from "./top-k.ts"
export * from "./ranking-events.ts"
export * from "./list-storage.ts"
export * from "./ranking-job.ts"
export * from "./readers.ts"
export * from "./vote-counter.ts"
export * from "./hot-ranking-scenario.ts"
export * from "./ranking-checks.ts"
export * from "./ranking-timeline.ts"
