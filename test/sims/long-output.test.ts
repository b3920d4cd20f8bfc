/**
 * Output that grows with the input: a section of 200,000 lines (which overflowed the stack when the
 * renderer spread it into push), and charts of long runs, which must still fit 100 columns.
 */
import { describe, expect, it } from "vitest"
import { EXIT_CODE, type FlagSpecs, type SimDefinition } from "../../src/cli/index.ts"
import { textWidth } from "../../src/cli/wrap-text.ts"
import cpuSched from "../../sims/cpu-sched.ts"
import mlfq from "../../sims/mlfq.ts"
import { runCaptured } from "../cli/run-captured.ts"

const widest = (text: string): number => text.split("\n").reduce((most, line) => Math.max(most, textWidth(line)), 0)

describe("long output", () => {
  it("prints mlfq --jobs 0,200000,0 --tick-trace: a 200,000-line section, within 100 columns", async () => {
    const run = await runCaptured(mlfq, ["--jobs", "0,200000,0", "--tick-trace"])

    expect(run.code).toBe(EXIT_CODE.ok)
    expect(run.stderr).toBe("")
    expect(run.stdout.split("\n").length).toBeGreaterThan(200_000)
    expect(widest(run.stdout)).toBeLessThanOrEqual(100)
  }, 120_000)

  it.each([
    ["cpu-sched", ["--bursts", "200,300,999,1000", "--policy", "rr", "--quantum", "7"]],
    ["cpu-sched", ["--random-jobs", "200", "--max-len", "100"]],
    ["mlfq", ["--jobs", "0,5000,7:30,2000,0:100,20,3"]],
  ] as const)(
    "fits the charts of a long %s run (%s) in 100 columns",
    async (name, args) => {
      const sim = (name === "mlfq" ? mlfq : cpuSched) as unknown as SimDefinition<FlagSpecs>
      const run = await runCaptured(sim, args)

      expect(run.code).toBe(EXIT_CODE.ok)
      expect(widest(run.stdout)).toBeLessThanOrEqual(100)
    },
    60_000,
  )
})
