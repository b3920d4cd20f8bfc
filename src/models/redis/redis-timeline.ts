/**
 * The story of a run on the simulated Redis, one line per event that matters: each command with
 * its reply (`client> SET k v NX PX 500  →  OK`), keys removed by their TTL, a keyspace lost in a
 * crash, and the faults as they strike. Messages are left out (every command is two of them).
 */
import type { Traced } from "../../kernel/index.ts"
import { type NetEvent, netTimelineLine } from "../../net/index.ts"
import type { RedisEvent } from "./redis-events.ts"
import { quoteBulk, type RedisReply } from "./redis-reply.ts"

/** A word of a command as redis-cli would need it typed: bare when plain, else quoted. */
export function quoteWord(word: string): string {
  return /^[\x21-\x7e]+$/.test(word) && !/["'\\]/.test(word) ? word : quoteBulk(word)
}

/** A reply on one line: `OK`, `(nil)`, `(integer) 1`, `"v"`, `[1) "a" 2) "1"]`, `(error) ERR ...`. */
export function replyOnOneLine(reply: RedisReply): string {
  if ("status" in reply) return reply.status
  if ("integer" in reply) return `(integer) ${reply.integer}`
  if ("bulk" in reply) return reply.bulk === null ? "(nil)" : quoteBulk(reply.bulk)
  if ("error" in reply) return `(error) ${reply.error}`
  if (reply.array.length === 0) return "(empty array)"
  return `[${reply.array.map((item, index) => `${index + 1}) ${replyOnOneLine(item)}`).join(" ")}]`
}

/** The timeline line of a record, or undefined when the timeline leaves it out. */
export function redisTimeline(record: Traced<RedisEvent | NetEvent>): string | undefined {
  switch (record.type) {
    case "CommandExecuted":
      return `${record.client}> ${record.argv.map(quoteWord).join(" ")}  →  ${replyOnOneLine(record.reply)}`
    case "KeyExpired":
      return record.way === "lazy"
        ? `${record.node}: key ${quoteWord(record.key)} found expired on access, removed`
        : `${record.node}: key ${quoteWord(record.key)} removed by the active expiry cycle (TTL passed)`
    case "KeyspaceLost":
      return `${record.node}: every key lost in the crash (${record.keys}; no persistence)`
    default:
      return netTimelineLine(record)
  }
}

/** True for a record the timeline shows. */
export function isRedisTimelineRecord(record: Traced): boolean {
  return redisTimeline(record as Traced<RedisEvent | NetEvent>) !== undefined
}
