/**
 * Sorted-set commands: ZADD (NX, XX, GT, LT, CH, INCR), ZINCRBY, ZSCORE and ZREVRANGE ...
 * WITHSCORES, following Redis 7.0's `t_zset.c`: option checks, then every score, then the key.
 * Scores are printed as Redis 7.0 prints doubles (`formatDouble`).
 */
import type { CommandContext, CommandSpec } from "./redis-command.ts"
import { NOT_A_FLOAT, NOT_AN_INTEGER, SCORE_NAN, SYNTAX_ERROR, WRONGTYPE } from "./redis-errors.ts"
import { NO_EXPIRY, type ZSetEntry } from "./redis-keyspace.ts"
import { formatDouble, parseDouble, parseInteger } from "./redis-numbers.ts"
import { bulk, EMPTY_ARRAY, error, integer, NIL, type RedisReply } from "./redis-reply.ts"
import { SortedSet } from "./sorted-set.ts"

interface ZaddFlags {
  nx: boolean
  xx: boolean
  gt: boolean
  lt: boolean
  ch: boolean
  incr: boolean
}

/** ZADD's leading options and the index of the first score, or an error reply. */
function parseZaddFlags(argv: readonly string[]): { flags: ZaddFlags; first: number } | RedisReply {
  const flags: ZaddFlags = { nx: false, xx: false, gt: false, lt: false, ch: false, incr: false }
  let first = 2
  for (; first < argv.length; first++) {
    const option = argv[first]!.toLowerCase()
    if (Object.hasOwn(flags, option)) flags[option as keyof ZaddFlags] = true
    else break
  }
  const elements = argv.length - first
  if (elements === 0 || elements % 2 !== 0) return SYNTAX_ERROR
  if (flags.nx && flags.xx) return error("ERR XX and NX options at the same time are not compatible")
  if ((flags.gt && flags.nx) || (flags.lt && flags.nx) || (flags.gt && flags.lt)) {
    return error("ERR GT, LT, and/or NX options at the same time are not compatible")
  }
  if (flags.incr && elements > 2) return error("ERR INCR option supports a single increment-element pair")
  return { flags, first }
}

/** The outcome of adding one member, as Redis's `zsetAdd`. */
type AddOutcome = "added" | "updated" | "unchanged" | "refused" | "nan"

function addMember(
  zset: SortedSet,
  flags: ZaddFlags,
  member: string,
  given: number,
): { outcome: AddOutcome; score: number } {
  const current = zset.score(member)
  if (current === undefined) {
    if (flags.xx) return { outcome: "refused", score: given }
    zset.set(member, given)
    return { outcome: "added", score: given }
  }
  if (flags.nx) return { outcome: "refused", score: given }
  const score = flags.incr ? current + given : given
  if (Number.isNaN(score)) return { outcome: "nan", score }
  if ((flags.lt && score >= current) || (flags.gt && score <= current)) return { outcome: "refused", score }
  if (score === current) return { outcome: "unchanged", score }
  zset.set(member, score)
  return { outcome: "updated", score }
}

/** ZADD (and ZINCRBY, which is ZADD INCR). */
function zaddWith(context: CommandContext, argv: readonly string[], flags: ZaddFlags, first: number): RedisReply {
  const scores: number[] = []
  for (let i = first; i < argv.length; i += 2) {
    const score = parseDouble(argv[i]!)
    if (score === undefined) return NOT_A_FLOAT
    scores.push(score)
  }
  const key = argv[1]!
  let entry = context.keyspace.lookup(key, context.nowMs)
  if (entry !== undefined && entry.kind !== "zset") return WRONGTYPE
  if (entry === undefined) {
    if (flags.xx) return flags.incr ? NIL : integer(0)
    entry = { kind: "zset", zset: new SortedSet(), expiresAtMs: NO_EXPIRY } satisfies ZSetEntry
    context.keyspace.put(key, entry)
  }
  let added = 0
  let updated = 0
  let processed = 0
  let last = 0
  for (let j = 0; j < scores.length; j++) {
    const { outcome, score } = addMember(entry.zset, flags, argv[first + 2 * j + 1]!, scores[j]!)
    if (outcome === "nan") return SCORE_NAN
    if (outcome === "added") added++
    if (outcome === "updated") updated++
    if (outcome !== "refused") processed++
    last = score
  }
  if (flags.incr) return processed > 0 ? bulk(formatDouble(last)) : NIL
  return integer(flags.ch ? added + updated : added)
}

