/**
 * The run budget (`RUN_BUDGET`: 60 s, 1.5 GB) for every sim: each sim estimates its work before
 * running and the runner refuses a run over the budget with exit 2, naming the limit and a flag.
 *
 * For each sim and the flag that makes its runs long (with the other flags at their heaviest
 * shape, e.g. batch size 1), the test
 * - finds the refusal boundary from the sim's own estimate (a binary search over the flag), and
 *   checks that the value just over it is refused with exit 2, nothing on stdout and a message
 *   naming the budget and the flag — or, when the flag's largest value fits, that it is accepted;
 * - checks the calibration: the largest value whose estimate is {@link SCALED_RUN_SECONDS} of
 *   simulating runs (text report but for process-run, in this process) in no more CPU time than estimated, so that a
 *   run estimated at the budget finishes within it (the speeds are per sim, measured, linear in
 *   the work). Running each sim at its real boundary would cost 12 minutes of CPU.
 * Plus the runaway inputs of issue 21, each refused.
 */
import { describe, expect, it } from "vitest"
import { EXIT_CODE, type FlagSpecs, RUN_BUDGET, RUN_OVERHEAD_SECONDS, type SimDefinition, type WorkEstimate } from "../../src/cli/index.ts"
import { parseCommandLine } from "../../src/cli/parse-command-line.ts"
import { runCaptured } from "../cli/run-captured.ts"

/** Seconds of simulating (estimated) of each calibration run. */
const SCALED_RUN_SECONDS = 2.5

interface SizedSim {
  readonly name: string
  /** The flag that sizes the run, named in the refusal. */
  readonly flag: string
  /** The command line for size `v`. */
  readonly args: (v: number) => string[]
  readonly min: number
  readonly max: number
  /** Whether sizes are integers. */
  readonly integer: boolean
}

const SIZED: readonly SizedSim[] = [
  { name: "mm-queue", flag: "--customers", args: (v) => ["--customers", String(v)], min: 1, max: 5_000_000, integer: true },
  { name: "batch-commit", flag: "--rows", args: (v) => ["--rows", String(v), "--batch-size", "1"], min: 1, max: 1_000_000, integer: true },
  { name: "failure-detector", flag: "--duration-ms", args: (v) => ["--heartbeat-ms", "0.01", "--duration-ms", String(v)], min: 1, max: 600_000, integer: true },
  { name: "kafka-acks", flag: "--messages", args: (v) => ["--messages", String(v), "--rate", "10000"], min: 0, max: 2_000_000, integer: true },
  { name: "kafka-batching", flag: "--messages", args: (v) => ["--messages", String(v), "--batch-size", "0"], min: 1, max: 2_000_000, integer: true },
  { name: "kafka-ordering", flag: "--messages", args: (v) => ["--messages", String(v), "--rate", "100"], min: 1, max: 1_000_000, integer: true },
  { name: "like-counter", flag: "--likes", args: (v) => ["--clients", "64", "--likes", String(v)], min: 1, max: 10_000, integer: true },
  { name: "lost-update-explorer", flag: "--samples", args: (v) => ["--clients", "3", "--samples", String(v)], min: 1, max: 10_000, integer: true },
  { name: "mlfq", flag: "--jobs", args: (v) => ["--jobs", `0,${v},0`], min: 1, max: 1e9, integer: true },
  // JSON: process-run's text report of more than ~120k lines overflows the text renderer's stack
  // (issue 21, fixed on another branch); the estimate counts the text report's memory either way.
  { name: "process-run", flag: "--programs", args: (v) => ["--json", "--programs", Array.from({ length: v }, () => "c100000").join(":")], min: 1, max: 50, integer: true },
  { name: "cpu-sched", flag: "--bursts", args: (v) => ["--policy", "rr", "--bursts", `${v},${v}`], min: 1, max: 1e9, integer: true },
  { name: "thread-pool", flag: "--tasks", args: (v) => ["--tasks", String(v), "--interval-ms", "1", "--queue", "unbounded"], min: 1, max: 1_000_000, integer: true },
]

async function load(name: string): Promise<SimDefinition<FlagSpecs>> {
  return (await import(`../../sims/${name}.ts`)).default
}

