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
      if (value < 0) negative.push(`${role} ${value} at t=${result.evaluationTimesMs[k]! / 1000} s`)
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
  if (fired !== undefined)
    return holds(
      name,
      `${ALERT_NAME} fired at t=${fired / 1000} s${began === undefined ? "" : `, ${(fired - began) / 1000} s after the errors began`}`,
    )
  return fails(
    name,
    began === undefined
      ? `${ALERT_NAME} never fired: the error ratio never went above its threshold in this run`
      : `${ALERT_NAME} never fired although the errors began at t=${began / 1000} s`,
  )
}