function zadd(context: CommandContext, argv: readonly string[]): RedisReply {
  const parsed = parseZaddFlags(argv)
  return "flags" in parsed ? zaddWith(context, argv, parsed.flags, parsed.first) : parsed
}

const INCR_ONLY: ZaddFlags = { nx: false, xx: false, gt: false, lt: false, ch: false, incr: true }

/** ZINCRBY: ZADD INCR, with a direct path for the common case of an existing sorted set. */
function zincrby(context: CommandContext, argv: readonly string[]): RedisReply {
  const entry = context.keyspace.lookup(argv[1]!, context.nowMs)
  const increment = parseDouble(argv[2]!)
  if (entry === undefined || entry.kind !== "zset" || increment === undefined)
    return zaddWith(context, argv, INCR_ONLY, 2)
  const member = argv[3]!
  const current = entry.zset.score(member)
  const score = current === undefined ? increment : current + increment
  if (Number.isNaN(score)) return SCORE_NAN
  entry.zset.set(member, score)
  return bulk(formatDouble(score))
}

function zscore(context: CommandContext, argv: readonly string[]): RedisReply {
  const entry = context.keyspace.lookup(argv[1]!, context.nowMs)
  if (entry === undefined) return NIL
  if (entry.kind !== "zset") return WRONGTYPE
  const score = entry.zset.score(argv[2]!)
  return score === undefined ? NIL : bulk(formatDouble(score))
}

/** ZREVRANGE's trailing options: WITHSCORES, or LIMIT (which Redis refuses for a rank range unless it is 0 -1). */
function parseRangeOptions(argv: readonly string[]): boolean | RedisReply {
  let withScores = false
  let limited = false
  for (let j = 4; j < argv.length; j++) {
    const option = argv[j]!.toLowerCase()
    if (option === "withscores") withScores = true
    else if (option === "limit" && argv.length - j - 1 >= 2) {
      const offset = parseInteger(argv[j + 1]!)
      const count = parseInteger(argv[j + 2]!)
      if (offset === undefined || count === undefined) return NOT_AN_INTEGER
      limited = offset !== 0 || count !== -1
      j += 2
    } else return SYNTAX_ERROR
  }
  if (limited) return error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")
  return withScores
}

function zrevrange(context: CommandContext, argv: readonly string[]): RedisReply {
  const withScores = parseRangeOptions(argv)
  if (typeof withScores !== "boolean") return withScores
  const startValue = parseInteger(argv[2]!)
  const endValue = parseInteger(argv[3]!)
  if (startValue === undefined || endValue === undefined) return NOT_AN_INTEGER
  const entry = context.keyspace.lookup(argv[1]!, context.nowMs)
  if (entry === undefined) return EMPTY_ARRAY
  if (entry.kind !== "zset") return WRONGTYPE
  const length = entry.zset.size
  let start = Number(startValue)
  let end = Number(endValue)
  if (start < 0) start = length + start
  if (end < 0) end = length + end
  if (start < 0) start = 0
  if (start > end || start >= length) return EMPTY_ARRAY
  if (end >= length) end = length - 1
  const ascending = entry.zset.ascending()
  const items: RedisReply[] = []
  for (let rank = start; rank <= end; rank++) {
    const member = ascending[length - 1 - rank]!
    items.push(bulk(member))
    if (withScores) items.push(bulk(formatDouble(entry.zset.score(member)!)))
  }
  return { array: items }
}

/** The sorted-set commands. */
export const ZSET_COMMANDS: readonly CommandSpec[] = [
  { name: "zadd", arity: -4, run: zadd },
  { name: "zincrby", arity: 4, run: zincrby },
  { name: "zscore", arity: 3, run: zscore },
  { name: "zrevrange", arity: -4, run: zrevrange },
]
