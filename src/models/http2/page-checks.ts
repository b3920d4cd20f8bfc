/**
 * The checks of a page load, from the result's per-resource timings (docs/http2.md, "A page over
 * HTTP/1.1 and HTTP/2"):
 *
 * - `every-resource-loaded`: every resource was requested and arrived whole.
 * - `responses-in-order` (HTTP/1.1): on each connection responses arrive in the order of their
 *   requests, so a large or slow response holds back every one behind it.
 */
import { type CheckResult, fails, holds, listSome } from "../../check/core/index.ts"
import { formatCount } from "../../kernel/index.ts"
import type { PageResult } from "./page-result.ts"

/** `every-resource-loaded`: see the file header. */
export function checkEveryResourceLoaded(result: PageResult): CheckResult {
  const name = "every-resource-loaded"
  const missing = result.resources.filter((r) => r.loadedMs < 0).map((r) => r.path)
  if (missing.length > 0) return fails(name, `${formatCount(missing.length)} never arrived: ${listSome(missing)}`)
  return holds(name, `all ${formatCount(result.resources.length)} resources arrived whole`)
}

/** `responses-in-order`: see the file header. */
export function checkResponsesInOrder(result: PageResult): CheckResult {
  const name = "responses-in-order"
  const byConnection = new Map<number, typeof result.resources>()
  for (const r of result.resources) byConnection.set(r.connection, [...(byConnection.get(r.connection) ?? []), r])
  for (const [connection, resources] of byConnection) {
    const inRequestOrder = [...resources].sort((a, b) => a.requestSentMs - b.requestSentMs || a.resource - b.resource)
    for (let i = 1; i < inRequestOrder.length; i++) {
      const [before, after] = [inRequestOrder[i - 1]!, inRequestOrder[i]!]
      if (after.loadedMs < before.loadedMs)
        return fails(
          name,
          `on connection ${connection}, ${after.path} (#${after.resource}) arrived before ${before.path} (#${before.resource}), requested earlier`,
        )
    }
  }
  return holds(name, `on each of the ${formatCount(byConnection.size)} connections, responses arrived in request order`)
}
