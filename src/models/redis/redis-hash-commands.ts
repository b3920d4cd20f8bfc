/**
 * Hash commands: HINCRBY, HGET, HGETALL, following Redis 7.0's `t_hash.c`. Fields keep insertion
 * order, which is what Redis shows for small hashes (listpack encoding: at most 128 fields of at
 * most 64 bytes); larger real hashes switch to a hash table whose HGETALL order differs.
 */
import type { CommandContext, CommandSpec } from "./redis-command.ts"
import { HASH_VALUE_NOT_INTEGER, NOT_AN_INTEGER, OVERFLOW, WRONGTYPE } from "./redis-errors.ts"
import { NO_EXPIRY } from "./redis-keyspace.ts"
import { addInt64, parseInteger } from "./redis-numbers.ts"
import { bulk, EMPTY_ARRAY, integer, NIL, type RedisReply } from "./redis-reply.ts"

function hincrby(context: CommandContext, argv: readonly string[]): RedisReply {
  const increment = parseInteger(argv[3]!)
  if (increment === undefined) return NOT_AN_INTEGER
  const key = argv[1]!
  let entry = context.keyspace.lookup(key, context.nowMs)
  if (entry !== undefined && entry.kind !== "hash") return WRONGTYPE
  const field = argv[2]!
  const stored = entry?.fields.get(field)
  const current = stored === undefined ? 0 : typeof stored === "number" ? stored : parseInteger(stored)
  if (current === undefined) return HASH_VALUE_NOT_INTEGER
  const sum = addInt64(current, increment)
  if (sum === undefined) return OVERFLOW
  if (entry === undefined) {
    entry = { kind: "hash", fields: new Map(), expiresAtMs: NO_EXPIRY }
    context.keyspace.put(key, entry)
  }
  entry.fields.set(field, typeof sum === "number" ? sum : String(sum))
  return integer(sum)
}

function hget(context: CommandContext, argv: readonly string[]): RedisReply {
  const entry = context.keyspace.lookup(argv[1]!, context.nowMs)
  if (entry === undefined) return NIL
  if (entry.kind !== "hash") return WRONGTYPE
  const value = entry.fields.get(argv[2]!)
  return bulk(value === undefined ? null : String(value))
}

function hgetall(context: CommandContext, argv: readonly string[]): RedisReply {
  const entry = context.keyspace.lookup(argv[1]!, context.nowMs)
  if (entry === undefined) return EMPTY_ARRAY
  if (entry.kind !== "hash") return WRONGTYPE
  const items: RedisReply[] = []
  for (const [field, value] of entry.fields) items.push(bulk(field), bulk(String(value)))
  return { array: items }
}

/** The hash commands. */
export const HASH_COMMANDS: readonly CommandSpec[] = [
  { name: "hincrby", arity: 4, run: hincrby },
  { name: "hget", arity: 3, run: hget },
  { name: "hgetall", arity: 2, run: hgetall },
]
