/**
 * The run budget (`RUN_BUDGET`: 60 s, 1.5 GB) for every sim: each sim estimates its work before
 * running and the runner refuses a run over the budget with exit 2, naming the limit and a flag.
 *
 * For each sim and the flag that makes its runs long (with the other flags at their heaviest
 * shape, e.g. batch size 1; see sized-sims.ts), the test
 * - finds the refusal boundary from the sim's own estimate (a binary search over the flag), and
 *   checks that the value just over it is refused with exit 2, nothing on stdout and a message
 *   naming the budget and the flag — or, when the flag's largest value fits, that it is accepted;
 * - checks the calibration on a smaller run scaled down from the boundary: the largest value whose
 *   estimate is {@link SCALED_RUN_SECONDS} of simulating runs as a user runs it (a child process,
 *   text report, then JSON) in no more CPU time and no more peak memory than estimated. That a run
 *   within its estimate at this size is within it at the boundary assumes the estimate grows at
 *   least as fast as the run (kafka-batching's is superlinear, as its runs are). Running each sim at its real
 *   boundary costs about 12 minutes of CPU: `npx tsx scripts/largest-runs.ts` does that, and the
 *   README's budget paragraph has its last results.
 * Plus the runaway inputs of issue 21, each refused.
 */
import { describe, expect, it } from "vitest"
import { EXIT_CODE } from "../../src/cli/index.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { estimateOf, fits, largest, loadSim as load, SIZED } from "./sized-sims.ts"

describe("the run budget of every sim", () => {
  for (const sized of SIZED) {
    it(`${sized.name}: refuses just over its boundary with exit 2 naming ${sized.flag}, or accepts ${sized.flag}'s largest value`, async () => {
      const sim = await load(sized.name)
      const boundary = largest(sized, (v) => fits(estimateOf(sim, sized.args(v))))
      expect(fits(estimateOf(sim, sized.args(boundary)))).toBe(true)
      if (boundary === sized.max) return
      const run = await runCaptured(sim, sized.args(boundary + 1))

      expect(run.code).toBe(EXIT_CODE.badInput)
      expect(run.stdout).toBe("")
      expect(run.stderr).toMatch(
        new RegExp(
          `^${sized.name}: this run is too big: it would exceed the budget of (60 s of run time|1\\.5 GB of memory)`,
        ),
      )
      expect(run.stderr).toContain(sized.flag)
    })
  }
})

describe("the runaway inputs of issue 21", () => {
  const runaways: [string, string[], string][] = [
    ["failure-detector", ["--heartbeat-ms", "0.001", "--duration-ms", "600000"], "--heartbeat-ms"],
    ["mlfq", ["--jobs", "0,1000000,1", "--io-time", "1000000"], "--io-time"],
    ["kafka-acks", ["--rate", "0.001"], "--rate"],
    ["kafka-acks", ["--messages", "2000000"], "--messages"],
    ["like-counter", ["--clients", "64", "--likes", "10000"], "--likes"],
    ["kafka-batching", ["--messages", "2000000", "--batch-size", "0"], "--messages"],
    ["cpu-sched", ["--policy", "rr", "--bursts", "1000000,1000000"], "--quantum"],
  ]
  for (const [name, args, flag] of runaways) {
    it(`refuses ${name} ${args.join(" ")} with exit 2 naming ${flag}`, async () => {
      const run = await runCaptured(await load(name), args)

      expect(run.code).toBe(EXIT_CODE.badInput)
      expect(run.stdout).toBe("")
      expect(run.stderr).toContain("this run is too big")
      expect(run.stderr).toContain(flag)
    })
  }
})
