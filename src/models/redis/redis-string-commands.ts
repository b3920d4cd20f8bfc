/**
 * String and key commands: SET, GET, INCR, INCRBY, DEL, EXISTS, PEXPIRE, PTTL, following Redis
 * 7.0's `t_string.c` and `expire.c` step by step (option parsing, then argument values, then the
 * key), so that every error comes in the same order as Redis's. See docs/redis.md.
 */
import type { CommandContext, CommandSpec } from "./redis-command.ts"
import { invalidExpireTime, NOT_AN_INTEGER, OVERFLOW, SYNTAX_ERROR, WRONGTYPE } from "./redis-errors.ts"
import { type Entry, NO_EXPIRY } from "./redis-keyspace.ts"
import { addInt64, INT64_MAX, parseInteger } from "./redis-numbers.ts"
import { bulk, error, integer, NIL, OK, ONE, type RedisReply, ZERO } from "./redis-reply.ts"

type ExpiryUnit = "EX" | "PX" | "EXAT" | "PXAT"

interface SetOptions {
  nx: boolean
  xx: boolean
  get: boolean
  keepTtl: boolean
  expiry: { unit: ExpiryUnit; text: string } | undefined
}

/** SET's options, parsed as Redis's `parseExtendedStringArgumentsOrReply` does, or a syntax error. */
function parseSetOptions(argv: readonly string[]): SetOptions | RedisReply {
  const options: SetOptions = { nx: false, xx: false, get: false, keepTtl: false, expiry: undefined }
  for (let j = 3; j < argv.length; j++) {
    const option = argv[j]!.toUpperCase()
    const next = argv[j + 1]
    const unit = options.expiry?.unit
    if (option === "NX" && !options.xx) options.nx = true
    else if (option === "XX" && !options.nx) options.xx = true
    else if (option === "GET") options.get = true
    else if (option === "KEEPTTL" && unit === undefined) options.keepTtl = true
    else if (
      isExpiryUnit(option) &&
      (unit === undefined || unit === option) &&
      !options.keepTtl &&
      next !== undefined
    ) {
      options.expiry = { unit: option, text: next }
      j++
    } else return SYNTAX_ERROR
  }
  return options
}

function isExpiryUnit(option: string): option is ExpiryUnit {
  return option === "EX" || option === "PX" || option === "EXAT" || option === "PXAT"
}

/** The absolute expiry time SET's option asks for, or an error reply. */
function setExpiryTime(expiry: { unit: ExpiryUnit; text: string }, nowMs: number): number | RedisReply {
  const value = parseInteger(expiry.text)
  if (value === undefined) return NOT_AN_INTEGER
  const seconds = expiry.unit === "EX" || expiry.unit === "EXAT"
  if (value <= 0 || (seconds && BigInt(value) > INT64_MAX / 1000n)) return invalidExpireTime("set")
  let atMs = Number(value) * (seconds ? 1000 : 1)
  if (expiry.unit === "EX" || expiry.unit === "PX") atMs += nowMs
  if (atMs > Number(INT64_MAX)) return invalidExpireTime("set")
  return atMs
}

/** `SET key value` without options: replaces the value and drops any TTL. */
function plainSet(context: CommandContext, key: string, value: string): RedisReply {
  const found = context.keyspace.lookup(key, context.nowMs)
  if (found !== undefined && found.kind === "string") {
    found.value = value
    found.expiresAtMs = NO_EXPIRY
  } else context.keyspace.put(key, { kind: "string", value, expiresAtMs: NO_EXPIRY })
  return OK
}

function set(context: CommandContext, argv: readonly string[]): RedisReply {
  if (argv.length === 3) return plainSet(context, argv[1]!, argv[2]!)
  const options = parseSetOptions(argv)
  if (!("nx" in options)) return options
  let atMs = NO_EXPIRY
  if (options.expiry !== undefined) {
    const parsed = setExpiryTime(options.expiry, context.nowMs)
    if (typeof parsed !== "number") return parsed
    atMs = parsed
  }
  const key = argv[1]!
  const found = context.keyspace.lookup(key, context.nowMs)
  let reply: RedisReply = OK
  if (options.get) {
    if (found !== undefined && found.kind !== "string") return WRONGTYPE
    reply = bulk(found === undefined ? null : found.value)
  }
  if ((options.nx && found !== undefined) || (options.xx && found === undefined)) return options.get ? reply : NIL
  if (options.keepTtl && found !== undefined) atMs = found.expiresAtMs
  context.keyspace.put(key, { kind: "string", value: argv[2]!, expiresAtMs: atMs })
  return reply
}

function get(context: CommandContext, argv: readonly string[]): RedisReply {
  const entry = context.keyspace.lookup(argv[1]!, context.nowMs)
  if (entry === undefined) return NIL
  return entry.kind === "string" ? bulk(entry.value) : WRONGTYPE
}

