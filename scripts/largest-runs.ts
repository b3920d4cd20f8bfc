/**
 * Runs every sim at the largest value of its sizing flag that the run budget admits (found from
 * the sim's own estimate, as test/sims/budget.test.ts does), text and JSON, one run at a time, and
 * prints the estimate next to what the run took: wall-clock and CPU seconds, peak memory.
 * Minutes of CPU, so not part of `npm test`:
 *
 *   npx tsx scripts/largest-runs.ts [sim ...]
 *
 * Exit 1 when a run fails or exceeds the budget (60 s, 1.5 GB), judged by CPU time: on the quiet
 * reference machine wall-clock time is about the CPU time, and on a shared machine it says more
 * about the other processes than about the run.
 */
import { RUN_BUDGET } from "../src/cli/index.ts"
import { measureRun } from "../test/sims/measure-run.ts"
import { argsOf, estimateOf, fits, largest, loadSim, SIZED } from "../test/sims/sized-sims.ts"

const only = process.argv.slice(2)
const mb = (bytes: number): string => `${Math.round(bytes / 1e6)} MB`
let failed = false
console.log(`${new Date().toISOString()}  budget ${RUN_BUDGET.seconds} s, ${RUN_BUDGET.bytes / 1e9} GB`)
for (const sized of SIZED.filter((s) => only.length === 0 || only.includes(s.name))) {
  const sim = await loadSim(sized.name)
  for (const output of ["text", "json"] as const) {
    const size = largest(sized, (v) => fits(estimateOf(sim, argsOf(sized, v, output))))
    const args = argsOf(sized, size, output)
    const estimate = estimateOf(sim, args)
    const run = await measureRun(sized.name, args, "tsx") // as a user runs it: the budget is the user's
    const over = run.code !== 0 || run.cpuSeconds > RUN_BUDGET.seconds || run.peakBytes > RUN_BUDGET.bytes
    failed ||= over
    const shown = args.map((a) => (a.length > 40 ? `${a.slice(0, 37)}...` : a)).join(" ")
    console.log(
      [
        `${sized.name} ${shown}`,
        `  estimate ${estimate.seconds.toFixed(1)} s ${mb(estimate.bytes)};`,
        `run exit ${run.code}, ${run.wallSeconds.toFixed(1)} s wall, ${run.cpuSeconds.toFixed(1)} s CPU,`,
        `${mb(run.peakBytes)} peak, ${mb(run.stdoutBytes)} stdout${over ? "  OVER" : ""}`,
      ].join(" "),
    )
    if (run.code !== 0) console.log(run.stderr.split("\n").slice(0, 5).join("\n"))
  }
}
process.exitCode = failed ? 1 : 0
