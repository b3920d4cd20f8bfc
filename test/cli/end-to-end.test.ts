/**
 * The runner as a real process: what in-process tests cannot see (process.exitCode, the real
 * streams, `runMain` deciding to run). Each spawn costs about a second, so only a few.
 */
import { spawnSync } from "node:child_process"
import { join } from "node:path"
import { describe, expect, it } from "vitest"

const root = join(import.meta.dirname, "..", "..")
const tsx = join(root, "node_modules", ".bin", "tsx")

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(tsx, ["test/cli/dummy-sim.ts", ...args], { cwd: root, encoding: "utf8" })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe("a sim run as a process", () => {
  it("exits 0 and prints one JSON object with --json", () => {
    const result = run(["--json", "--ticks", "2"])

    expect(result.status).toBe(0)
    expect(JSON.parse(result.stdout).metrics.ticks).toBe(2)
  })

  it("exits 2 with nothing on stdout on an unknown flag", () => {
    const result = run(["--tiks", "2"])

    expect(result.status).toBe(2)
    expect(result.stdout).toBe("")
    expect(result.stderr).toContain("unknown flag --tiks; did you mean --ticks")
  })

  it("exits 3 with --strict when a check did not hold", () => {
    const result = run(["--strict", "--fail-check"])

    expect(result.status).toBe(3)
    expect(result.stdout).toContain("NOT HELD")
  })
})
