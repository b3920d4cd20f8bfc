/**
 * Where `mm1`'s time goes, operation by operation, on the engine and on the ceiling: the M/M/1
 * model of `mmc.ts` built up in steps, each run in a fresh `node --single-threaded` process (so
 * one step's type feedback does not slow another's), and the CPU time per arrival of each step.
 * The difference between two neighbouring steps is the cost of what the later one adds:
 *
 * | step | a source that ... |
 * |---|---|
 * | `sleep` | sleeps Exp(0.9) per arrival and spawns nothing |
 * | `spawn` | also spawns a customer that returns at once (spawn, start, end) |
 * | `request` | ... whose customer requests the capacity-1 resource, waits for the grant, releases it |
 * | `full` | ... and holds it for Exp(1) in between (the `mm1` workload) |
 *
 * Run: `npx tsx bench/decompose.ts` (`BENCH_CUSTOMERS`, default 1,000,000 arrivals; `--reps N`
 * runs of each step per process, default 3, of which the first is shown, as the benchmark runs
 * once, and the fastest). A diagnostic, not a target: see docs/kernel-performance.md.
 */
import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { MersenneTwister, RandomStream, Resource, Simulation } from "../src/kernel/index.ts"
import { BaselineResource, Loop, type Proc } from "./baseline/loop.ts"
import { isMainModule } from "./bench-kit.ts"

/** The steps, in order: each adds one thing to the previous. */
export const STEPS = ["sleep", "spawn", "request", "full"] as const
type Step = (typeof STEPS)[number]

/** CPython's `expovariate(rate)` on `random`, as the ceiling draws it. */
function exponential(random: MersenneTwister, rate: number): number {
  return -Math.log(1 - random.next()) / rate
}

/** Runs `step` with `arrivals` arrivals on the engine. */
export function runEngine(step: Step, arrivals: number): number {
  const sim = new Simulation()
  const gaps = new RandomStream(new MersenneTwister(2), "arrivals")
  const services = new RandomStream(new MersenneTwister(3), "services")
  const server = new Resource(sim, { capacity: 1 })
  function* customer() {
    if (step === "spawn") return
    const request = server.request()
    yield* request
    if (step === "full") yield* sim.sleep(services.exponential(1))
    server.release(request)
  }
  function* source() {
    for (let i = 0; i < arrivals; i++) {
      yield* sim.sleep(gaps.exponential(0.9))
      if (step !== "sleep") sim.spawn(customer())
    }
  }
  sim.spawn(source())
  sim.run()
  return sim.now
}

/** Runs `step` with `arrivals` arrivals on the ceiling's loop. */
export function runCeiling(step: Step, arrivals: number): number {
  const loop = new Loop()
  const gaps = new MersenneTwister(2)
  const services = new MersenneTwister(3)
  const server = new BaselineResource(loop, 1)
  function* customer(): Proc {
    if (step === "spawn") return
    yield server
    if (step === "full") yield exponential(services, 1)
    server.release()
  }
  function* source(): Proc {
    for (let i = 0; i < arrivals; i++) {
      yield exponential(gaps, 0.9)
      if (step !== "sleep") loop.spawn(customer())
    }
  }
  loop.spawn(source())
  loop.run()
  return loop.now
}

/** CPU ns per arrival of `reps` runs of one step on one side, in this process. */
function measure(side: "engine" | "ceiling", step: Step, arrivals: number, reps: number): number[] {
  const run = side === "engine" ? runEngine : runCeiling
  const perArrival: number[] = []
  for (let rep = 0; rep < reps; rep++) {
    const started = process.cpuUsage()
    run(step, arrivals)
    const used = process.cpuUsage(started)
    perArrival.push(((used.user + used.system) * 1000) / arrivals)
  }
  return perArrival
}

/** Each side and step in a child process; prints a table of ns per arrival. */
function main(): void {
  const arrivals = Number(process.env["BENCH_CUSTOMERS"] ?? 1_000_000)
  const repsAt = process.argv.indexOf("--reps")
  const reps = repsAt > 0 ? Number(process.argv[repsAt + 1]) : 3
  const self = fileURLToPath(import.meta.url)
  const rows: string[] = []
  const cost: Record<string, number[]> = {}
  for (const side of ["engine", "ceiling"] as const) {
    for (const step of STEPS) {
      const args = ["--single-threaded", "--import", "tsx", self, "--child", side, step, String(arrivals), String(reps)]
      cost[`${side} ${step}`] = JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8" })) as number[]
    }
  }
  rows.push(`ns of CPU per arrival, ${arrivals} arrivals, first run / fastest of ${reps}`)
  rows.push("step      engine        ceiling       engine/ceiling (first)  added by the step: engine, ceiling")
  STEPS.forEach((step, i) => {
    const [e, c] = [cost[`engine ${step}`]!, cost[`ceiling ${step}`]!]
    const fmt = (v: number[]): string => `${v[0]!.toFixed(0)} / ${Math.min(...v).toFixed(0)}`.padEnd(14)
    const previous = i === 0 ? undefined : STEPS[i - 1]!
    const added =
      previous === undefined
        ? ""
        : `${(e[0]! - cost[`engine ${previous}`]![0]!).toFixed(0)}, ${(c[0]! - cost[`ceiling ${previous}`]![0]!).toFixed(0)}`
    rows.push(`${step.padEnd(10)}${fmt(e)}${fmt(c)}${(e[0]! / c[0]!).toFixed(2).padEnd(24)}${added}`)
  })
  console.log(rows.join("\n"))
}

if (isMainModule(import.meta.url)) {
  const at = process.argv.indexOf("--child")
  if (at < 0) main()
  else {
    const [side, step, arrivals, reps] = process.argv.slice(at + 1)
    console.log(JSON.stringify(measure(side as "engine" | "ceiling", step as Step, Number(arrivals), Number(reps))))
  }
}