/** INCR and INCRBY: add `increment` to the integer a string key holds (0 when missing); the TTL stays. */
function incrementBy(context: CommandContext, key: string, increment: number | bigint): RedisReply {
  const entry = context.keyspace.lookup(key, context.nowMs)
  if (entry !== undefined && entry.kind !== "string") return WRONGTYPE
  const current = entry === undefined ? 0 : parseInteger(entry.value)
  if (current === undefined) return NOT_AN_INTEGER
  const sum = addInt64(current, increment)
  if (sum === undefined) return OVERFLOW
  if (entry === undefined) context.keyspace.put(key, { kind: "string", value: String(sum), expiresAtMs: NO_EXPIRY })
  else entry.value = String(sum)
  return integer(sum)
}

function incrby(context: CommandContext, argv: readonly string[]): RedisReply {
  const increment = parseInteger(argv[2]!)
  return increment === undefined ? NOT_AN_INTEGER : incrementBy(context, argv[1]!, increment)
}

function del(context: CommandContext, argv: readonly string[]): RedisReply {
  let removed = 0
  for (let i = 1; i < argv.length; i++) {
    if (context.keyspace.lookup(argv[i]!, context.nowMs) !== undefined && context.keyspace.remove(argv[i]!)) removed++
  }
  return integer(removed)
}

function exists(context: CommandContext, argv: readonly string[]): RedisReply {
  let count = 0
  for (let i = 1; i < argv.length; i++) if (context.keyspace.lookup(argv[i]!, context.nowMs) !== undefined) count++
  return integer(count)
}

interface ExpireFlags {
  nx: boolean
  xx: boolean
  gt: boolean
  lt: boolean
}

/** PEXPIRE's NX/XX/GT/LT, as Redis's `parseExtendedExpireArgumentsOrReply`. */
function parseExpireFlags(argv: readonly string[]): ExpireFlags | RedisReply {
  const flags: ExpireFlags = { nx: false, xx: false, gt: false, lt: false }
  for (let j = 3; j < argv.length; j++) {
    const option = argv[j]!.toLowerCase()
    if (option === "nx" || option === "xx" || option === "gt" || option === "lt") flags[option] = true
    else return error(`ERR Unsupported option ${argv[j]}`)
  }
  if (flags.nx && (flags.xx || flags.gt || flags.lt))
    return error("ERR NX and XX, GT or LT options at the same time are not compatible")
  if (flags.gt && flags.lt) return error("ERR GT and LT options at the same time are not compatible")
  return flags
}

/** True when PEXPIRE's flags forbid replacing `currentMs` (NO_EXPIRY: none) by `atMs`. */
function expireRefused(flags: ExpireFlags, currentMs: number, atMs: number): boolean {
  const persistent = currentMs === NO_EXPIRY
  return (
    (flags.nx && !persistent) ||
    (flags.xx && persistent) ||
    (flags.gt && (persistent || atMs <= currentMs)) ||
    (flags.lt && !persistent && atMs >= currentMs)
  )
}

function pexpire(context: CommandContext, argv: readonly string[]): RedisReply {
  const flags = parseExpireFlags(argv)
  if (!("nx" in flags)) return flags
  const ms = parseInteger(argv[2]!)
  if (ms === undefined) return NOT_AN_INTEGER
  if (BigInt(ms) > INT64_MAX - BigInt(context.nowMs)) return invalidExpireTime("pexpire")
  const atMs = Number(ms) + context.nowMs
  const key = argv[1]!
  const entry = context.keyspace.lookup(key, context.nowMs)
  if (entry === undefined || expireRefused(flags, entry.expiresAtMs, atMs)) return ZERO
  // As Redis's checkAlreadyExpired: a time not after now deletes the key at once.
  if (atMs <= context.nowMs) context.keyspace.remove(key)
  else context.keyspace.expireAt(key, entry, atMs)
  return ONE
}

function pttl(context: CommandContext, argv: readonly string[]): RedisReply {
  const entry: Entry | undefined = context.keyspace.lookup(argv[1]!, context.nowMs)
  if (entry === undefined) return integer(-2)
  if (entry.expiresAtMs === NO_EXPIRY) return integer(-1)
  return integer(Math.max(0, entry.expiresAtMs - context.nowMs))
}

/** The string and key commands. */
export const STRING_COMMANDS: readonly CommandSpec[] = [
  { name: "set", arity: -3, run: set },
  { name: "get", arity: 2, run: get },
  { name: "incr", arity: 2, run: (context, argv) => incrementBy(context, argv[1]!, 1) },
  { name: "incrby", arity: 3, run: incrby },
  { name: "del", arity: -2, run: del },
  { name: "exists", arity: -2, run: exists },
  { name: "pexpire", arity: -3, run: pexpire },
  { name: "pttl", arity: 2, run: pttl },
]
