/**
 * `--realtime FACTOR` and `--serve-metrics PORT` (src/cli/realtime.ts, live-metrics.ts,
 * metrics-server.ts): a paced run prints exactly the unpaced run's report, waits as the pace says,
 * and a real HTTP client can scrape the running sim's metrics.
 */
import { spawn, spawnSync } from "node:child_process"
import { createServer, type Server } from "node:net"
import { describe, expect, it } from "vitest"
import mmQueue from "../../sims/mm-queue.ts"
import threadPool from "../../sims/thread-pool.ts"
import mlfq from "../../sims/mlfq.ts"
import { type RealtimeClock, RealtimePacer, REALTIME_SLICE_MS } from "../../src/cli/realtime.ts"
import type { FlagSpecs, SimDefinition } from "../../src/cli/index.ts"
import { LiveMetrics, liveUnit } from "../../src/cli/live-metrics.ts"
import { Simulation } from "../../src/kernel/index.ts"
import { parseExposition } from "../../src/models/observability/exposition.ts"
import { binaryOnPath, freePort } from "../real-tools.ts"
import { simCommand } from "../sims/sim-command.ts"
import { runCaptured } from "./run-captured.ts"

/** A wall clock that only moves when the run waits: the run itself takes no wall time. */
function fakeClock(): RealtimeClock & { readonly sleeps: number[] } {
  let now = 1000
  const sleeps: number[] = []
  return {
    sleeps,
    nowMs: () => now,
    sleepMs: (ms) => {
      sleeps.push(ms)
      if (ms > 0) now += ms
    },
  }
}

/** A simulation with a process that ticks every `stepMs` until `endMs`. */
function ticking(stepMs: number, endMs: number): Simulation {
  const sim = new Simulation({ seed: 1 })
  sim.spawn(
    (function* () {
      while (sim.now + stepMs <= endMs) yield* sim.sleep(stepMs)
    })(),
    "ticker",
  )
  return sim
}

describe("RealtimePacer", () => {
  it("processes the same events as an unpaced run and waits for the wall clock after each slice", () => {
    const clock = fakeClock()
    // 2 simulated seconds per real second on a ms clock: 2 ms of simulated time per wall ms.
    const pacer = new RealtimePacer(2, 0.001, clock)
    const paced = ticking(7, 1000)
    const result = pacer.run(paced, { until: 1000 }, (sim, options) => sim.run(options))
    const unpaced = ticking(7, 1000)
    const expected = unpaced.run({ until: 1000 })
    expect(result.reason).toBe(expected.reason)
    expect(result.events).toBe(expected.events)
    expect(paced.now).toBe(1000)
    expect(paced.eventsProcessed).toBe(unpaced.eventsProcessed)
    // 1000 ms of simulated time at 2 per wall ms: 500 ms of wall time, in slices of 50 ms.
    expect(clock.nowMs() - 1000).toBeCloseTo(500 - REALTIME_SLICE_MS, 6)
    expect(clock.sleeps.length).toBe(500 / REALTIME_SLICE_MS - 1)
    for (const ms of clock.sleeps) expect(ms).toBeCloseTo(REALTIME_SLICE_MS, 6)
  })

  it("jumps to `until` without waiting when nothing is left to happen, as an unpaced run ends", () => {
    const clock = fakeClock()
    const pacer = new RealtimePacer(1, 0.001, clock)
    const sim = ticking(10, 30)
    const result = pacer.run(sim, { until: 100_000 }, (s, options) => s.run(options))
    const unpaced = ticking(10, 30).run({ until: 100_000 })
    expect(result).toEqual({ ...unpaced, events: unpaced.events })
    expect(sim.now).toBe(100_000)
    expect(clock.nowMs() - 1000).toBeLessThan(100)
  })

  it("runs until the queue is empty when no `until` is given, and counts maxEvents over the whole run", () => {
    const pacer = new RealtimePacer(1000, 1, fakeClock())
    const sim = ticking(1, 50)
    const result = pacer.run(sim, { maxEvents: 20 }, (s, options) => s.run(options))
    expect(result.reason).toBe("maxEvents")
    expect(result.events).toBe(20)
    expect(result.message).toBe(`stopped after 20 events at t=${sim.now}`)
    const rest = pacer.run(sim, {}, (s, options) => s.run(options))
    expect(rest.reason).toBe("empty")
    expect(sim.now).toBe(50)
  })

  it("refuses a factor that is not a finite positive number", () => {
    for (const factor of [0, -1, Infinity, Number.NaN])
      expect(() => new RealtimePacer(factor, 1, fakeClock())).toThrow(RangeError)
  })
})

describe("LiveMetrics", () => {
  it("serves the runner's two series in seconds, then the simulation's registry", () => {
    const live = new LiveMetrics('a"b', liveUnit({ unit: "ms" }), () => 0)
    expect(live.text()).toContain('simsys_simulated_seconds{sim="a\\"b"} 0\n')
    const sim = ticking(250, 1000)
    sim.metrics.counter("jobs_total", "Jobs.").inc(3)
    sim.run({ until: 1000 })
    live.update(sim)
    const samples = parseExposition(live.text())
    expect(samples.map((s) => [s.name, s.value])).toEqual([
      ["simsys_simulated_seconds", 1],
      ["simsys_events_processed_total", sim.eventsProcessed],
      ["jobs_total", 3],
    ])
  })

  it("names the simulated time after the sim's unit when it is not a time, and throttles publishing", () => {
    let now = 0
    const published: string[] = []
    const live = new LiveMetrics("mlfq", liveUnit({ unitName: "ticks" }), () => now)
    live.publishTo((text) => published.push(text))
    const sim = ticking(1, 10)
    for (let i = 0; i < 10; i++) {
      sim.run({ until: i + 1 })
      live.update(sim)
      now += 100
    }
    live.flush()
    // Rebuilt at 0, 300, 600 and 900 ms (every 250 ms at most), then once at the end.
    expect(published.length).toBe(5)
    expect(published.at(-1)).toContain('simsys_simulated_ticks{sim="mlfq"} 10\n')
  })
})

