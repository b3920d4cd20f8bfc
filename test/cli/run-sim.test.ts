import { createHash } from "node:crypto"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import {
  defineSim,
  EXIT_CODE,
  flag,
  type FlagSpecs,
  fromSimulation,
  overBudget,
  Progress,
  RUN_BUDGET,
  type SimDefinition,
  type WorkEstimate,
} from "../../src/cli/index.ts"
import dummySim from "./dummy-sim.ts"
import { rerunLineOf, runCaptured } from "./run-captured.ts"

const scratch = mkdtempSync(join(tmpdir(), "sim-runner-"))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe("runSim text report", () => {
  it("prints the title, every input, the timeline, sections, checks and the rerun line, in that order", async () => {
    const run = await runCaptured(dummySim, [])

    expect(run.code).toBe(EXIT_CODE.ok)
    expect(run.stderr).toBe("")
    const order = ["dummy — a clock that ticks", "Inputs", "Timeline", "Summary", "Checks", "seed=1  rerun:"].map(
      (text) => run.stdout.indexOf(text),
    )
    expect(order.every((position) => position >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
  })

  it("echoes the seed and every param with its default", async () => {
    const run = await runCaptured(dummySim, [])

    for (const line of [
      "--seed",
      "--ticks       4",
      "--interval    2.5",
      "--mode        tick",
      "--label       ding",
      "--fail-check  false",
    ]) {
      expect(run.stdout).toContain(line)
    }
  })

  it("lays the timeline out with fixed-width times and the sim's unit", async () => {
    const run = await runCaptured(dummySim, ["--ticks", "5", "--interval", "250", "--first", "1", "--last", "5"])

    expect(run.stdout).toContain("  [t=  250.0ms] tick 1: ding\n")
    expect(run.stdout).toContain("  [t= 1250.0ms] tick 5: ding\n")
  })

  it("ends with a rerun line that lists the seed and every sim flag", async () => {
    const run = await runCaptured(dummySim, ["--seed", "7", "--label", "two words", "--fail-check"])

    expect(rerunLineOf(run.stdout)).toBe(
      "seed=7  rerun: npx tsx sims/dummy.ts --seed 7 --ticks 4 --interval 2.5 --mode tick --label 'two words' --first 1 --last 3 --fail-check --crash=false",
    )
  })

  it("gives the same text for a bare run and for the same defaults spelled out (both parsing paths agree)", async () => {
    const bare = await runCaptured(dummySim, [])
    const spelled = await runCaptured(dummySim, ["--seed", "1", "--ticks", "4", "--interval=2.5", "--mode", "tick"])

    expect(spelled.stdout).toBe(bare.stdout)
  })

  it("joins a value that starts with - to its flag (--label=-a,b), and replays it", async () => {
    for (const label of ["-a,b", "--ticks", "-", "-1"]) {
      const original = await runCaptured(dummySim, ["--seed", "3", `--label=${label}`])
      const line = rerunLineOf(original.stdout)
      const args = line.replace(/^.*rerun: npx tsx sims\/dummy.ts /, "")
      const argv = [...args.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) =>
        m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!,
      )

      const replayed = await runCaptured(dummySim, argv)

      expect(original.code).toBe(EXIT_CODE.ok)
      expect(argv).toContain(`--label=${label}`)
      expect(argv).not.toContain("--label")
      expect(replayed.code).toBe(EXIT_CODE.ok)
      expect(replayed.stdout).toBe(original.stdout)
    }
  })

  it("replays the same run from its own rerun line", async () => {
    const original = await runCaptured(dummySim, ["--seed", "9", "--ticks", "6", "--label", "it's"])
    const args = rerunLineOf(original.stdout).replace(/^.*rerun: npx tsx sims\/dummy.ts /, "")
    const argv = [...args.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) =>
      m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!,
    )

    const replayed = await runCaptured(dummySim, argv)

    expect(replayed.stdout).toBe(original.stdout)
  })
})