/** The text run's estimate for `args`. */
function estimateOf(sim: SimDefinition<FlagSpecs>, args: readonly string[]): WorkEstimate {
  const line = parseCommandLine(sim, args)
  if (line.kind !== "run") throw new Error(`${sim.name} ${args.join(" ")}: ${line.kind === "bad-input" ? line.problems.join("; ") : line.kind}`)
  return sim.estimate(line.params, { seed: line.options.seed, output: line.options.json ? "json" : "text" })
}

function fits(estimate: WorkEstimate): boolean {
  return estimate.seconds <= RUN_BUDGET.seconds && estimate.bytes <= RUN_BUDGET.bytes
}

/** The largest size in [min, max] for which `ok` holds (`ok` is monotone: true, then false). */
function largest(sized: SizedSim, ok: (v: number) => boolean): number {
  let lo = sized.min
  let hi = sized.max
  if (ok(hi)) return hi
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (ok(mid)) lo = mid
    else hi = mid
  }
  return lo
}

describe("the run budget of every sim", () => {
  for (const sized of SIZED) {
    it(`${sized.name}: refuses just over its boundary with exit 2 naming ${sized.flag}, or accepts ${sized.flag}'s largest value`, async () => {
      const sim = await load(sized.name)
      const boundary = largest(sized, (v) => fits(estimateOf(sim, sized.args(v))))
      expect(fits(estimateOf(sim, sized.args(boundary)))).toBe(true)
      if (boundary === sized.max) return
      const run = await runCaptured(sim, sized.args(boundary + 1))

      expect(run.code).toBe(EXIT_CODE.badInput)
      expect(run.stdout).toBe("")
      expect(run.stderr).toMatch(new RegExp(`^${sized.name}: this run is too big: it would exceed the budget of (60 s of run time|1\\.5 GB of memory)`))
      expect(run.stderr).toContain(sized.flag)
    })

    it(`${sized.name}: a run estimated at ${SCALED_RUN_SECONDS} s of simulating takes no more CPU than estimated`, async () => {
      const sim = await load(sized.name)
      const size = largest(sized, (v) => estimateOf(sim, sized.args(v)).seconds - RUN_OVERHEAD_SECONDS <= SCALED_RUN_SECONDS)
      const estimate = estimateOf(sim, sized.args(size))
      expect(fits(estimate)).toBe(true)
      const before = process.cpuUsage()

      const run = await runCaptured(sim, sized.args(size))

      const used = process.cpuUsage(before)
      const cpuSeconds = (used.user + used.system) / 1e6
      expect(run.code).toBe(EXIT_CODE.ok)
      expect({ size, cpuSeconds: Math.min(cpuSeconds, estimate.seconds) }).toEqual({ size, cpuSeconds })
    }, 300_000) // CPU time is what is asserted; wall-clock time on a loaded machine can be several times more
  }
})

describe("the runaway inputs of issue 21", () => {
  const runaways: [string, string[], string][] = [
    ["failure-detector", ["--heartbeat-ms", "0.001", "--duration-ms", "600000"], "--heartbeat-ms"],
    ["mlfq", ["--jobs", "0,1000000,1", "--io-time", "1000000"], "--io-time"],
    ["kafka-acks", ["--rate", "0.001"], "--rate"],
    ["kafka-acks", ["--messages", "2000000"], "--messages"],
    ["like-counter", ["--clients", "64", "--likes", "10000"], "--likes"],
    ["kafka-batching", ["--messages", "2000000", "--batch-size", "0"], "--messages"],
    ["cpu-sched", ["--policy", "rr", "--bursts", "1000000,1000000"], "--quantum"],
  ]
  for (const [name, args, flag] of runaways) {
    it(`refuses ${name} ${args.join(" ")} with exit 2 naming ${flag}`, async () => {
      const run = await runCaptured(await load(name), args)

      expect(run.code).toBe(EXIT_CODE.badInput)
      expect(run.stdout).toBe("")
      expect(run.stderr).toContain("this run is too big")
      expect(run.stderr).toContain(flag)
    })
  }
})
