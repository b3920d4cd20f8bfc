/**
 * What the simulated Redis records in the trace: every command it executed with its reply, and
 * every key its TTL removed (on access or by the active cycle).
 */
import type { ExpiryWay } from "./redis-keyspace.ts"
import type { RedisReply } from "./redis-reply.ts"

/** The server on `node` executed `argv` from `client` and answered `reply` (JSON-safe, see `replyToJson`). */
export interface CommandExecuted {
  readonly type: "CommandExecuted"
  readonly node: string
  readonly client: string
  readonly argv: readonly string[]
  readonly reply: RedisReply
}

/** The server on `node` removed `key` because its TTL had passed: `lazy` on access, `active` in the periodic cycle. */
export interface KeyExpired {
  readonly type: "KeyExpired"
  readonly node: string
  readonly key: string
  readonly way: ExpiryWay
}

/** The server on `node` lost every key: it restarted, and Redis here keeps nothing on disk. */
export interface KeyspaceLost {
  readonly type: "KeyspaceLost"
  readonly node: string
  readonly keys: number
}

/** Every event of the simulated Redis. */
export type RedisEvent = CommandExecuted | KeyExpired | KeyspaceLost
