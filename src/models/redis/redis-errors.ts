/**
 * Redis 7.0's own error texts, word for word, for the replies the simulated server gives.
 * See docs/redis.md ("Errors").
 */
import { type ErrorReply, error } from "./redis-reply.ts"

export const WRONGTYPE = error("WRONGTYPE Operation against a key holding the wrong kind of value")
export const SYNTAX_ERROR = error("ERR syntax error")
export const NOT_AN_INTEGER = error("ERR value is not an integer or out of range")
export const NOT_A_FLOAT = error("ERR value is not a valid float")
export const OVERFLOW = error("ERR increment or decrement would overflow")
export const HASH_VALUE_NOT_INTEGER = error("ERR hash value is not an integer")
export const SCORE_NAN = error("ERR resulting score is not a number (NaN)")

/** `ERR invalid expire time in '<command>' command`. */
export function invalidExpireTime(command: string): ErrorReply {
  return error(`ERR invalid expire time in '${command}' command`)
}

/** `ERR wrong number of arguments for '<command>' command` (the command's lower-case name). */
export function wrongArity(command: string): ErrorReply {
  return error(`ERR wrong number of arguments for '${command}' command`)
}

/**
 * `ERR unknown command '<name>', with args beginning with: '<a>' '<b>' `: the name cut at 128
 * characters, then arguments while the list is shorter than 128 characters, each cut to what is
 * left of them; line breaks become spaces, as Redis's `rejectCommandFormat` does.
 */
export function unknownCommand(argv: readonly string[]): ErrorReply {
  let args = ""
  for (let i = 1; i < argv.length && args.length < 128; i++) args += `'${argv[i]!.slice(0, 128 - args.length)}' `
  const text = `ERR unknown command '${(argv[0] ?? "").slice(0, 128)}', with args beginning with: ${args}`
  return error(text.replace(/[\r\n]/g, " "))
}
