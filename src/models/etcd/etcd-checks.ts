/**
 * Checks of a run of clients on the etcd lock, read from its result (the holdings as each client
 * believed them, with their tokens): at most one holder at any instant, and tokens that increase
 * with acquisition order.
 */
import { type CheckResult, checkAtMostOneHolder, checkFencingTokens } from "../../check/core/index.ts"
import type { EtcdLockResult } from "./etcd-lock-scenario.ts"

/**
 * `mutual-exclusion` (no two clients believed they held the lock at the same instant) and
 * `fencing-tokens-increase` (each acquisition's token, its key's create revision, is above every
 * earlier one).
 */
export function checkEtcdLock(result: EtcdLockResult): CheckResult[] {
  return [
    checkAtMostOneHolder(result.holdings, { name: "mutual-exclusion" }),
    checkFencingTokens(result.holdings, { name: "fencing-tokens-increase" }),
  ]
}
