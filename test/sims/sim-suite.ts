/**
 * The tests every sim gets from one line: `describeSim("mm-queue")` in `test/sims/<name>.test.ts`.
 *
 * - golden: the bare run's text equals `test/sims/golden/<name>.txt` (regenerate with
 *   `UPDATE_GOLDEN=1 npx vitest run test/sims`, then review the diff: a change in how randomness is
 *   consumed shows up there);
 * - `--json` prints one object with the report contract's keys, every param resolved;
 * - the same seed gives byte-identical JSON, another seed another trace hash (the same one for a
 *   sim that draws nothing from the seed: `seedless`);
 * - the rerun line replays the same run;
 * - `--help` lists every flag with its default, `--quiz` asks without answering;
 * - the report, `--help` and `--quiz` fit 100 columns; `--ascii` prints ASCII only;
 * - bad input (generic cases plus the sim's own) exits 2 with nothing on stdout;
 * - one real process exits 0 with JSON and 2 on an unknown flag: the sim bundled for the test run
 *   (bundle-sims.ts), which runs as `npx tsx sims/<name>.ts` does (sim-bundle.test.ts compares
 *   them byte for byte; index.test.ts runs every sim's module through tsx).
 *
 * Sims are imported in-process (their `runMain` does nothing when imported) and run with captured
 * output, so the suite costs about as much as the runs themselves plus two process spawns.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { EXIT_CODE, type FlagSpecs, flagName, type SimDefinition } from "../../src/cli/index.ts"
import { timeUnitOf } from "../../src/cli/json-report.ts"
import { FAULT_KINDS } from "../../src/net/index.ts"
import { textWidth } from "../../src/cli/wrap-text.ts"
import { type CapturedRun, rerunLineOf, runCaptured, runCapturedOnce } from "../cli/run-captured.ts"
import { type Command, simCommand } from "./sim-command.ts"

const root = join(import.meta.dirname, "..", "..")

/** The fields of a Chrome trace event this suite checks. */
interface PerfettoEvent {
  readonly name: string
  readonly ph: string
  readonly ts?: number
  readonly pid: number
  readonly tid: number
  readonly id?: string
}

/**
 * What is wrong with a `--perfetto` file's events: a field missing, an async slice begun twice or
 * ended without a beginning, or an event earlier than the one before it in the same run.
 */
function perfettoProblems(events: readonly PerfettoEvent[]): string[] {
  const problems: string[] = []
  const open = new Set<string>()
  const lastTs = new Map<number, number>()
  events.forEach((event, i) => {
    if (typeof event.name !== "string" || !Number.isInteger(event.pid) || !Number.isInteger(event.tid))
      problems.push(`event ${i} lacks name, pid or tid`)
    if (event.ph === "M") return
    if (typeof event.ts !== "number" || !Number.isFinite(event.ts)) problems.push(`event ${i} has no finite ts`)
    else if (event.ts < (lastTs.get(event.pid) ?? -Infinity)) problems.push(`event ${i} goes back in time`)
    else lastTs.set(event.pid, event.ts)
    if (event.ph === "b") {
      if (open.has(event.id!)) problems.push(`slice ${event.id} begun twice`)
      open.add(event.id!)
    } else if (event.ph === "e") {
      if (!open.delete(event.id!)) problems.push(`slice ${event.id} ended without a beginning`)
    } else if (event.ph !== "i") problems.push(`event ${i} has phase ${event.ph}`)
  })
  return problems
}

/** A command line the sim must reject, and a fragment of the message expected on stderr. */
export interface BadInput {
  readonly args: readonly string[]
  readonly stderr: string
}

/** Options of {@link describeSim}. */
export interface SimSuiteOptions {
  /** The sim's own bad inputs, on top of the generic ones. Default: none. */
  readonly badInputs?: readonly BadInput[]
  /** Flags added to every JSON run (keep the runs small). Default: none (the bare run's params). */
  readonly jsonArgs?: readonly string[]
  /**
   * The sim draws nothing from the seed (its scenario line says so): another seed must give the
   * same trace hash, where a sim that draws must give another. Default false.
   */
  readonly seedless?: boolean
}

function parseArgs(command: string): string[] {
  return [...command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) =>
    m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!,
  )
}

