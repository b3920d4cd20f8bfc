/**
 * `npm run bench`: runs the four workloads on the engine and on the hand-written ceiling, side by
 * side, and prints the table the benchmark contract asks for.
 *
 * Every run is a fresh child process (`node --import tsx bench/<workload>.ts`), so one workload's
 * JIT state and garbage never slow another. Engine and ceiling runs alternate, `--reps` times each
 * (default 5), and the table shows the MEDIAN events/s of each side; the ratio is median engine over
 * median ceiling (the number the targets are judged on). Beside it, the best-of-N ratio divides the
 * fastest engine run by the fastest ceiling run: other work on a shared machine only slows runs
 * down, so on a noisy machine it is the steadier of the two. The trajectory column compares `events`, `simTime` and `meanWait` of both sides
 * with SimPy's recorded results (`bench/reference/simpy.json`) to a relative 1e-9, when the sizes
 * are ones SimPy was recorded at (the defaults, or `--small`); otherwise it says `n/a`.
 *
 * Every result line is also appended, as JSON, to `bench/results/<date>.jsonl` (not committed).
 *
 * Flags: `--reps N`, `--small` (the sizes of the trajectory tests), `--only timeouts,mm1`.
 * Sizes can also be set with BENCH_PROCS, BENCH_EVENTS, BENCH_CUSTOMERS and BENCH_ITEMS.
 *
 * `--models` runs the model benches instead (`redis.ts`, `promql.ts`, `kafka.ts`,
 * `kafka-consume.ts`, `ranking.ts`: no ceiling, each against its issue's target), `--reps` child
 * processes each at their own default sizes, and shows the median wall and CPU time, the median
 * rate and the largest peak RSS; `--only kafka,kafka-consume` picks some.
 * Exit code 1 if a run fails or a trajectory differs from SimPy's.
 */
import { execFileSync } from "node:child_process"
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import type { BenchResult } from "./bench-kit.ts"

/** The workloads, in table order, with the contract's first-bar ratio for each. */
const WORKLOADS = [
  { name: "timeouts", targetRatio: 0.5 },
  { name: "mm1", targetRatio: 0.5 },
  { name: "mm2", targetRatio: 0.5 },
  { name: "pingpong", targetRatio: 0.3 },
] as const

/** A model bench: its script's name, the rate it reports, and its issue's target. */
interface ModelBench {
  readonly name: string
  /** The rate shown: the result's field counting records, commands or events per second of wall time. */
  readonly rateField: string
  readonly target: string
  /** Whether the median result (peak RSS: the largest) meets the target. */
  readonly meets: (result: Readonly<Record<string, number>>) => boolean
}

/** The model benches, each with the target its issue set. */
const MODEL_BENCHES: readonly ModelBench[] = [
  {
    name: "redis",
    rateField: "commandsPerSec",
    target: ">= 2,000,000 commands per CPU-second",
    meets: (r) => r.commandsPerCpuSec! >= 2_000_000,
  },
  { name: "promql", rateField: "eventsPerSec", target: "< 2 s of wall time", meets: (r) => r.wallMs! < 2000 },
  {
    name: "kafka",
    rateField: "recordsPerSec",
    target: ">= 300,000 records/s",
    meets: (r) => r.recordsPerSec! >= 300_000,
  },
  {
    name: "kafka-consume",
    rateField: "recordsPerSec",
    target: ">= 1,000,000 records/s, < 300 MB",
    meets: (r) => r.recordsPerSec! >= 1_000_000 && r.peakRssMb! < 300,
  },
  { name: "ranking", rateField: "eventsPerSec", target: "< 1 s of wall time", meets: (r) => r.wallMs! < 1000 },
]