describe("--realtime on the command line", () => {
  it("prints exactly the unpaced report (text and JSON), and says the pace on stderr", async () => {
    const sims = [
      [threadPool, []],
      [mmQueue, ["--customers", "200"]],
      [mlfq, []],
    ] as unknown as [SimDefinition<FlagSpecs>, string[]][]
    for (const [sim, argv] of sims) {
      for (const json of [[], ["--json"]]) {
        const unpaced = await runCaptured(sim, [...argv, ...json])
        const clock = fakeClock()
        const paced = await runCaptured(sim, [...argv, ...json, "--realtime", "1000"], { realtimeClock: clock })
        expect(paced.code).toBe(0)
        expect(paced.stdout).toBe(unpaced.stdout)
        expect(paced.stderr).toMatch(new RegExp(`^${sim.name}: paced at 1000 simulated (seconds|ticks) per second`))
        expect(clock.sleeps.length).toBeGreaterThan(0)
      }
    }
  })

  it("rejects bad values and --serve-metrics without --realtime, naming the flag (exit 2)", async () => {
    const cases: [string[], string][] = [
      [["--realtime", "0"], "bad value for --realtime: 0; allowed: a number > 0 (simulated seconds per real second)"],
      [["--realtime", "x"], 'bad value for --realtime: "x"'],
      [
        ["--serve-metrics", "70000", "--realtime", "1"],
        "bad value for --serve-metrics: 70000; allowed: a TCP port from 0 to 65535",
      ],
      [
        ["--serve-metrics", "9100"],
        "--serve-metrics 9100 needs --realtime FACTOR: an unpaced run ends before anything could scrape it",
      ],
      [["--quiz", "--realtime", "5"], "contradictory flags --quiz, --realtime: a quiz does not run"],
    ]
    for (const [argv, message] of cases) {
      const run = await runCaptured(threadPool, argv)
      expect(run.code, argv.join(" ")).toBe(2)
      expect(run.stdout).toBe("")
      expect(run.stderr).toContain(message)
    }
  })

  it("refuses a port that is in use before running (exit 2, nothing on stdout)", async () => {
    const port = await freePort()
    const blocker: Server = createServer()
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve))
    try {
      const run = await runCaptured(threadPool, ["--realtime", "1000", "--serve-metrics", String(port)])
      expect(run.code).toBe(2)
      expect(run.stdout).toBe("")
      expect(run.stderr).toContain(`cannot serve --serve-metrics ${port}: the port is in use (EADDRINUSE)`)
    } finally {
      blocker.close()
    }
  })
})

describe("--serve-metrics: a real HTTP client scrapes a running sim", () => {
  it("serves /metrics while the run runs, in a format Prometheus parses; the report is the unpaced one", async () => {
    const port = await freePort()
    // 62 simulated seconds at 10 per second: about 6 s of wall time to scrape in. Bundled for the
    // test run (test/sims/bundle-sims.ts), as `npx tsx sims/thread-pool.ts` runs it.
    const sim = simCommand("thread-pool", ["--realtime", "10", "--serve-metrics", String(port)])
    const child = spawn(sim.command, sim.args)
    let stdout = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve))
    const url = `http://127.0.0.1:${port}/metrics`
    let body: string | undefined
    let contentType: string | null = null
    for (let attempt = 0; attempt < 200 && body === undefined; attempt++) {
      try {
        const response = await fetch(url)
        const text = await response.text()
        if (response.status === 200 && text.includes("thread_pool_size")) {
          body = text
          contentType = response.headers.get("content-type")
        }
      } catch {
        // not listening yet
      }
      if (body === undefined) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const missing = await fetch(`http://127.0.0.1:${port}/nothing`).then((r) => r.status)
    expect(await exited).toBe(0)
    expect(body).toBeDefined()
    expect(contentType).toBe("text/plain; version=0.0.4; charset=utf-8")
    expect(missing).toBe(404)
    const samples = parseExposition(body!)
    const simTime = samples.find((s) => s.name === "simsys_simulated_seconds")
    expect(simTime?.labels).toEqual({ sim: "thread-pool" })
    expect(simTime!.value).toBeGreaterThanOrEqual(0)
    expect(simTime!.value).toBeLessThanOrEqual(62)
    expect(samples.some((s) => s.name === "thread_pool_queue_length")).toBe(true)
    const promtool = binaryOnPath("promtool")
    if (promtool !== undefined) {
      const checked = spawnSync(promtool, ["check", "metrics"], { input: body, encoding: "utf8" })
      expect(checked.status, checked.stderr + checked.stdout).toBe(0)
    }
    const unpaced = await runCaptured(threadPool, [])
    expect(stdout).toBe(unpaced.stdout)
  }, 60_000)
})
