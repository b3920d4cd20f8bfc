/**
 * The checks of an HPACK run:
 *
 * - `hpack-roundtrip`: the server's decoder read every block back to exactly the header list the
 *   client sent, and after every block the two dynamic tables held the same entries and size — the
 *   invariant HPACK's design rests on (a block is only decodable with the table it was encoded
 *   against, which is also why header blocks must be processed in order on a connection).
 * - `table-within-limit`: after every block the dynamic table's size was at most
 *   SETTINGS_HEADER_TABLE_SIZE.
 */
import { type CheckResult, fails, holds } from "../../check/core/index.ts"
import { formatCount } from "../../kernel/index.ts"
import type { HpackResult } from "./hpack-scenario.ts"

/** `hpack-roundtrip`: see the file header. */
export function checkHpackRoundTrip(result: HpackResult): CheckResult {
  const name = "hpack-roundtrip"
  const bad = result.blocks.findIndex((block) => !block.fieldsMatch || !block.tablesMatch)
  if (bad < 0) {
    return holds(
      name,
      `all ${formatCount(result.blocks.length)} block(s) decoded to the fields sent; the two dynamic tables agreed after each`,
    )
  }
  const block = result.blocks[bad]!
  const why =
    block.error ?? (block.fieldsMatch ? "the dynamic tables differ" : "the decoded fields differ from those sent")
  return fails(name, `block ${bad + 1}: ${why}`)
}

/** `table-within-limit`: see the file header. */
export function checkTableWithinLimit(result: HpackResult): CheckResult {
  const name = "table-within-limit"
  const largest = Math.max(0, ...result.blocks.map((block) => block.tableSize))
  const over = result.blocks.findIndex((block) => block.tableSize > result.tableMax)
  if (over < 0) return holds(name, `largest table ${formatCount(largest)} of ${formatCount(result.tableMax)} octets`)
  return fails(
    name,
    `after block ${over + 1} the table held ${result.blocks[over]!.tableSize} octets, over ${result.tableMax}`,
  )
}
