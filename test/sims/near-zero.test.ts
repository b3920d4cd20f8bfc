/**
 * Every sim with every number flag that admits it set to 1e-320 (a subnormal number: dividing by
 * it overflows to Infinity): the run completes (exit 0) or is refused as bad input (exit 2, naming
 * the flag), never a crash (exit 1) on a delay or rate of Infinity inside the model. See
 * `degenerateInputLine` in `src/cli/run-core.ts`.
 */
import { describe, expect, it } from "vitest"
import { admits, EXIT_CODE, flagName } from "../../src/cli/index.ts"
import { runSimOutput } from "../../src/cli/run-json.ts"
import { loadSims } from "../../sims/index.ts"
import { runCaptured } from "../cli/run-captured.ts"

const TINY = 1e-320
const sims = await loadSims()
const cases = sims.flatMap((sim) =>
  Object.entries(sim.flags)
    .filter(([, spec]) => spec.kind === "number" && admits(spec, TINY))
    .map(([key, spec]) => ({ sim, flag: `--${flagName(key, spec)}` })),
)

describe("a number flag at 1e-320", () => {
  it("is admitted by some flag of many sims", () => {
    expect(cases.length).toBeGreaterThan(20)
  })

  it("is refused by the browser's runner in the same words as by the command line", async () => {
    const sim = sims.find((s) => s.name === "goroutine-leak")!
    const argv = ["--rps", String(TINY), "--json"]

    const browser = await runSimOutput(sim, argv)
    const cli = await runCaptured(sim, argv)

    expect(browser).toEqual({ code: EXIT_CODE.badInput, stdout: "", stderr: cli.stderr })
    expect(cli.stderr).toContain("a time or rate computed from --rps 1e-320 is beyond the largest number")
  })

  it.each(cases.map((c) => [c.sim.name, c.flag, c.sim] as const))(
    "%s %s 1e-320: exit 0, or exit 2 naming the flag with nothing on stdout (JSON and text); never a crash",
    async (_name, flag, sim) => {
      const run = await runCaptured(sim, [flag, String(TINY), "--json"])

      expect(run.stderr).not.toContain("internal error")
      expect([EXIT_CODE.ok, EXIT_CODE.badInput]).toContain(run.code)
      if (run.code === EXIT_CODE.badInput) {
        expect(run.stdout).toBe("")
        expect(run.stderr).toContain(flag)
        // The text report too leaves stdout empty: its head is written only once the run succeeded.
        const text = await runCaptured(sim, [flag, String(TINY)])
        expect({ code: text.code, stdout: text.stdout, stderr: text.stderr }).toEqual({ ...run, stdout: "" })
      }
    },
    120_000,
  )
})