describe("runSim --json", () => {
  it("prints exactly one JSON object with the contract's keys in order, and nothing else", async () => {
    const run = await runCaptured(dummySim, ["--json"])

    expect(run.code).toBe(EXIT_CODE.ok)
    expect(run.stderr).toBe("")
    expect(run.stdout.endsWith("}\n")).toBe(true)
    expect(run.stdout.trimEnd().split("\n")).toHaveLength(1)
    const report = JSON.parse(run.stdout)
    expect(Object.keys(report)).toEqual([
      "sim",
      "seed",
      "params",
      "simTime",
      "timeUnit",
      "events",
      "metrics",
      "checks",
      "traceHash",
    ])
    expect(report.sim).toBe("dummy")
    expect(report.seed).toBe(1)
    expect(report.params).toEqual({
      ticks: 4,
      interval: 2.5,
      mode: "tick",
      label: "ding",
      first: 1,
      last: 3,
      failCheck: false,
      crash: false,
    })
    expect(report.simTime).toBe(10)
    expect(report.timeUnit).toBe("ms")
    expect(report.metrics).toEqual({ ticks: 4, lastTickMs: 10, perTick: { interval: 2.5 } })
    expect(report.checks).toEqual([{ name: "ticks-counted", held: true, detail: "4 ticks, expected 4" }])
    expect(report.traceHash).toMatch(/^[0-9a-f]{64}$/)
  })

  it("gives byte-identical JSON for the same seed and flags", async () => {
    const first = await runCaptured(dummySim, ["--json", "--seed", "3", "--ticks", "9"])
    const second = await runCaptured(dummySim, ["--ticks", "9", "--seed", "3", "--json"])

    expect(second.stdout).toBe(first.stdout)
  })

  it("resolves every param, defaults included, from the flags given", async () => {
    const run = await runCaptured(dummySim, ["--json", "--mode", "tock", "--interval", "1e3"])

    const report = JSON.parse(run.stdout)
    expect(report.params.mode).toBe("tock")
    expect(report.params.interval).toBe(1000)
    expect(report.params.ticks).toBe(4)
  })

  it("treats a non-finite metric as a bug: exit 1 naming the metric, nothing on stdout", async () => {
    const broken = defineSim({
      ...dummySim,
      run: (params, context) => ({ ...dummySim.run(params, context), metrics: { ratio: Infinity } }),
    })

    const run = await runCaptured(broken, ["--json"])

    expect(run.code).toBe(EXIT_CODE.bug)
    expect(run.stdout).toBe("")
    expect(run.stderr).toContain("report.metrics.ratio is Infinity")
  })
})

describe("runSim exit codes", () => {
  it("exits 0 when a check did not hold and --strict was not given", async () => {
    const run = await runCaptured(dummySim, ["--fail-check"])

    expect(run.code).toBe(EXIT_CODE.ok)
    expect(run.stdout).toContain("NOT HELD  ticks-counted  4 ticks, expected 5")
  })

  it("exits 3 with --strict when a check did not hold, and 0 when every check held", async () => {
    const failed = await runCaptured(dummySim, ["--fail-check", "--strict", "--json"])
    const passed = await runCaptured(dummySim, ["--strict"])

    expect(failed.code).toBe(EXIT_CODE.checkFailed)
    expect(JSON.parse(failed.stdout).checks[0].held).toBe(false)
    expect(passed.code).toBe(EXIT_CODE.ok)
  })

  it("exits 1 with the stack on stderr when the sim throws", async () => {
    const run = await runCaptured(dummySim, ["--crash", "--json"])

    expect(run.code).toBe(EXIT_CODE.bug)
    expect(run.stdout).toBe("")
    expect(run.stderr).toContain("internal error")
    expect(run.stderr).toContain("Error: the dummy crashed on purpose\n    at ")
  })

  it("exits 1 when a sim's own default is outside its bounds", async () => {
    const badDefault = defineSim({
      ...dummySim,
      flags: { ...dummySim.flags, ticks: flag.integer({ description: "n", unit: "ticks", default: 0, min: 1 }) },
    })

    const run = await runCaptured(badDefault as unknown as SimDefinition<typeof dummySim.flags>, [])

    expect(run.code).toBe(EXIT_CODE.bug)
    expect(run.stderr).toContain("the default of --ticks (0) is not an integer >= 1")
  })
})

