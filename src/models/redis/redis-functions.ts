/**
 * The server-side functions the lessons call with `FCALL <function> <numkeys> keys... args...`,
 * each the Lua function of the same name (its text is in docs/redis.md, "Functions") run atomically:
 *
 * - `lock_release 1 key token`: deletes the key only if it holds `token`; 1 if deleted, else 0;
 * - `lock_extend 1 key token ttlMs`: `PEXPIRE key ttlMs` only if the key holds `token`; its reply, else 0;
 * - `incr_if_exists 1 key field delta`: `HINCRBY key field delta` only if the key exists; its reply, else nil;
 * - `fill_if_absent 1 key ttlMs field value [field value ...]`: only if the key is absent, `HINCRBY`
 *   each field by its value (a fresh hash of these counts), then `PEXPIRE key ttlMs`; 1 if filled, else 0.
 *
 * An error raised by a command inside a function comes back as Redis 7.0 reports it: the error
 * text followed by ` script: <function>, on @user_function:<line>.`, with the line of the Lua call;
 * integer replies pass through a Lua number (a double), so beyond 2^53 they are rounded as in Redis.
 */
import type { CommandContext } from "./redis-command.ts"
import { INT64_MAX, INT64_MIN, parseInteger, toNumberIfSafe } from "./redis-numbers.ts"
import { error, integer, isError, NIL, type RedisReply, ZERO } from "./redis-reply.ts"

/** A function: keys and args as FCALL split them. */
type ServerFunction = (context: CommandContext, keys: readonly string[], args: readonly string[]) => RedisReply

/** Lines of the Lua library in docs/redis.md where each function calls Redis. */
const LINE = {
  get: 3,
  release: 6,
  extend: 10,
  exists: 14,
  hincrby: 15,
  fillExists: 20,
  fillHincrby: 22,
  fillExpire: 24,
} as const

/**
 * Lua's `redis.call(...)` from function `name` at `line`: a missing argument (Lua's nil) and an
 * error reply come back as Redis reports them, with the script's location appended; an integer
 * reply passes through a Lua number (a double), as in Redis 7.0's Lua 5.1.
 */
function luaCall(
  context: CommandContext,
  name: string,
  line: number,
  argv: readonly (string | undefined)[],
): RedisReply {
  const location = ` script: ${name}, on @user_function:${line}.`
  if (argv.some((word) => word === undefined))
    return error(`ERR Lua redis lib command arguments must be strings or integers${location}`)
  const reply = context.call(argv as string[])
  if (isError(reply)) return error(`${reply.error}${location}`)
  if ("integer" in reply && typeof reply.integer === "bigint") return integer(throughDouble(reply.integer))
  return reply
}

/**
 * A 64-bit integer converted to a double and back, as a Lua 5.1 number carries it; a double that
 * rounds to ±2^63 converts back to the smallest 64-bit integer, as the x86-64 conversion gives.
 */
function throughDouble(value: bigint): number | bigint {
  const rounded = BigInt(Number(value))
  return toNumberIfSafe(rounded > INT64_MAX || rounded < INT64_MIN ? INT64_MIN : rounded)
}

/** Lua's `redis.call('GET', keys[1]) == args[1]`: a missing key (false) or another value is unequal. */
function holds(
  context: CommandContext,
  name: string,
  keys: readonly string[],
  args: readonly string[],
): boolean | RedisReply {
  const value = luaCall(context, name, LINE.get, ["GET", keys[0]])
  if (isError(value)) return value
  return "bulk" in value && value.bulk !== null && value.bulk === args[0]
}

/**
 * `fill_if_absent`: the cache fill that never overwrites a newer one. Like its Lua original, it stops
 * at the first error, keeping what it already wrote (a function is not rolled back).
 */
function fillIfAbsent(context: CommandContext, keys: readonly string[], args: readonly string[]): RedisReply {
  const name = "fill_if_absent"
  const exists = luaCall(context, name, LINE.fillExists, ["EXISTS", keys[0]])
  if (isError(exists)) return exists
  if ("integer" in exists && exists.integer === 1) return ZERO
  for (let i = 1; i < args.length; i += 2) {
    const reply = luaCall(context, name, LINE.fillHincrby, ["HINCRBY", keys[0], args[i], args[i + 1]])
    if (isError(reply)) return reply
  }
  const expire = luaCall(context, name, LINE.fillExpire, ["PEXPIRE", keys[0], args[0]])
  return isError(expire) ? expire : integer(1)
}

const FUNCTIONS: ReadonlyMap<string, ServerFunction> = new Map<string, ServerFunction>([
  [
    "lock_release",
    (context, keys, args) => {
      const match = holds(context, "lock_release", keys, args)
      if (typeof match !== "boolean") return match
      return match ? luaCall(context, "lock_release", LINE.release, ["DEL", keys[0]]) : ZERO
    },
  ],
  [
    "lock_extend",
    (context, keys, args) => {
      const match = holds(context, "lock_extend", keys, args)
      if (typeof match !== "boolean") return match
      return match ? luaCall(context, "lock_extend", LINE.extend, ["PEXPIRE", keys[0], args[1]]) : ZERO
    },
  ],
  [
    "incr_if_exists",
    (context, keys, args) => {
      const exists = luaCall(context, "incr_if_exists", LINE.exists, ["EXISTS", keys[0]])
      if (isError(exists)) return exists
      if (!("integer" in exists) || exists.integer !== 1) return NIL
      return luaCall(context, "incr_if_exists", LINE.hincrby, ["HINCRBY", keys[0], args[0], args[1]])
    },
  ],
  ["fill_if_absent", fillIfAbsent],
])

/** The names of the functions FCALL knows. */
export const FUNCTION_NAMES: readonly string[] = [...FUNCTIONS.keys()]

/** FCALL: looks the function up, splits keys from args, runs it. */
export function fcall(context: CommandContext, argv: readonly string[]): RedisReply {
  const fn = FUNCTIONS.get(argv[1]!)
  if (fn === undefined) return error("ERR Function not found")
  const numkeys = parseInteger(argv[2]!)
  if (numkeys === undefined) return error("ERR Bad number of keys provided")
  if (numkeys > argv.length - 3) return error("ERR Number of keys can't be greater than number of args")
  if (numkeys < 0) return error("ERR Number of keys can't be negative")
  const count = Number(numkeys)
  return fn(context, argv.slice(3, 3 + count), argv.slice(3 + count))
}
