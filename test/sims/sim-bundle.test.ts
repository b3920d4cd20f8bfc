/**
 * The sims as bundled for the tests that spawn them (bundle-sims.ts) behave as under tsx, the way a
 * user runs them: for several sims and flag sets (the bare text report, `--json`, `--help`, a bad
 * flag exiting 2, an HTML report whose client script is bundled at run time from a file next to
 * its module), the same exit code, stdout and stderr, byte for byte. And a build error fails.
 */
import { spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { bundleSims, ROOT } from "./bundle-sims.ts"
import { type Command, simCommand, tsxCommand } from "./sim-command.ts"

/** Exit code, stdout and stderr of `command`, run from the repository root. */
function outcome({ command, args }: Command): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(command, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } })
  if (run.error !== undefined) throw run.error
  return { code: run.status, stdout: run.stdout, stderr: run.stderr }
}

/** A sim's command lines to compare, each with the exit code tsx gives it (so every kind is compared). */
const CASES: readonly { readonly sim: string; readonly runs: readonly (readonly [string[], number])[] }[] = [
  {
    sim: "mm-queue",
    runs: [
      [[], 0],
      [["--json"], 0],
      [["--help"], 0],
      [["--customers", "-3"], 2],
    ],
  },
  {
    sim: "kafka-acks",
    runs: [
      [["--json", "--messages", "200"], 0],
      [["--no-such-flag"], 2],
    ],
  },
  {
    sim: "lease-lock",
    runs: [
      [[], 0],
      [["--quiz"], 0],
      [["--seed", "x"], 2],
    ],
  },
]

describe("the sims bundled for the tests", () => {
  for (const { sim, runs } of CASES) {
    const flagSets = runs.map(([flags]) => flags.join(" ") || "bare").join("; ")
    it(`${sim}: the same exit code, stdout and stderr as under tsx (${flagSets})`, () => {
      for (const [flags, code] of runs) {
        const bundled = outcome(simCommand(sim, flags))
        const tsx = outcome(tsxCommand(sim, flags))

        expect(tsx.code, `${sim} ${flags.join(" ")} under tsx`).toBe(code)
        expect(bundled, `${sim} ${flags.join(" ")}`).toEqual(tsx)
      }
    }, 120_000)
  }

  it("writes the same --html report as under tsx (its client script is bundled from a file next to its module)", () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-bundle-html-"))
    try {
      const [bundledPath, tsxPath] = [join(dir, "bundled.html"), join(dir, "tsx.html")]
      const bundled = outcome(simCommand("mm-queue", ["--customers", "50", "--html", bundledPath]))
      const tsx = outcome(tsxCommand("mm-queue", ["--customers", "50", "--html", tsxPath]))

      expect(bundled).toEqual({ ...tsx, stdout: tsx.stdout.replaceAll(tsxPath, bundledPath) })
      expect(bundled.code).toBe(0)
      expect(readFileSync(bundledPath, "utf8")).toBe(readFileSync(tsxPath, "utf8"))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)

  it("fails on a build error, naming the file, rather than leaving a sim unbundled", async () => {
    const root = mkdtempSync(join(tmpdir(), "sim-bundle-broken-"))
    try {
      mkdirSync(join(root, "sims"))
      writeFileSync(join(root, "sims", "broken.ts"), "export const x = (\n")

      await expect(bundleSims(join(root, "out"), { root, names: ["broken"] })).rejects.toThrow(/broken\.ts/)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
