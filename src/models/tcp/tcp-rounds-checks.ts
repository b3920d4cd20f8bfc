/**
 * The invariants of the per-round idealisation (docs/tcp-rounds.md), read from a finished run's
 * rounds and loss responses: cwnd never below one segment, ssthresh at least two after any loss,
 * and the growth rules between rounds (slow start at most doubles and stops at ssthresh;
 * congestion avoidance adds exactly one segment).
 */
import { type CheckResult, fails, holds, listSome } from "../../check/core/index.ts"
import type { TcpRoundsResult } from "./tcp-rounds-scenario.ts"

/** `cwnd-at-least-one`: every round sends at least one segment. */
export function checkCwndAtLeastOne(result: TcpRoundsResult): CheckResult {
  const bad = result.rounds.filter((r) => !(r.cwnd >= 1)).map((r) => `round ${r.round}: cwnd ${r.cwnd}`)
  return bad.length === 0
    ? holds("cwnd-at-least-one", `all ${result.rounds.length} round(s) had cwnd >= 1 segment`)
    : fails("cwnd-at-least-one", listSome(bad))
}

/** `ssthresh-after-loss`: every loss sets ssthresh to max(floor(cwnd/2), 2), in force from the next round. */
export function checkSsthreshAfterLoss(result: TcpRoundsResult): CheckResult {
  if (result.losses.length === 0) return holds("ssthresh-after-loss", "vacuous: no loss in the run")
  const bad: string[] = []
  for (const loss of result.losses) {
    const next = result.rounds[loss.round]
    if (loss.ssthresh < 2 || loss.ssthresh !== Math.max(Math.floor(loss.cwnd / 2), 2))
      bad.push(`round ${loss.round}: cwnd ${loss.cwnd} gave ssthresh ${loss.ssthresh}`)
    else if (next !== undefined && next.ssthresh !== loss.ssthresh)
      bad.push(`round ${next.round}: ssthresh ${next.ssthresh}, not the ${loss.ssthresh} set by the loss`)
  }
  return bad.length === 0
    ? holds(
        "ssthresh-after-loss",
        `each of ${result.losses.length} loss(es) set ssthresh to max(floor(cwnd/2), 2) >= 2`,
      )
    : fails("ssthresh-after-loss", listSome(bad))
}

/** `round-growth`: between rounds without a loss, slow start at most doubles (capped at ssthresh), congestion avoidance adds one. */
export function checkRoundGrowth(result: TcpRoundsResult): CheckResult {
  const bad: string[] = []
  let compared = 0
  for (const [i, next] of result.rounds.entries()) {
    const prev = result.rounds[i - 1]
    if (prev === undefined || prev.loss !== undefined) continue
    compared++
    const slowStart = prev.cwnd < prev.ssthresh
    const ok = slowStart
      ? next.cwnd > prev.cwnd && next.cwnd <= 2 * prev.cwnd && next.cwnd <= prev.ssthresh
      : next.cwnd === prev.cwnd + 1
    if (!ok)
      bad.push(
        `round ${prev.round} -> ${next.round}: cwnd ${prev.cwnd} -> ${next.cwnd} in ${slowStart ? "slow start" : "congestion avoidance"} (ssthresh ${prev.ssthresh})`,
      )
  }
  if (compared === 0) return holds("round-growth", "vacuous: no two consecutive rounds without a loss between them")
  return bad.length === 0
    ? holds(
        "round-growth",
        `${compared} round-to-round step(s): slow start at most doubled, congestion avoidance added 1`,
      )
    : fails("round-growth", listSome(bad))
}

/** Every check of a per-round run, in the order the sim reports them. */
export function tcpRoundsChecks(result: TcpRoundsResult): CheckResult[] {
  return [checkCwndAtLeastOne(result), checkSsthreshAfterLoss(result), checkRoundGrowth(result)]
}