/** Registers the standard tests of the sim `sims/<name>.ts` (its default export). */
export function describeSim(name: string, options: SimSuiteOptions = {}): void {
  const jsonArgs = options.jsonArgs ?? []
  let sim: SimDefinition<FlagSpecs>
  let bare: CapturedRun
  let json: CapturedRun

  describe(`sim ${name}`, () => {
    beforeAll(async () => {
      sim = (await import(join(root, "sims", `${name}.ts`))).default
      // The same runs as the file's own tests of the bare run (one run each, see runCapturedOnce).
      bare = await runCapturedOnce(sim, [])
      json = await runCapturedOnce(sim, ["--json", ...jsonArgs])
    })

    it("prints the golden text on a bare run (UPDATE_GOLDEN=1 rewrites it)", () => {
      const path = join(root, "test", "sims", "golden", `${name}.txt`)
      if (process.env.UPDATE_GOLDEN === "1") {
        mkdirSync(join(root, "test", "sims", "golden"), { recursive: true })
        writeFileSync(path, bare.stdout)
      }
      if (!existsSync(path))
        expect.fail(`no golden file ${path}: create it with UPDATE_GOLDEN=1 npx vitest run test/sims`)

      expect(bare.code).toBe(EXIT_CODE.ok)
      expect(bare.stderr).toBe("")
      expect(bare.stdout).toBe(readFileSync(path, "utf8"))
    })

    it("fits 100 columns by default in its report, --help and --quiz; --ascii prints ASCII only, in all three", async () => {
      const widest = (text: string): number =>
        text.split("\n").reduce((most, line) => Math.max(most, textWidth(line)), 0)
      const help = await runCaptured(sim, ["--help"])
      const quiz = await runCaptured(sim, ["--quiz"])
      const ascii = await runCaptured(sim, ["--ascii"])

      expect([widest(bare.stdout), widest(help.stdout), widest(quiz.stdout)]).toEqual([
        Math.min(100, widest(bare.stdout)),
        Math.min(100, widest(help.stdout)),
        Math.min(100, widest(quiz.stdout)),
      ])
      const asciiHelp = await runCaptured(sim, ["--ascii", "--help"])
      const asciiQuiz = await runCaptured(sim, ["--ascii", "--quiz"])

      expect(ascii.code).toBe(EXIT_CODE.ok)
      expect(ascii.stdout.match(/[^\x00-\x7f]/gu) ?? []).toEqual([])
      // concurrent-map's --help said "(µs)": the micro sign was not spelled.
      expect(asciiHelp.stdout.match(/[^\x00-\x7f]/gu) ?? []).toEqual([])
      expect(asciiQuiz.stdout.match(/[^\x00-\x7f]/gu) ?? []).toEqual([])
      expect(widest(ascii.stdout)).toBeLessThanOrEqual(100)
    })

    it("prints exactly one JSON object with the report contract's keys and every param", () => {
      expect(json.code).toBe(EXIT_CODE.ok)
      expect(json.stderr).toBe("")
      expect(json.stdout.trimEnd().split("\n")).toHaveLength(1)
      const report = JSON.parse(json.stdout)
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
      expect(report.timeUnit).toBe(timeUnitOf(sim))
      const undocumented = Object.keys(report.metrics).filter((key) => !(sim.metrics?.[key]?.unit ?? "").trim())
      expect(undocumented, "metrics without a documented unit (add them to the sim's metrics)").toEqual([])
      expect(["ns", "ms", "s", "ticks", "time units", "steps"]).toContain(report.timeUnit)
      expect(report.sim).toBe(name)
      expect(report.seed).toBe(1)
      expect(Object.keys(report.params)).toEqual(Object.keys(sim.flags))
      expect(typeof report.simTime).toBe("number")
      expect(Number.isInteger(report.events) && report.events > 0).toBe(true)
      expect(typeof report.metrics).toBe("object")
      for (const check of report.checks) {
        expect(Object.keys(check)).toEqual(["name", "held", "detail"])
        expect(typeof check.held).toBe("boolean")
      }
      expect(report.traceHash).toMatch(/^[0-9a-f]{64}$/)
    })

    it("gives byte-identical JSON for the same seed and flags", async () => {
      const again = await runCaptured(sim, ["--json", ...jsonArgs])

      expect(again.stdout).toBe(json.stdout)
    })

    it("records the same trace twice for the same seed (the determinism law), naming the first diverging record", async () => {
      const traceOf = async (): Promise<string[]> => {
        const lines: string[] = []
        const run = await runCaptured(sim, ["--json", ...jsonArgs, "--trace", "memory"], {
          openTrace: () => ({ write: (line) => lines.push(line), close: () => {} }),
        })
        expect(run.code).toBe(EXIT_CODE.ok)
        return lines
      }

      const first = await traceOf()
      const second = await traceOf()

      expect(first.length).toBeGreaterThan(0)
      const diverging = first.findIndex((line, i) => line !== second[i])
      if (diverging >= 0 || first.length !== second.length) {
        const at = diverging >= 0 ? diverging : Math.min(first.length, second.length)
        expect.fail(`sim ${name}: traces diverge at record ${at}:\n  first:  ${first[at]}\n  second: ${second[at]}`)
      }
    })

    it("writes --perfetto as Chrome trace-event JSON: every slice opened once and closed at most once, time in order", async () => {
      const dir = mkdtempSync(join(tmpdir(), `perfetto-${name}-`))
      try {
        const path = join(dir, "run.json")
        const run = await runCaptured(sim, ["--json", ...jsonArgs, "--perfetto", path])
        expect(run.code).toBe(EXIT_CODE.ok)
        const trace = JSON.parse(readFileSync(path, "utf8")) as { traceEvents: PerfettoEvent[] }
        expect(perfettoProblems(trace.traceEvents)).toEqual([])
        expect(trace.traceEvents.filter((event) => event.ph === "i").length).toBeGreaterThan(0)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })

    it(`gives ${options.seedless === true ? "the same" : "a different"} trace hash for a different seed`, async () => {
      const other = await runCaptured(sim, ["--json", ...jsonArgs, "--seed", "2"])
      const [hash, otherHash] = [JSON.parse(json.stdout).traceHash, JSON.parse(other.stdout).traceHash]

      if (options.seedless === true) expect(otherHash).toBe(hash)
      else expect(otherHash).not.toBe(hash)
    })

    it("replays the bare run from its own rerun line", async () => {
      const last = rerunLineOf(bare.stdout)
      expect(last).toMatch(new RegExp(`^seed=1  rerun: npx tsx sims/${name}\\.ts `))

      const replay = await runCaptured(sim, parseArgs(last.replace(/^.*? rerun: npx tsx \S+ /, "")))

      expect(replay.stdout).toBe(bare.stdout)
    })

    it("lists every flag with its unit and default in --help, and asks without answering in --quiz", async () => {
      const help = await runCaptured(sim, ["--help", "--width", "10000"])
      const quiz = await runCaptured(sim, ["--quiz"])

      for (const [key, spec] of Object.entries(sim.flags)) {
        const escape = (text: string): string => text.replace(/[.+*?()[\]{}|^$\\]/g, "\\$&")
        const unit = spec.unit === undefined ? "" : `.*\\(${escape(spec.unit)}\\)`
        expect(help.stdout).toMatch(
          new RegExp(`--${flagName(key, spec)}\\b${unit}.*default ${escape(String(spec.default))}`),
        )
        if (spec.kind === "number" || spec.kind === "integer")
          expect(spec.unit, `--${flagName(key, spec)} has no unit`).toMatch(/\S/)
      }
      expect(quiz.code).toBe(EXIT_CODE.ok)
      expect(quiz.stdout).toContain("Question")
      expect(quiz.stdout).not.toContain("Checks")
    })

    it("documents the fault-plan format in --help and reports malformed --faults JSON as a bad value of --faults (when it takes --faults)", async () => {
      if (!("faults" in sim.flags)) return
      const help = await runCaptured(sim, ["--help", "--width", "10000"])
      const bad = await runCaptured(sim, ["--faults", "{not json"])
      const badField = await runCaptured(sim, [
        "--faults",
        '{"faults":[{"kind":"pause","at":1,"durationMs":5,"node":"x","durationMS":5}]}',
      ])

      expect(help.stdout).toContain("--faults format:")
      for (const kind of FAULT_KINDS) expect(help.stdout).toContain(`{"kind":"${kind}"`)
      for (const field of [
        "healAt",
        "restartAt",
        "diskLoss",
        "durationMs",
        "groups",
        "oneWay",
        "skewMs",
        "driftRate",
        "until",
        "dropProbability",
        "duplicateProbability",
        "extraDelayMs",
      ]) {
        expect(help.stdout).toContain(`"${field}"`)
      }
      expect(bad.code).toBe(EXIT_CODE.badInput)
      expect(bad.stdout).toBe("")
      expect(bad.stderr).toContain("bad value for --faults '{not json': the fault plan is not valid JSON")
      expect(bad.stderr).not.toContain("contradictory")
      expect(badField.code).toBe(EXIT_CODE.badInput)
      expect(badField.stderr).toContain('unknown field "durationMS"')
    })

    const generic: BadInput[] = [
      { args: ["--no-such-flag"], stderr: "unknown flag --no-such-flag" },
      { args: ["--seed", "x"], stderr: 'bad value for --seed: "x"' },
      { args: ["stray"], stderr: 'unexpected argument "stray"' },
    ]
    for (const bad of [...generic, ...(options.badInputs ?? [])]) {
      it(`exits 2 with nothing on stdout on bad input: ${bad.args.join(" ")}`, async () => {
        const run = await runCaptured(sim, bad.args)

        expect(run.code).toBe(EXIT_CODE.badInput)
        expect(run.stdout).toBe("")
        expect(run.stderr).toContain(bad.stderr)
      })
    }

    it("runs as a real process: exit 0 with JSON, exit 2 and an empty stdout on an unknown flag", () => {
      const spawnOf = ({ command, args }: Command): SpawnSyncReturns<string> =>
        spawnSync(command, args, { cwd: root, encoding: "utf8" })
      const good = spawnOf(simCommand(name, ["--json", ...jsonArgs]))
      const bad = spawnOf(simCommand(name, ["--no-such-flag"]))

      expect(good.status).toBe(EXIT_CODE.ok)
      expect(good.stdout).toBe(json.stdout)
      expect(bad.status).toBe(EXIT_CODE.badInput)
      expect(bad.stdout).toBe("")
    })
  })
}
