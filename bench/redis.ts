/**
 * Benchmark `redis`: the simulated Redis executing a mixed workload, trace off — how many
 * commands per second `RedisServer.execute` answers (issue target: at least 2,000,000/s).
 *
 * 10,000 keys: command i is, by turns, `SET key:<k> v<i>`, `GET key:<k>`, `HINCRBY counts:<k> likes
 * 1` and `ZINCRBY board 1 member:<k>` (one sorted set of up to 10,000 members), with k drawn from a
 * fixed linear congruential sequence. The argv arrays are built before the clock starts, so the
 * number measures the server (lookup, parsing, replies), not the building of commands. The clock
 * moves 1 ms every 1,000 commands.
 *
 * Run: `npx tsx bench/redis.ts` (commands from BENCH_EVENTS, default 2,000,000).
 */
import { RedisServer } from "../src/models/redis/index.ts"
import { type BenchResult, isMainModule, printResult, readSizes, timing, wallClockMs } from "./bench-kit.ts"

/** Keys the workload spreads over. */
const KEYS = 10_000
/** Distinct argv arrays built up front (cycled). */
const PREBUILT = 200_000

/** A result line of the `redis` workload. */
export interface RedisBenchResult extends BenchResult {
  /** Commands executed per wall-clock second (the same as eventsPerSec). */
  readonly commandsPerSec: number
  /** CPU time of the loop, in ms (user + system): on a shared machine wall time also counts waiting for a core. */
  readonly cpuMs: number
  /** Commands per second of CPU time. */
  readonly commandsPerCpuSec: number
  /** Keys in the keyspace at the end. */
  readonly keys: number
}

function workload(): string[][] {
  const commands: string[][] = []
  let state = 12345
  for (let i = 0; i < PREBUILT; i++) {
    state = (state * 1103515245 + 12345) >>> 0
    const k = Math.floor(((state >>> 8) / 2 ** 24) * KEYS)
    switch (i % 4) {
      case 0:
        commands.push(["SET", `key:${k}`, `v${i}`])
        break
      case 1:
        commands.push(["GET", `key:${k}`])
        break
      case 2:
        commands.push(["HINCRBY", `counts:${k}`, "likes", "1"])
        break
      default:
        commands.push(["ZINCRBY", "board", "1", `member:${k}`])
    }
  }
  return commands
}

/** Runs `total` commands of the mixed workload. */
export function runRedisBench(total: number): RedisBenchResult {
  const commands = workload()
  let nowMs = 0
  const server = new RedisServer({ clock: () => nowMs })
  const startedMs = wallClockMs()
  const startedCpu = process.cpuUsage()
  for (let i = 0; i < total; i++) {
    server.execute(commands[i % PREBUILT]!)
    if (i % 1000 === 999) nowMs++
  }
  const cpu = process.cpuUsage(startedCpu)
  const time = timing(total, startedMs)
  const cpuMs = Math.round((cpu.user + cpu.system) / 1000)
  const commandsPerCpuSec = Math.round(total / (Math.max(cpuMs, 1) / 1000))
  return {
    system: "simsys",
    workload: "redis",
    events: total,
    simTime: nowMs,
    ...time,
    commandsPerSec: time.eventsPerSec,
    cpuMs,
    commandsPerCpuSec,
    keys: server.keyspace.size,
  }
}

if (isMainModule(import.meta.url)) {
  const events = process.env.BENCH_EVENTS === undefined ? 2_000_000 : readSizes().events
  printResult(runRedisBench(events))
}