describe("runSim bad input", () => {
  const cases: Array<[string, string[], string]> = [
    ["an unknown flag, with a suggestion", ["--sede", "3"], "unknown flag --sede; did you mean --seed"],
    ["a positional argument", ["extra"], 'unexpected argument "extra"'],
    [
      "a non-integer where an integer is needed",
      ["--ticks", "2.5"],
      'bad value for --ticks: "2.5"; allowed: an integer >= 1 and <= 1000',
    ],
    ["a value out of range", ["--ticks", "0"], "bad value for --ticks: 0; allowed: an integer >= 1 and <= 1000"],
    ["a value at an exclusive bound", ["--interval", "0"], "bad value for --interval: 0; allowed: a number > 0 (ms)"],
    ["a word that is not a choice", ["--mode", "tack"], 'bad value for --mode: "tack"; allowed: one of tick, tock'],
    [
      "a non-finite number",
      ["--interval", "Infinity"],
      'bad value for --interval: "Infinity"; allowed: a number > 0 (ms)',
    ],
    ["a missing value", ["--ticks"], "--ticks needs a value"],
    ["a repeated flag", ["--ticks", "1", "--ticks", "2"], "--ticks was given more than once"],
    ["a negative seed", ["--seed", "-1"], "bad value for --seed: -1; allowed: an integer from 0 to 9007199254740991"],
    ["a fractional seed", ["--seed", "1.5"], 'bad value for --seed: "1.5"; allowed: an integer from 0'],
    [
      "contradictory sim flags",
      ["--first", "5", "--last", "2"],
      "contradictory flags --first 5, --last 2: the first tick shown must not come after the last",
    ],
    ["--quiz with --json", ["--quiz", "--json"], "contradictory flags --quiz, --json"],
    [
      "a word after a switch",
      ["--json", "maybe"],
      'unexpected argument "maybe" after --json, which takes true or false (--json alone: true)',
    ],
    ["a stray word", ["--json", "true", "stray"], 'unexpected argument "stray"; every input is a --flag'],
  ]
  for (const [what, argv, message] of cases) {
    it(`exits 2 on ${what} (${argv.join(" ")}), naming it on stderr, with nothing on stdout`, async () => {
      const run = await runCaptured(dummySim, argv)

      expect(run.code).toBe(EXIT_CODE.badInput)
      expect(run.stdout).toBe("")
      expect(run.stderr).toContain(`dummy: ${message}`)
      expect(run.stderr).toContain("--help to see every flag")
    })
  }

  it("validates a string flag with its own schema and says what is allowed in its own words", async () => {
    const Schema = await import("effect/Schema")
    const labelled = defineSim({
      ...dummySim,
      flags: {
        ...dummySim.flags,
        label: flag.string({
          description: "tick text",
          default: "ding",
          schema: Schema.String.check(Schema.isPattern(/^[a-z]+$/)),
          allowed: "lowercase letters",
        }),
      },
    })

    const bad = await runCaptured(labelled, ["--label", "Dong!"])
    const good = await runCaptured(labelled, ["--label", "dong"])

    expect(bad.code).toBe(EXIT_CODE.badInput)
    expect(bad.stderr).toContain("bad value for --label: Dong!; allowed: lowercase letters")
    expect(good.code).toBe(EXIT_CODE.ok)
  })

  it("reports every problem at once, not only the first", async () => {
    const run = await runCaptured(dummySim, ["--ticks", "0", "--interval", "-1"])

    expect(run.stderr).toContain("bad value for --ticks: 0")
    expect(run.stderr).toContain("bad value for --interval: -1")
  })
})

describe("runSim --help and --quiz", () => {
  it("--help lists every flag with its meaning, unit, allowed values and default, and the common flags", async () => {
    const run = await runCaptured(dummySim, ["--help"])

    expect(run.code).toBe(EXIT_CODE.ok)
    expect(run.stderr).toBe("")
    expect(run.stdout).toMatch(/--interval <number> +time between ticks \(ms\); a number > 0; default 2.5/)
    expect(run.stdout).toMatch(/--mode <word> +how the clock ticks; one of tick, tock; default tick/)
    expect(run.stdout).toMatch(/--fail-check +make the check fail; true or false; default false/)
    for (const common of [
      "--seed <integer>",
      "--json",
      "--trace <file>",
      "--strict",
      "--quiz",
      "--help, -h",
      "Exit codes:",
    ]) {
      expect(run.stdout).toContain(common)
    }
    expect(run.stdout).toContain("Try:")
  })

  it("-h is --help", async () => {
    const long = await runCaptured(dummySim, ["--help"])
    const short = await runCaptured(dummySim, ["-h"])

    expect(short.stdout).toBe(long.stdout)
  })

  it("--quiz prints the scenario, the inputs and the question, but no results or verdicts", async () => {
    const run = await runCaptured(dummySim, ["--quiz", "--mode", "tock"])

    expect(run.code).toBe(EXIT_CODE.ok)
    expect(run.stdout).toContain("Scenario:")
    expect(run.stdout).toContain("--mode        tock")
    expect(run.stdout).toContain("How many times will the clock tock, and when is the last one?")
    expect(run.stdout).toContain("Predict, then check: npx tsx sims/dummy.ts --seed 1")
    expect(run.stdout).not.toContain("Checks")
    expect(run.stdout).not.toContain("ticks-counted")
  })
})

