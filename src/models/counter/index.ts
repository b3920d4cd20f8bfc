/**
 * Like, read and collect counters: a SQL-like store, a cache on the shared simulated Redis, six client strategies,
 * the `no-lost-counts` checker, the exhaustive race model and the batch-commit cost model.
 */
export * from "./batch-commit.ts"
export * from "./counter-checks.ts"
export * from "./counter-cache.ts"
export * from "./counter-client.ts"
export * from "./counter-events.ts"
export * from "./counter-scenario.ts"
export * from "./counter-servers.ts"
export * from "./counter-timeline.ts"
export * from "./lost-update-race.ts"
export * from "./sql-store.ts"
