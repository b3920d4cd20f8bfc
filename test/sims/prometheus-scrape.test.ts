/**
 * The prometheus-scrape sim: its bad inputs, its JSON contract, and its `queries` evaluated by a
 * real Prometheus (`promtool test rules`, Prometheus 2.42) over its own `samples`: every value must
 * be the same float64 (promtool compares with Go's DeepEqual), on the default run and on a run
 * with a restart and a short spike. Skipped, saying so, only when promtool is missing.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import prometheusScrape from "../../sims/prometheus-scrape.ts"
import { runCapturedOnce } from "../cli/run-captured.ts"
import { binaryOnPath } from "../real-tools.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("prometheus-scrape", {
  badInputs: [
    { args: ["--rate-window", "10x"], stderr: "bad value for --rate-window 10x: a PromQL duration" },
    { args: ["--rate-window", "20s"], stderr: "need two samples in their window" },
    { args: ["--buckets", "0.1,0.05"], stderr: "bad value for --buckets" },
    { args: ["--restart-at-s", "2000"], stderr: "must start before the run ends" },
    { args: ["--instances", "0"], stderr: "bad value for --instances: 0" },
  ],
})

interface Series {
  name: string
  labels: Record<string, string>
  values: [number, number | string][]
}

interface Report {
  metrics: {
    samples: Series[]
    queries: { expr: string; t: number; value: number | string | null }[]
    trueRate: [number, number][]
    exactP99: number
    estimatedP99: number
    alertFiredAtS: number | null
    alertDelayS: number | null
  }
  checks: { name: string; held: boolean; detail: string }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCapturedOnce(prometheusScrape, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

/** promtool's input notation for samples on whole seconds: a value at each sample's second, `_` between. */
function notation(values: Series["values"]): string {
  const parts: string[] = []
  let next = 0
  for (const [t, value] of values) {
    expect(Number.isInteger(t), `sample at ${t} s is not on a whole second`).toBe(true)
    if (t > next) parts.push(`_x${t - next}`)
    parts.push(String(value))
    next = t + 1
  }
  return parts.join(" ")
}

function selector(series: Series): string {
  const pairs = Object.entries(series.labels).map(([k, v]) => `${k}="${v}"`)
  return `${series.name}{${pairs.join(",")}}`
}

function rulesTest(metrics: Report["metrics"]): string {
  // evaluation_interval 1s: promtool appends the input series in steps of it up to the last
  // eval_time, so with 15s an evaluation after the last whole step would miss the samples since.
  const lines = ["rule_files: []", "evaluation_interval: 1s", "tests:", "  - interval: 1s", "    input_series:"]
  for (const series of metrics.samples)
    lines.push(`      - series: '${selector(series)}'`, `        values: '${notation(series.values)}'`)
  lines.push("    promql_expr_test:")
  // NaN cannot be an expected value (Go's DeepEqual says NaN != NaN): those are left out.
  for (const query of metrics.queries.filter((q) => q.value !== "NaN")) {
    lines.push(`      - expr: '${query.expr}'`, `        eval_time: ${Math.round(query.t * 1000)}ms`)
    if (query.value === null) lines.push("        exp_samples: []")
    else lines.push("        exp_samples:", "          - labels: '{}'", `            value: ${query.value}`)
  }
  return `${lines.join("\n")}\n`
}

function promtoolRun(metrics: Report["metrics"]): { code: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "promtool-sim-"))
  try {
    const file = join(dir, "test.yml")
    writeFileSync(file, rulesTest(metrics))
    const run = spawnSync(promtool!, ["test", "rules", file], { encoding: "utf8", timeout: 300_000 })
    return { code: run.status, output: `${run.stdout}${run.stderr}` }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const promtool = binaryOnPath("promtool")
if (promtool === undefined)
  console.warn("prometheus-scrape replay: SKIPPED, no promtool on PATH (apt-get install -y prometheus)")

describe("sim prometheus-scrape", () => {
  it("reports every scraped series on whole seconds, one query value per expression and evaluation, and the truth", async () => {
    const { metrics, checks } = await report([])
    // 2 instances × (2 codes + 12 buckets + sum + count + 3 quantiles + sum + count + up)
    expect(metrics.samples).toHaveLength(44)
    const exprs = new Set(metrics.queries.map((q) => q.expr))
    expect(exprs.size).toBe(8)
    expect(metrics.queries.length).toBe(8 * metrics.trueRate.length)
    const found = metrics.queries.filter((q) => !q.expr.includes(" > ") && q.value === null)
    expect(found.length).toBeLessThan(40) // the first evaluations, before two scrapes are in the window
    expect(metrics.queries.filter((q) => q.value === "NaN").length).toBeLessThan(3) // a summary scraped before any request
    expect(metrics.alertDelayS).toBeCloseTo(metrics.alertFiredAtS! - 600, 9)
    expect(Math.abs(metrics.estimatedP99 - metrics.exactP99) / metrics.exactP99).toBeLessThan(0.05)
    expect(checks.map((c) => [c.name, c.held])).toEqual([
      ["rate-never-negative", true],
      ["alert-fired", true],
    ])
  })

  it("fires no earlier than `for` after the errors begin and no later than for + rate window + evaluation + scrape interval", async () => {
    for (const args of [[], ["--alert-for", "2m", "--seed", "3"], ["--evaluation-interval-s", "60", "--seed", "4"]]) {
      const { metrics } = await report(args)
      const forS = args.includes("2m") ? 120 : 300
      const evaluationS = args.includes("60") ? 60 : 15
      expect(metrics.alertDelayS!).toBeGreaterThanOrEqual(forS)
      expect(metrics.alertDelayS!).toBeLessThanOrEqual(forS + 60 + evaluationS + 15)
    }
  }, 120_000)

  it("does not fire on a 10-second spike, which a 1-minute rate() flattens", async () => {
    const { metrics, checks } = await report(["--spike-s", "10", "--spike-rps", "500"])
    expect(metrics.alertFiredAtS).toBeNull()
    expect(checks.find((c) => c.name === "alert-fired")!.held).toBe(false)
    const peakTrue = Math.max(...metrics.trueRate.map(([, v]) => v))
    const rates = metrics.queries.filter((q) => q.expr.startsWith("sum (rate(http_request_duration_seconds_count"))
    const peakRate = Math.max(...rates.map((q) => (typeof q.value === "number" ? q.value : 0)))
    expect(peakTrue).toBeGreaterThan(250)
    expect(peakRate).toBeLessThan(peakTrue / 2)
  })

  describe.skipIf(promtool === undefined)("its queries through a real Prometheus (promtool 2.42)", () => {
    for (const args of [
      [],
      ["--restart-at-s", "900", "--spike-at-s", "300", "--spike-s", "30", "--spike-rps", "400"],
    ]) {
      it(`gives every query's value as Prometheus does over the run's samples: ${args.join(" ") || "the default run"}`, async () => {
        const { metrics } = await report(args)
        const run = promtoolRun(metrics)
        if (run.code !== 0) expect.fail(`promtool disagrees:\n${run.output.slice(0, 4000)}`)
      }, 300_000)
    }

    it("fails on one value one ulp off: the comparison is exact", async () => {
      const { metrics } = await report(["--duration-s", "300", "--spike-at-s", "120"])
      const k = metrics.queries.findIndex((q) => typeof q.value === "number" && q.value !== 0)
      const queries = metrics.queries.map((q, i) =>
        i === k ? { ...q, value: (q.value as number) * (1 + Number.EPSILON) } : q,
      )
      expect(promtoolRun({ ...metrics, queries }).code).not.toBe(0)
    }, 120_000)
  })
})
