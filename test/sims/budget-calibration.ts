/**
 * The run-budget calibration of every sized sim (see budget.test.ts): the largest value of its
 * sizing flag whose estimate is {@link SCALED_RUN_SECONDS} of simulating runs as a user runs it (a
 * child process) in no more CPU time and no more peak memory than estimated. One suite per output
 * mode, each in its own test file, so vitest's two workers run them side by side.
 */
import { describe, expect, it } from "vitest"
import { EXIT_CODE, RUN_OVERHEAD_SECONDS } from "../../src/cli/index.ts"
import { measureRun } from "./measure-run.ts"
import { argsOf, estimateOf, fits, largest, loadSim as load, SIZED } from "./sized-sims.ts"

/** Seconds of simulating (estimated) of each calibration run. */
export const SCALED_RUN_SECONDS = 2.5

/** The calibration of every sized sim in `output` mode. */
export function calibrationSuite(output: "text" | "json"): void {
  describe(`the run-budget estimates of every sim (${output} report)`, () => {
    for (const sized of SIZED) {
      const calibration =
        `${sized.name} (${output}): a run estimated at ${SCALED_RUN_SECONDS} s of simulating ` +
        "takes no more CPU and memory than estimated"
      it(
        calibration,
        async () => {
          const sim = await load(sized.name)
          const args = (v: number): string[] => argsOf(sized, v, output)
          const simulating = (v: number): number => estimateOf(sim, args(v)).seconds - RUN_OVERHEAD_SECONDS
          const size = largest(sized, (v) => simulating(v) <= SCALED_RUN_SECONDS)
          const estimate = estimateOf(sim, args(size))
          expect(fits(estimate)).toBe(true)

          const run = await measureRun(sized.name, args(size))

          expect(run.code).toBe(EXIT_CODE.ok)
          const measured = { size, cpuSeconds: run.cpuSeconds, peakBytes: run.peakBytes }
          const cpuSeconds = Math.min(run.cpuSeconds, estimate.seconds)
          const allowed = { size, cpuSeconds, peakBytes: Math.min(run.peakBytes, estimate.bytes) }
          expect(measured).toEqual(allowed)
        },
        300_000,
      ) // CPU time is what is asserted; wall-clock time on a loaded machine can be several times more
    }
  })
}
