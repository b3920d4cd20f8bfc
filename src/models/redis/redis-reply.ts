/**
 * Redis replies, typed as RESP2 types them: a simple string (`+OK`), an integer (`:1`), a bulk
 * string or nil (`$1\r\nv`, `$-1`), an array (`*2 ...`) and an error (`-ERR ...`).
 *
 * A reply is a one-key object that is also its JSON form (`{ "status": "OK" }`, `{ "integer": 1 }`,
 * `{ "bulk": "v" }`, `{ "bulk": null }`, `{ "array": [...] }`, `{ "error": "ERR ..." }`), so a
 * recorded run can be compared with a real Redis reply by reply. {@link formatReply} prints one the
 * way redis-cli does. Integers beyond 2^53 are bigints (Redis integers are 64-bit); see docs/redis.md.
 */

/** A simple string reply, e.g. `OK`. */
export interface StatusReply {
  readonly status: string
}
/** An integer reply: a number, or a bigint when its magnitude exceeds 2^53. */
export interface IntegerReply {
  readonly integer: number | bigint
}
/** A bulk string reply, or nil (`null`). */
export interface BulkReply {
  readonly bulk: string | null
}
/** An array reply (RESP2 has no maps: HGETALL is a flat array of field, value). */
export interface ArrayReply {
  readonly array: readonly RedisReply[]
}
/** An error reply with Redis's own text, prefix included (`ERR ...`, `WRONGTYPE ...`). */
export interface ErrorReply {
  readonly error: string
}

/** Every reply the simulated Redis gives. */
export type RedisReply = StatusReply | IntegerReply | BulkReply | ArrayReply | ErrorReply

/** `+OK`. */
export const OK: StatusReply = Object.freeze({ status: "OK" })
/** `$-1`: the nil bulk string. */
export const NIL: BulkReply = Object.freeze({ bulk: null })
/** `:0`. */
export const ZERO: IntegerReply = Object.freeze({ integer: 0 })
/** `:1`. */
export const ONE: IntegerReply = Object.freeze({ integer: 1 })
/** `*0`. */
export const EMPTY_ARRAY: ArrayReply = Object.freeze({ array: Object.freeze([]) })

/** An integer reply. */
export function integer(value: number | bigint): IntegerReply {
  if (value === 0) return ZERO
  if (value === 1) return ONE
  return { integer: value }
}

/** A bulk string reply (nil for `null`). */
export function bulk(value: string | null): BulkReply {
  return value === null ? NIL : { bulk: value }
}

/** An error reply. */
export function error(text: string): ErrorReply {
  return { error: text }
}

/** True for an error reply. */
export function isError(reply: RedisReply): reply is ErrorReply {
  return "error" in reply
}

/** The reply's JSON-safe form: the reply itself, with a bigint integer written as a (rounded) number. */
export function replyToJson(reply: RedisReply): RedisReply {
  if ("integer" in reply && typeof reply.integer === "bigint") return { integer: Number(reply.integer) }
  if ("array" in reply) return { array: reply.array.map(replyToJson) }
  return reply
}

/** A bulk string as redis-cli quotes it: in double quotes, with `\n`, `\"`, `\\` and `\xHH` escapes. */
export function quoteBulk(text: string): string {
  let out = '"'
  for (const char of text) {
    const code = char.codePointAt(0)!
    if (char === "\\" || char === '"') out += `\\${char}`
    else if (char === "\n") out += "\\n"
    else if (char === "\r") out += "\\r"
    else if (char === "\t") out += "\\t"
    else if (char === "\x07") out += "\\a"
    else if (char === "\b") out += "\\b"
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`
    else if (code < 0x80) out += char
    else for (const byte of Buffer.from(char, "utf8")) out += `\\x${byte.toString(16).padStart(2, "0")}`
  }
  return `${out}"`
}

/**
 * The reply as redis-cli prints it on a terminal: `OK`, `(nil)`, `(integer) 1`, `"v"`,
 * `(error) ERR ...`, `(empty array)`, and arrays numbered `1) "a"` with nested arrays indented.
 */
export function formatReply(reply: RedisReply): string[] {
  if ("status" in reply) return [reply.status]
  if ("integer" in reply) return [`(integer) ${reply.integer}`]
  if ("bulk" in reply) return [reply.bulk === null ? "(nil)" : quoteBulk(reply.bulk)]
  if ("error" in reply) return [`(error) ${reply.error}`]
  if (reply.array.length === 0) return ["(empty array)"]
  const width = String(reply.array.length).length
  const lines: string[] = []
  reply.array.forEach((item, index) => {
    const prefix = `${String(index + 1).padStart(width)}) `
    const inner = formatReply(item)
    lines.push(prefix + inner[0]!)
    for (const line of inner.slice(1)) lines.push(" ".repeat(prefix.length) + line)
  })
  return lines
}
