/**
 * Benchmark `channels`: pingpong over unbuffered Go channels. Two goroutines at time 0: `ping`
 * sends 0, 1, 2, ... on one channel and waits for each to come back on a second; `pong` receives
 * each and sends it back. So every operation is pure kernel overhead (the channel's direct
 * hand-off, events, scheduling), as in `bench/pingpong.ts` on a store.
 *
 * A round trip is two hand-offs. `events` counts logical events as `pingpong` does (a put and a
 * get per item): a send and a receive per hand-off, so 4 per round trip, and `eventsPerSec`
 * compares with `pingpong`'s directly; `handoffsPerSec` with its items per second. The kernel
 * processes one event per hand-off (the parked side's wake-up): `kernelEvents`, 2 per round trip
 * plus the two processes' starts and ends.
 *
 * Run: `npx tsx bench/channels.ts` (round trips from BENCH_ROUND_TRIPS, default 1,000,000).
 */
import { Channel, Simulation } from "../src/kernel/index.ts"
import { type BenchResult, isMainModule, printResult, timing, wallClockMs } from "./bench-kit.ts"

/** A `channels` result. */
export interface ChannelsResult extends BenchResult {
  /** Round trips (ping and pong). */
  readonly roundTrips: number
  /** Hand-offs (2 per round trip) per second of wall time. */
  readonly handoffsPerSec: number
  /** Events the kernel processed: one per hand-off, plus the starts and ends of the two processes. */
  readonly kernelEvents: number
}

/**
 * Runs the `channels` workload.
 * @param roundTrips - values sent from ping to pong and back
 */
export function runChannels(roundTrips: number): ChannelsResult {
  const startedMs = wallClockMs()
  const sim = new Simulation()
  const ping = new Channel<number>(sim, { zero: 0, name: "ping" })
  const pong = new Channel<number>(sim, { zero: 0, name: "pong" })

  function* pinger() {
    for (let i = 0; i < roundTrips; i++) {
      yield* ping.send(i)
      const back = yield* pong.receive()
      if (back !== i) throw new Error(`expected ${i} back, got ${back}`)
    }
  }

  function* ponger() {
    for (let i = 0; i < roundTrips; i++) yield* pong.send(yield* ping.receive())
  }

  sim.spawn(pinger())
  sim.spawn(ponger())
  sim.run()
  const events = 4 * roundTrips
  const times = timing(events, startedMs)
  return {
    system: "simsys",
    workload: "channels",
    events,
    simTime: sim.now,
    ...times,
    roundTrips,
    handoffsPerSec: Math.round((2 * roundTrips) / (Math.max(times.wallMs, 0.001) / 1000)),
    kernelEvents: sim.eventsProcessed,
  }
}

function roundTripsFromEnv(): number {
  const text = process.env.BENCH_ROUND_TRIPS
  if (text === undefined || text === "") return 1_000_000
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`BENCH_ROUND_TRIPS must be a positive integer, got ${JSON.stringify(text)}`)
  return value
}

if (isMainModule(import.meta.url)) printResult(runChannels(roundTripsFromEnv()))
