/**
 * Benchmark `ranking`: a 60-second hot-ranking run at 1,000 votes/s (issue target: under one
 * second of wall time), as the sim runs it in text mode (trace hash off): 3 nodes, 1,000 articles,
 * a job every second on the lock holder, which pauses 3.5 s at t=5001 ms. `BENCH_FORMULA` picks
 * `hn` (default) or `reddit`. The line reports wall time and CPU time: on a shared machine wall
 * time also counts waiting for a core.
 *
 * Run: `npx tsx bench/ranking.ts` (BENCH_FORMULA=reddit for Reddit's formula).
 */
import { Simulation } from "../src/kernel/index.ts"
import { HotRankingScenario } from "../src/models/ranking/index.ts"
import { type BenchResult, isMainModule, printResult, timing, wallClockMs } from "./bench-kit.ts"

/** A result line of the `ranking` workload. */
export interface RankingBenchResult extends BenchResult {
  readonly formula: "hn" | "reddit"
  /** Votes counted in the run. */
  readonly votes: number
  /** CPU time of the run, in ms (user + system). */
  readonly cpuMs: number
}

/** Runs one 60-second hot-ranking scenario at 1,000 votes/s; `events` counts kernel events. */
export function runRankingBench(formula: "hn" | "reddit", durationMs = 60_000): RankingBenchResult {
  const startedMs = wallClockMs()
  const startedCpu = process.cpuUsage()
  const sim = new Simulation({ seed: 1, trace: { hash: false } })
  const scenario = new HotRankingScenario(sim, {
    formula,
    votesPerSecond: 1000,
    durationMs,
    pauseAt: 5001,
    pauseMs: 3500,
  })
  const result = scenario.run()
  const cpu = process.cpuUsage(startedCpu)
  return {
    system: "simsys",
    workload: "ranking",
    events: sim.eventsProcessed,
    simTime: sim.now,
    ...timing(sim.eventsProcessed, startedMs),
    formula,
    votes: result.votes,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  }
}

if (isMainModule(import.meta.url)) {
  printResult(runRankingBench(process.env.BENCH_FORMULA === "reddit" ? "reddit" : "hn"))
}