describe("runSim --trace", () => {
  it("writes the trace as JSON lines whose hash is the report's traceHash", async () => {
    const path = join(scratch, "ticks.jsonl")

    const run = await runCaptured(dummySim, ["--json", "--trace", path, "--ticks", "3"])

    const text = readFileSync(path, "utf8")
    const records = text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line))
    expect(records.map((record) => [record.t, record.seq, record.type, record.tick])).toEqual([
      [2.5, 0, "Ticked", 1],
      [5, 1, "Ticked", 2],
      [7.5, 2, "Ticked", 3],
    ])
    expect(createHash("sha256").update(text).digest("hex")).toBe(JSON.parse(run.stdout).traceHash)
  })

  it("exits 2 naming the path when the trace file cannot be created", async () => {
    const path = join(scratch, "no-such-dir", "trace.jsonl")

    const run = await runCaptured(dummySim, ["--trace", path])

    expect(run.code).toBe(EXIT_CODE.badInput)
    expect(run.stdout).toBe("")
    expect(run.stderr).toContain(`cannot write --trace ${path}`)
  })

  it("writes no file when the other flags are bad", async () => {
    const path = join(scratch, "never.jsonl")

    const run = await runCaptured(dummySim, ["--trace", path, "--ticks", "-4"])

    expect(run.code).toBe(EXIT_CODE.badInput)
    expect(existsSync(path)).toBe(false)
  })
})

