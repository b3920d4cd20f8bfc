/**
 * The verdicts of a monitored run, from its query values and the alert's state changes:
 * `rate-never-negative` (a restart's counter reset is not a negative rate) and `alert-fired`.
 */
import { type CheckResult, fails, holds, listSome } from "../../check/core/index.ts"
import { ALERT_NAME, type PrometheusResult } from "./prometheus-scenario.ts"

/** Every value of `rate` and `irate` of the request count is >= 0. */
export function checkRateNeverNegative(result: PrometheusResult): CheckResult {
  const name = "rate-never-negative"
  const negative: string[] = []
  let evaluated = 0
  for (const role of ["rate", "irate"] as const) {
    result.values[role].forEach((value, k) => {
      if (value === undefined) return
      evaluated++
      const tS = result.evaluationTimesMs[k]! / 1000
      if (value < 0) negative.push(`${role} ${value} at t=${tS} s`)
    })
  }
  return negative.length === 0
    ? holds(name, `${evaluated} values of rate() and irate() of the request count, none below 0`)
    : fails(name, `${negative.length} negative values: ${listSome(negative)}`)
}

/** The alert fired within the run. */
export function checkAlertFired(result: PrometheusResult): CheckResult {
  const name = "alert-fired"
  const fired = result.alertFiredAtMs
  const began = result.conditionTrueAtMs
  const firedS = fired === undefined ? undefined : fired / 1000
  const beganS = began === undefined ? undefined : began / 1000
  if (fired !== undefined) {
    const after = began === undefined ? "" : ", " + String((fired - began) / 1000) + " s after the errors began"
    return holds(name, `${ALERT_NAME} fired at t=${firedS} s${after}`)
  }
  return fails(
    name,
    began === undefined
      ? `${ALERT_NAME} never fired: the error ratio never went above its threshold in this run`
      : `${ALERT_NAME} never fired although the errors began at t=${beganS} s`,
  )
}
