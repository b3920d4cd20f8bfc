/**
 * The checks of an M/M/c run, read from its measurements and the steady state Erlang C predicts:
 *
 * - `littles-law`: L = λ̂·W holds exactly on any sample path (arrivals counted over the run, each
 *   customer's time in system); a difference beyond rounding is a bug in the model's bookkeeping.
 * - `wait-matches-erlang-c`: the measured mean wait in queue agrees with Erlang C within a few
 *   regenerative standard errors. It cannot hold without a steady state (ρ >= 1), and a run with too
 *   few regeneration cycles cannot be judged; the detail says which, and what to do.
 *
 * Left out: checks of the waiting-time distribution (only its mean is compared).
 */
import type { CheckResult } from "../../check/core/index.ts"
import { formatCount, formatNumber } from "../../kernel/index.ts"
import type { MmcSteadyState } from "./erlang-c.ts"
import type { MmcMeasurements } from "./mmc-queue.ts"

/**
 * The measured mean wait may differ from Erlang C by this many regenerative standard errors.
 * Why 4 and not the textbook 3: in heavy traffic the cycles are heavy-tailed, so a short run both
 * underestimates the mean and its error bar. Measured coverage of the 4-SE band (seeds 1..N):
 * ρ=0.5, 2,000 customers: 100% of 300; ρ=0.9 (the default), 10,000: 96.7% of 300 (3 SE: 92%);
 * ρ=0.9 with 2 servers, 200,000: 100% of 30; ρ=0.95, 10,000: 85% of 200 (too short a run).
 */
export const WAIT_TOLERANCE_STANDARD_ERRORS = 4
/** Fewer regeneration cycles than this give no trustworthy error bar. */
export const MIN_REGENERATION_CYCLES = 30
/** Little's law holds exactly on the sample path; this only absorbs floating-point rounding. */
export const LITTLES_LAW_RELATIVE_TOLERANCE = 1e-9

/** `littles-law`: L = λ̂·W on the run's own sample path, to {@link LITTLES_LAW_RELATIVE_TOLERANCE} relative. */
export function checkLittlesLaw(measured: MmcMeasurements): CheckResult {
  const product = measured.throughput * measured.meanTimeInSystem
  const gap = Math.abs(measured.meanInSystem - product)
  const held = gap <= LITTLES_LAW_RELATIVE_TOLERANCE * Math.max(1, measured.meanInSystem)
  return {
    name: "littles-law",
    held,
    detail: `L = ${formatNumber(measured.meanInSystem, 6)}, λ̂·W = ${formatNumber(product, 6)} (must agree to ${LITTLES_LAW_RELATIVE_TOLERANCE} relative)`,
  }
}

/**
 * `wait-matches-erlang-c`: the measured mean wait is within {@link WAIT_TOLERANCE_STANDARD_ERRORS}
 * regenerative standard errors of Erlang C's. It does not hold without a steady state (ρ >= 1) or
 * with fewer than {@link MIN_REGENERATION_CYCLES} cycles, and says why.
 * @param lengthenRun - what the user can do about a run too short to judge, e.g. the sim's
 *   "rerun with --customers 100000"; quoted in the detail when the check does not hold
 */
export function checkWaitMatchesErlangC(
  measured: MmcMeasurements,
  steady: MmcSteadyState,
  lengthenRun: string,
): CheckResult {
  const name = "wait-matches-erlang-c"
  const { mean, standardError, cycles } = measured.wait
  if (!steady.stable) {
    return {
      name,
      held: false,
      detail: `no steady state (ρ = ${formatNumber(steady.trafficIntensity, 3)} >= 1): Erlang C's wait is infinite; the measured ${formatNumber(mean, 3)}s only says how long the run was`,
    }
  }
  if (!(cycles >= MIN_REGENERATION_CYCLES)) {
    return {
      name,
      held: false,
      detail: `only ${cycles} regeneration cycles (need ${MIN_REGENERATION_CYCLES}) to put an error bar on the mean wait; ${lengthenRun}`,
    }
  }
  const errors = Math.abs(mean - steady.meanWait) / standardError
  const held = errors <= WAIT_TOLERANCE_STANDARD_ERRORS
  const advice = held
    ? ""
    : `; near saturation the cycles are heavy-tailed, so a short run's error bar is too small: ${lengthenRun}`
  return {
    name,
    held,
    detail: `measured ${formatNumber(mean, 3)}s vs Erlang C ${formatNumber(steady.meanWait, 3)}s: ${formatNumber(errors, 2)} standard errors apart (allowed ${WAIT_TOLERANCE_STANDARD_ERRORS}; SE ${formatNumber(standardError, 3)}s from ${formatCount(cycles)} cycles)${advice}`,
  }
}