describe("runSim progress", () => {
  it("draws progress on a terminal stderr and erases it at the end, leaving stdout untouched", async () => {
    let nowMs = 0
    const clock = (): number => (nowMs += 1000)
    const quiet = await runCaptured(dummySim, [])

    const run = await runCaptured(dummySim, [], { stderrIsTTY: true, wallClockMs: clock })

    expect(run.stderr).toMatch(
      /^\r\x1b\[K {2}running: t=10\.0ms of 10\.0ms \(100%\) {2}\d+ events {2}[\d,]+ events\/s {2}ETA 0s\r\x1b\[K$/,
    )
    expect(run.stdout).toBe(quiet.stdout)
  })

  it("shows simulated time of the estimated total, the percentage and the ETA from the share done", () => {
    let nowMs = 0
    let text = ""
    const progress = new Progress(
      { write: (t: string) => (text += t), isTTY: true },
      () => nowMs,
      { unit: "s", decimals: 1 },
      200,
    )

    nowMs = 10_000
    progress.update(50, 1_000_000)
    progress.end()

    expect(text).toBe("\r\x1b[K  running: t=50.0s of 200.0s (25%)  1,000,000 events  100,000 events/s  ETA 30s\r\x1b[K")
  })

  it("shows neither percentage nor ETA when the sim gives no total", () => {
    let nowMs = 0
    let text = ""
    const progress = new Progress({ write: (t: string) => (text += t), isTTY: true }, () => nowMs, {}, 0)

    nowMs = 1000
    progress.update(3, 10)

    expect(text).toBe("\r\x1b[K  running: t=3.0  10 events  10 events/s")
  })

  it("never draws progress with --json", async () => {
    let nowMs = 0

    const run = await runCaptured(dummySim, ["--json"], { stderrIsTTY: true, wallClockMs: () => (nowMs += 1000) })

    expect(run.stderr).toBe("")
  })

  it("draws nothing for a run shorter than the delay", async () => {
    const run = await runCaptured(dummySim, [], { stderrIsTTY: true, wallClockMs: () => 0 })

    expect(run.stderr).toBe("")
  })

  it("runs in slices without changing the outcome of a long run", async () => {
    const long = defineSim({
      ...dummySim,
      run(_params, context) {
        const sim = context.simulation()
        sim.spawn(
          (function* () {
            for (let i = 0; i < 250_000; i++) yield* sim.sleep(1)
          })(),
        )
        const result = context.run(sim, { maxEvents: 240_001 })
        const summary = `${result.reason} after ${result.events} events at t=${result.now}`
        return { ...fromSimulation(sim), metrics: {}, checks: [], sections: [{ title: "Result", lines: [summary] }] }
      },
    })
    let nowMs = 0

    const plain = await runCaptured(long, [])
    const sliced = await runCaptured(long, [], { stderrIsTTY: true, wallClockMs: () => (nowMs += 400) })

    expect(sliced.stderr.split("\r\x1b[K").filter((part) => part.includes("running")).length).toBeGreaterThan(1)
    expect(sliced.stdout).toBe(plain.stdout)
    expect(plain.stdout).toContain("maxEvents after 240001 events at t=240000")
  })
})

describe("runSim budget", () => {
  const budgeted = (estimate: Partial<WorkEstimate>): SimDefinition<FlagSpecs> => ({
    ...(dummySim as unknown as SimDefinition<FlagSpecs>),
    estimate: () => ({ seconds: 1, bytes: 1e8, simTime: 0, events: 123_456, advice: "lower --ticks", ...estimate }),
    run: () => {
      throw new Error("a run over the budget must not start")
    },
  })

  it("refuses a run estimated over 60 s with exit 2, naming the limit, the estimate and the flag, before running it", async () => {
    const run = await runCaptured(budgeted({ seconds: 61 }), ["--ticks", "3"])

    expect(run.code).toBe(EXIT_CODE.badInput)
    expect(run.stdout).toBe("")
    expect(run.stderr).toBe(
      "dummy: this run is too big: it would exceed the budget of 60 s of run time (this run: about 61 s), about 123,456 events; lower --ticks\n",
    )
  })

  it("refuses a run estimated over 1.5 GB, and names both limits when both are exceeded", async () => {
    const memory = await runCaptured(budgeted({ bytes: 1.6e9 }), [])
    const both = await runCaptured(budgeted({ seconds: 1e5, bytes: 2.5e10 }), ["--json"])

    expect(memory.code).toBe(EXIT_CODE.badInput)
    expect(memory.stderr).toContain("the budget of 1.5 GB of memory (this run: about 1.6 GB)")
    expect(both.code).toBe(EXIT_CODE.badInput)
    expect(both.stdout).toBe("")
    expect(both.stderr).toContain(
      "60 s of run time (this run: about 100,000 s) and 1.5 GB of memory (this run: about 25 GB)",
    )
  })

  it("runs a run estimated exactly at the budget", async () => {
    const sim = {
      ...budgeted({ seconds: RUN_BUDGET.seconds, bytes: RUN_BUDGET.bytes }),
      run: dummySim.run,
    } as SimDefinition<FlagSpecs>

    expect((await runCaptured(sim, [])).code).toBe(EXIT_CODE.ok)
  })

  it("refuses a NaN estimate (a bug in an estimate must not let a runaway through)", () => {
    expect(overBudget({ seconds: Number.NaN, bytes: 0, simTime: 0, events: 0, advice: "x" })).toContain(
      "60 s of run time",
    )
  })

  it("refuses a run whose simulated time is not finite (a rate so small its first event is at t=Infinity)", async () => {
    const run = await runCaptured(budgeted({ seconds: 3, simTime: Number.POSITIVE_INFINITY }), [])

    expect(run.code).toBe(EXIT_CODE.badInput)
    expect(run.stdout).toBe("")
    expect(run.stderr).toBe(
      "dummy: this run cannot be simulated: its simulated time would be beyond the largest number the clock holds; lower --ticks\n",
    )
    expect(overBudget({ seconds: 3, bytes: 0, simTime: Number.NaN, events: 0, advice: "x" })).toContain(
      "cannot be simulated",
    )
  })

  it("asks nothing of the estimate for --help and --quiz", async () => {
    const sim = budgeted({ seconds: 1e9 })

    expect((await runCaptured(sim, ["--help"])).code).toBe(EXIT_CODE.ok)
    expect((await runCaptured(sim, ["--quiz"])).code).toBe(EXIT_CODE.ok)
  })
})
