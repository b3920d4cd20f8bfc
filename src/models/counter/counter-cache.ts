/**
 * The counters' cache on the shared simulated Redis (`src/models/redis`): the commands the
 * like-counter clients send, and how the observer reads a recorded command back.
 *
 * An article's counts are a hash `article:<n>` with fields `read`, `like`, `collect`:
 * - the article query reads it with `HGETALL` (an empty array: a miss);
 * - the recount fill is `FCALL fill_if_absent 1 key ttlMs read n like n collect n`: the whole hash
 *   with a TTL, only if the key is absent, so a slow recount never overwrites a newer fill;
 * - `HINCRBY key kind delta` creates a missing key without a TTL and a missing field as 0;
 * - `FCALL incr_if_exists 1 key kind delta` is the atomic script: `HINCRBY` only if the key exists;
 * - `EXISTS key` is the client-side check of `cache-check-then-incr`.
 *
 * Redis TTLs are whole milliseconds: a fill's TTL is the cache TTL rounded up. See docs/counters.md
 * and docs/redis.md.
 */
import type { CommandExecuted, RedisReply } from "../redis/index.ts"
import { COUNTER_KINDS, type CounterKind, type Counts, zeroCounts } from "./sql-store.ts"

/** `HGETALL key`: the article query's read. */
export function hgetallCommand(key: string): string[] {
  return ["HGETALL", key]
}

/** `FCALL fill_if_absent 1 key ttlMs read n like n collect n`: the recount fill (TTL rounded up to whole ms). */
export function fillCommand(key: string, counts: Counts, ttlMs: number): string[] {
  const fields = COUNTER_KINDS.flatMap((kind) => [kind, String(counts[kind])])
  return ["FCALL", "fill_if_absent", "1", key, String(Math.ceil(ttlMs)), ...fields]
}

/** `HINCRBY key kind delta`. */
export function hincrbyCommand(key: string, kind: CounterKind, delta: number): string[] {
  return ["HINCRBY", key, kind, String(delta)]
}

/** `FCALL incr_if_exists 1 key kind delta`: the atomic "HINCRBY if the key exists". */
export function incrIfExistsCommand(key: string, kind: CounterKind, delta: number): string[] {
  return ["FCALL", "incr_if_exists", "1", key, kind, String(delta)]
}

/** `EXISTS key`. */
export function existsCommand(key: string): string[] {
  return ["EXISTS", key]
}

/** The counts of an `HGETALL` reply (missing fields 0), or undefined for a miss (an empty array) or any other reply. */
export function countsOfReply(reply: RedisReply): Counts | undefined {
  if (!("array" in reply) || reply.array.length === 0) return undefined
  const counts = zeroCounts()
  for (let i = 0; i + 1 < reply.array.length; i += 2) {
    const field = reply.array[i]!
    const value = reply.array[i + 1]!
    const kind = "bulk" in field ? COUNTER_KINDS.find((k) => k === field.bulk) : undefined
    if (kind !== undefined && "bulk" in value) counts[kind] = Number(value.bulk)
  }
  return counts
}

/** The integer of a reply, or undefined for any other reply (nil, an error). */
export function integerOfReply(reply: RedisReply): number | undefined {
  return "integer" in reply ? Number(reply.integer) : undefined
}

/** What a recorded cache command did, as the counters model reads it. */
export type CacheCommand =
  | { readonly op: "read"; readonly key: string; readonly hit: boolean }
  | { readonly op: "fill"; readonly key: string; readonly set: boolean }
  | { readonly op: "check"; readonly key: string; readonly exists: boolean }
  | { readonly op: "incr"; readonly key: string; readonly kind: CounterKind; readonly value: number | undefined }
  | { readonly op: "script"; readonly key: string; readonly kind: CounterKind; readonly value: number | undefined }

function kindOf(word: string | undefined): CounterKind | undefined {
  return COUNTER_KINDS.find((kind) => kind === word)
}

/** The counters' reading of a recorded command, or undefined for a command the model does not send. */
export function cacheCommandOf(event: CommandExecuted): CacheCommand | undefined {
  const { argv, reply } = event
  const key = argv[argv[0] === "FCALL" ? 3 : 1]
  if (key === undefined) return undefined
  switch (argv[0] === "FCALL" ? argv[1] : argv[0]) {
    case "HGETALL":
      return { op: "read", key, hit: countsOfReply(reply) !== undefined }
    case "fill_if_absent":
      return { op: "fill", key, set: integerOfReply(reply) === 1 }
    case "EXISTS":
      return { op: "check", key, exists: integerOfReply(reply) === 1 }
    case "HINCRBY": {
      const kind = kindOf(argv[2])
      return kind === undefined ? undefined : { op: "incr", key, kind, value: integerOfReply(reply) }
    }
    case "incr_if_exists": {
      const kind = kindOf(argv[4])
      return kind === undefined ? undefined : { op: "script", key, kind, value: integerOfReply(reply) }
    }
    default:
      return undefined
  }
}
