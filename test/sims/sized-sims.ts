/**
 * Every sim with the flag that makes its runs long (the other flags at their heaviest shape, e.g.
 * batch size 1), and the helpers that find, from the sim's own estimate, the largest value of that
 * flag the run budget admits. Shared by test/sims/budget*.test.ts and scripts/largest-runs.ts.
 */
import { type FlagSpecs, RUN_BUDGET, type SimDefinition, type WorkEstimate } from "../../src/cli/index.ts"
import { parseCommandLine } from "../../src/cli/parse-command-line.ts"

/** A sim and the flag that sizes its runs. */
export interface SizedSim {
  readonly name: string
  /** The flag that sizes the run, named in the refusal. */
  readonly flag: string
  /** The command line for size `v`. */
  readonly args: (v: number) => string[]
  readonly min: number
  readonly max: number
}

const c100000 = (v: number): string => Array.from({ length: v }, () => "c100000").join(":")

/** One entry per sim. */
export const SIZED: readonly SizedSim[] = [
  { name: "mm-queue", flag: "--customers", args: (v) => ["--customers", String(v)], min: 1, max: 5_000_000 },
  {
    name: "batch-commit",
    flag: "--rows",
    args: (v) => ["--rows", String(v), "--batch-size", "1"],
    min: 1,
    max: 1_000_000,
  },
  {
    name: "failure-detector",
    flag: "--duration-ms",
    args: (v) => ["--heartbeat-ms", "0.01", "--duration-ms", String(v)],
    min: 1,
    max: 600_000,
  },
  {
    name: "kafka-acks",
    flag: "--messages",
    args: (v) => ["--messages", String(v), "--rate", "1000"],
    min: 0,
    max: 2_000_000,
  },
  {
    name: "kafka-batching",
    flag: "--messages",
    args: (v) => ["--messages", String(v), "--batch-size", "0"],
    min: 1,
    max: 2_000_000,
  },
  {
    name: "kafka-ordering",
    flag: "--messages",
    args: (v) => ["--messages", String(v), "--rate", "100"],
    min: 1,
    max: 1_000_000,
  },
  {
    name: "like-counter",
    flag: "--likes",
    args: (v) => ["--clients", "64", "--likes", String(v)],
    min: 1,
    max: 10_000,
  },
  {
    name: "lost-update-explorer",
    flag: "--samples",
    args: (v) => ["--clients", "3", "--samples", String(v)],
    min: 1,
    max: 10_000,
  },
  {
    name: "hot-ranking",
    flag: "--duration-ms",
    args: (v) => [
      ...["--votes-per-sec", "100000", "--articles", "10000", "--period-ms", "100", "--pause-ms", "0"],
      ...["--duration-ms", String(v)],
    ],
    min: 100,
    max: 600_000,
  },
  {
    name: "consumer-group",
    flag: "--duration-ms",
    args: (v) => ["--rate", "20000", "--duration-ms", String(v)],
    min: 1,
    max: 600_000,
  },
  { name: "gc", flag: "--duration-ms", args: (v) => ["--duration-ms", String(v)], min: 1, max: 600_000 },
  {
    name: "goroutine-leak",
    flag: "--duration-s",
    args: (v) => ["--rps", "10000", "--duration-s", String(v)],
    min: 1,
    max: 86_400,
  },
  {
    name: "kafka-backlog",
    flag: "--duration-ms",
    args: (v) => ["--remedy", "async", "--workers", "64", "--rate", "20000", "--duration-ms", String(v)],
    min: 1,
    max: 600_000,
  },
  {
    name: "read-history",
    flag: "--duration-ms",
    args: (v) => ["--rate", "2000", "--join-at-ms", "0", "--duration-ms", String(v)],
    min: 1,
    max: 600_000,
  },
  {
    name: "kafka-commit",
    flag: "--records",
    args: (v) => [
      ...["--records", String(v), "--rate", "2000", "--commit", "contiguous", "--workers", "64"],
      ...["--processing-ms", "0", "--duration-ms", "300000"],
    ],
    min: 1,
    max: 20_000,
  },
  {
    name: "prometheus-scrape",
    flag: "--duration-s",
    args: (v) => ["--rps", "2000", "--spike-s", "0", "--duration-s", String(v)],
    min: 60,
    max: 86_400,
  },
  { name: "mlfq", flag: "--jobs", args: (v) => ["--jobs", `0,${v},0`], min: 1, max: 1e9 },
  { name: "process-run", flag: "--programs", args: (v) => ["--programs", c100000(v)], min: 1, max: 50 },
  {
    name: "paging",
    flag: "--random-refs",
    args: (v) => ["--policy", "lfu", "--frames", "1000", "--max-page", "2000", "--random-refs", String(v)],
    min: 1,
    max: 1_000_000,
  },
  {
    name: "malloc",
    flag: "--num-ops",
    args: (v) => ["--heap-size", "100", "--num-ops", String(v)],
    min: 1,
    max: 100_000,
  },
  {
    name: "http2-vs-http1",
    flag: "--resources",
    args: (v) => ["--resources", String(v), "--loss", "0.1", "--protocol", "h1"],
    min: 1,
    max: 2000,
  },
  {
    name: "http2-flow-control",
    flag: "--bytes-per-stream",
    args: (v) => ["--bytes-per-stream", String(v), "--new-initial-window", "1", "--settings-at-ms", "0"],
    min: 0,
    max: 10_000_000,
  },
  { name: "cpu-sched", flag: "--bursts", args: (v) => ["--policy", "rr", "--bursts", `${v},${v}`], min: 1, max: 1e9 },
  {
    name: "multilevel-paging",
    flag: "--num-addresses",
    args: (v) => ["--num-addresses", String(v)],
    min: 0,
    max: 1_000_000,
  },
  {
    name: "paging-translate",
    flag: "--num-addresses",
    args: (v) => ["--num-addresses", String(v)],
    min: 0,
    max: 1_000_000,
  },
  {
    name: "relocation",
    flag: "--num-addresses",
    args: (v) => ["--num-addresses", String(v)],
    min: 0,
    max: 1_000_000,
  },
  {
    name: "segmentation",
    flag: "--num-addresses",
    args: (v) => ["--num-addresses", String(v)],
    min: 0,
    max: 1_000_000,
  },
  {
    name: "tcp-congestion",
    flag: "--duration-s",
    args: (v) => ["--bandwidth-mbps", "1000", "--queue-packets", "5000", "--duration-s", String(v)],
    min: 1,
    max: 3600,
  },
  {
    name: "concurrent-map",
    flag: "--duration-ms",
    args: (v) => [
      ...["--readers", "64", "--writers", "64", "--read-fraction", "0", "--keys", "1"],
      ...["--duration-ms", String(v / 100)],
    ],
    min: 1,
    max: 100_000,
  },
  {
    name: "thread-pool",
    flag: "--tasks",
    args: (v) => ["--tasks", String(v), "--interval-ms", "1", "--queue", "unbounded"],
    min: 1,
    max: 1_000_000,
  },
  {
    name: "tcp-rounds",
    flag: "--rounds",
    args: (v) => ["--rounds", String(v), "--ssthresh", "1000000", "--events", `${v}:timeout`],
    min: 1,
    max: 1000,
  },
]