/** The sizes the small SimPy reference was recorded at (also used by test/bench). */
const SMALL_SIZES = { BENCH_PROCS: "50", BENCH_EVENTS: "20000", BENCH_CUSTOMERS: "5000", BENCH_ITEMS: "5000" }
const DEFAULT_SIZES = { BENCH_PROCS: "1000", BENCH_EVENTS: "1000000", BENCH_CUSTOMERS: "200000", BENCH_ITEMS: "500000" }
/** Relative tolerance of the trajectory comparison. */
const TRAJECTORY_TOLERANCE = 1e-9

const benchDir = dirname(fileURLToPath(import.meta.url))
const rootDir = dirname(benchDir)

interface Flags {
  readonly reps: number
  readonly small: boolean
  readonly only: readonly string[] | undefined
  readonly models: boolean
}

function parseFlags(argv: readonly string[]): Flags {
  let reps = 5
  let small = false
  let only: string[] | undefined
  let models = false
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    if (flag === "--small") small = true
    else if (flag === "--reps") reps = Number(argv[++i])
    else if (flag === "--only") only = (argv[++i] ?? "").split(",")
    else if (flag === "--models") models = true
    else throw new Error(`unknown flag ${flag}; expected --reps N, --small, --only a,b, --models`)
  }
  if (!Number.isInteger(reps) || reps < 1) throw new Error("--reps must be an integer >= 1")
  return { reps, small, only, models }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function runChild(script: string, sizes: Record<string, string>): BenchResult & Record<string, unknown> {
  const out = execFileSync(process.execPath, ["--import", "tsx", script], {
    cwd: rootDir,
    env: { ...process.env, ...sizes },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  })
  const lines = out.trim().split("\n")
  return JSON.parse(lines[lines.length - 1]!)
}

/** Which recorded SimPy size set the current sizes equal, if any. */
function referenceSet(sizes: Record<string, string>): "default" | "small" | undefined {
  const same = (other: Record<string, string>) => Object.entries(other).every(([k, v]) => sizes[k] === v)
  if (same(DEFAULT_SIZES)) return "default"
  if (same(SMALL_SIZES)) return "small"
  return undefined
}

function relativeDifference(a: unknown, b: unknown): number {
  if (typeof a !== "number" || typeof b !== "number") return a === b ? 0 : Infinity
  if (a === b) return 0
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b))
}

/** True when `result` has SimPy's events, simTime and meanWait to a relative 1e-9. */
function sameTrajectory(result: Record<string, unknown>, reference: Record<string, unknown>): boolean {
  return ["events", "simTime", "meanWait"].every(
    (key) => relativeDifference(result[key], reference[key]) <= TRAJECTORY_TOLERANCE,
  )
}

function formatRate(eventsPerSec: number | undefined): string {
  if (eventsPerSec === undefined) return "-"
  return `${(eventsPerSec / 1e6).toFixed(2)} M`
}

/** Prints a table with a header and a rule under it. */
function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd()
  process.stdout.write(`${line(header)}\n${line(widths.map((w) => "-".repeat(w)))}\n`)
  for (const row of rows) process.stdout.write(`${line(row)}\n`)
}

/** `--models`: each model bench `reps` times at its own default sizes, against its target. */
function runModels(flags: Flags, resultsFile: string, runId: string): void {
  process.stdout.write(`node ${process.version}, ${flags.reps} reps per bench, medians (peak RSS: the largest)\n\n`)
  const rows: string[][] = []
  for (const bench of MODEL_BENCHES) {
    if (flags.only !== undefined && !flags.only.includes(bench.name)) continue
    const results: Record<string, unknown>[] = []
    for (let rep = 0; rep < flags.reps; rep++) {
      const result = runChild(join("bench", `${bench.name}.ts`), {})
      results.push(result)
      appendFileSync(resultsFile, `${JSON.stringify({ runId, side: "model", rep, ...result })}\n`)
    }
    const summary: Record<string, number> = {}
    for (const key of Object.keys(results[0]!))
      if (typeof results[0]![key] === "number") summary[key] = median(results.map((r) => Number(r[key])))
    summary.peakRssMb = Math.max(...results.map((r) => Number(r.peakRssMb ?? 0)))
    rows.push([
      bench.name,
      `${Math.round(summary.wallMs!)}`,
      summary.cpuMs === undefined ? "-" : `${Math.round(summary.cpuMs)}`,
      formatRate(summary[bench.rateField]),
      summary.peakRssMb > 0 ? `${summary.peakRssMb}` : "-",
      bench.target,
      bench.meets(summary) ? "yes" : "NO",
    ])
  }
  printTable(["bench", "wall ms", "CPU ms", "rate /s", "peak RSS MB", "target", "met"], rows)
  process.stdout.write(`\nraw results appended to ${resultsFile}\n`)
}

