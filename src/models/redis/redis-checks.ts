/**
 * Checks of a scripted Redis session, read from its result (built from `CommandExecuted` events
 * and the client's outcomes).
 */
import { type CheckResult, fails, holds } from "../../check/core/index.ts"
import type { RedisCommandsResult } from "./redis-commands-scenario.ts"

/** `every-command-answered`: the client got a reply to every command within its timeout. */
export function checkEveryCommandAnswered(result: RedisCommandsResult): CheckResult {
  const name = "every-command-answered"
  if (result.unanswered === 0) return holds(name, "every command got its reply")
  return fails(name, `${result.unanswered} command(s) got no reply within the client's timeout`)
}