/** The sim's definition (importing a sim file does not run it). */
export async function loadSim(name: string): Promise<SimDefinition<FlagSpecs>> {
  return (await import(`../../sims/${name}.ts`)).default
}

/** The estimate of the run `args` (text or JSON as `args` says). */
export function estimateOf(sim: SimDefinition<FlagSpecs>, args: readonly string[]): WorkEstimate {
  const line = parseCommandLine(sim, args)
  if (line.kind !== "run") {
    const why = line.kind === "bad-input" ? line.problems.join("; ") : line.kind
    throw new Error(`${sim.name} ${args.join(" ")}: ${why}`)
  }
  return sim.estimate(line.params, { seed: line.options.seed, output: line.options.json ? "json" : "text" })
}

/** Whether the estimate is within the run budget. */
export function fits(estimate: WorkEstimate): boolean {
  return estimate.seconds <= RUN_BUDGET.seconds && estimate.bytes <= RUN_BUDGET.bytes
}

/** The largest integer size in [min, max] for which `ok` holds (`ok` is monotone: true, then false). */
export function largest(sized: SizedSim, ok: (v: number) => boolean): number {
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

/** The command line of `sized` at size `v`, with `--json` first for the JSON report. */
export function argsOf(sized: SizedSim, v: number, output: "text" | "json"): string[] {
  return output === "json" ? ["--json", ...sized.args(v)] : sized.args(v)
}
