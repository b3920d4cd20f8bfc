/**
 * What a command implementation sees: the keyspace and the server's time for this command (one
 * instant for the whole command, as Redis's `commandTimeSnapshot`).
 */
import type { Keyspace } from "./redis-keyspace.ts"
import type { RedisReply } from "./redis-reply.ts"

/** The state a command runs against. */
export interface CommandContext {
  readonly keyspace: Keyspace
  /** The server's clock reading for this command, in whole ms. */
  readonly nowMs: number
  /** Runs another command inside this one (how a server-side function calls `redis.call`). */
  readonly call: (argv: readonly string[]) => RedisReply
}

/** One command of the table: its lower-case name, Redis's arity and its implementation. */
export interface CommandSpec {
  readonly name: string
  /** Redis's arity: n means exactly n words (name included), -n at least n. */
  readonly arity: number
  /** Runs the command; `argv[0]` is the name as the client spelled it. */
  readonly run: (context: CommandContext, argv: readonly string[]) => RedisReply
}