function main(): void {
  const flags = parseFlags(process.argv.slice(2))
  const base = flags.small ? SMALL_SIZES : DEFAULT_SIZES
  const sizes: Record<string, string> = {}
  for (const key of Object.keys(base) as (keyof typeof base)[]) sizes[key] = process.env[key] || base[key]
  const referencePath = join(benchDir, "reference", "simpy.json")
  const reference = existsSync(referencePath) ? JSON.parse(readFileSync(referencePath, "utf8")) : undefined
  const referenceSizes = referenceSet(sizes)
  const resultsDir = join(benchDir, "results")
  mkdirSync(resultsDir, { recursive: true })
  const resultsFile = join(resultsDir, `${new Date().toISOString().slice(0, 10)}.jsonl`)
  const runId = new Date().toISOString()
  if (flags.models) return runModels(flags, resultsFile, runId)

  process.stdout.write(
    `node ${process.version}, ${flags.reps} reps per side, median events/s; sizes ${Object.entries(sizes)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ")}\n\n`,
  )
  const header = [
    "workload",
    "engine",
    "ceiling",
    "ratio",
    "target",
    "best-of-N ratio",
    "SimPy (recorded)",
    "trajectory = SimPy",
  ]
  const rows: string[][] = []
  let failed = false
  for (const workload of WORKLOADS) {
    if (flags.only !== undefined && !flags.only.includes(workload.name)) continue
    const engineRates: number[] = []
    const ceilingRates: number[] = []
    let trajectoryOk = true
    const simpy = referenceSizes === undefined ? undefined : reference?.results?.[referenceSizes]?.[workload.name]
    for (let rep = 0; rep < flags.reps; rep++) {
      for (const [side, script, rates] of [
        ["engine", join("bench", `${workload.name}.ts`), engineRates],
        ["ceiling", join("bench", "baseline", `${workload.name}.ts`), ceilingRates],
      ] as const) {
        const result = runChild(script, sizes)
        rates.push(result.eventsPerSec)
        if (simpy !== undefined && !sameTrajectory(result, simpy)) trajectoryOk = false
        appendFileSync(resultsFile, `${JSON.stringify({ runId, side, rep, ...result })}\n`)
      }
    }
    const engine = median(engineRates)
    const ceiling = median(ceilingRates)
    const ratio = engine / ceiling
    // Noise from other work on the machine only ever slows a run down, so the fastest run of each
    // side is a second, steadier view of the ratio (shown beside the median; the target uses the median).
    const bestRatio = Math.max(...engineRates) / Math.max(...ceilingRates)
    if (simpy !== undefined && !trajectoryOk) failed = true
    rows.push([
      workload.name,
      formatRate(engine),
      formatRate(ceiling),
      `${ratio.toFixed(2)}${ratio >= workload.targetRatio ? "" : " (below)"}`,
      workload.targetRatio.toFixed(1),
      bestRatio.toFixed(2),
      formatRate(simpy?.eventsPerSec),
      simpy === undefined ? "n/a" : trajectoryOk ? "yes" : "NO",
    ])
  }
  printTable(header, rows)
  process.stdout.write(`\nraw results appended to ${resultsFile}\n`)
  if (failed) {
    process.stdout.write("a trajectory differs from SimPy's: the kernel's semantics changed\n")
    process.exitCode = 1
  }
}

main()
