/**
 * A tiny reference model of Redis semantics for the model-based test: the rules of docs/redis.md
 * written as plainly as possible (a map of keys, an expiry time per key, a full sort per range),
 * for the commands SET [NX|XX] [PX] [GET], GET, DEL, PEXPIRE, PTTL, HINCRBY, ZADD, ZREVRANGE.
 * Scores are limited to halves within ±1000, whose `%.17g` is JavaScript's own `String`.
 */
import type { RedisReply } from "../../../src/models/redis/index.ts"

type Value =
  | { kind: "string"; text: string }
  | { kind: "hash"; fields: Map<string, number> }
  | { kind: "zset"; scores: Map<string, number> }

const WRONGTYPE: RedisReply = { error: "WRONGTYPE Operation against a key holding the wrong kind of value" }

/** Redis as a map of keys with optional expiry times. */
export class ReferenceRedis {
  private readonly keys = new Map<string, { value: Value; expiresAtMs: number | null }>()
  nowMs = 0

  private live(key: string): { value: Value; expiresAtMs: number | null } | undefined {
    const entry = this.keys.get(key)
    if (entry !== undefined && entry.expiresAtMs !== null && this.nowMs > entry.expiresAtMs) {
      this.keys.delete(key)
      return undefined
    }
    return entry
  }

  set(key: string, text: string, options: { nx: boolean; xx: boolean; pxMs: number | null; get: boolean }): RedisReply {
    const entry = this.live(key)
    let old: RedisReply = { status: "OK" }
    if (options.get) {
      if (entry !== undefined && entry.value.kind !== "string") return WRONGTYPE
      old = { bulk: entry?.value.kind === "string" ? entry.value.text : null }
    }
    if ((options.nx && entry !== undefined) || (options.xx && entry === undefined))
      return options.get ? old : { bulk: null }
    this.keys.set(key, {
      value: { kind: "string", text },
      expiresAtMs: options.pxMs === null ? null : this.nowMs + options.pxMs,
    })
    return old
  }

  get(key: string): RedisReply {
    const entry = this.live(key)
    if (entry === undefined) return { bulk: null }
    return entry.value.kind === "string" ? { bulk: entry.value.text } : WRONGTYPE
  }

  del(keys: readonly string[]): RedisReply {
    let count = 0
    for (const key of keys) if (this.live(key) !== undefined && this.keys.delete(key)) count++
    return { integer: count }
  }

  pexpire(key: string, ms: number): RedisReply {
    const entry = this.live(key)
    if (entry === undefined) return { integer: 0 }
    if (ms <= 0) this.keys.delete(key)
    else entry.expiresAtMs = this.nowMs + ms
    return { integer: 1 }
  }

  pttl(key: string): RedisReply {
    const entry = this.live(key)
    if (entry === undefined) return { integer: -2 }
    return { integer: entry.expiresAtMs === null ? -1 : entry.expiresAtMs - this.nowMs }
  }

  hincrby(key: string, field: string, delta: number): RedisReply {
    let entry = this.live(key)
    if (entry !== undefined && entry.value.kind !== "hash") return WRONGTYPE
    if (entry === undefined) {
      entry = { value: { kind: "hash", fields: new Map() }, expiresAtMs: null }
      this.keys.set(key, entry)
    }
    const fields = (entry.value as { fields: Map<string, number> }).fields
    const sum = (fields.get(field) ?? 0) + delta
    fields.set(field, sum)
    return { integer: sum }
  }

  zadd(key: string, score: number, member: string): RedisReply {
    let entry = this.live(key)
    if (entry !== undefined && entry.value.kind !== "zset") return WRONGTYPE
    if (entry === undefined) {
      entry = { value: { kind: "zset", scores: new Map() }, expiresAtMs: null }
      this.keys.set(key, entry)
    }
    const scores = (entry.value as { scores: Map<string, number> }).scores
    const added = scores.has(member) ? 0 : 1
    scores.set(member, score)
    return { integer: added }
  }

  zrevrange(key: string, start: number, stop: number, withScores: boolean): RedisReply {
    const entry = this.live(key)
    if (entry === undefined) return { array: [] }
    if (entry.value.kind !== "zset") return WRONGTYPE
    const scores = entry.value.scores
    const order = [...scores.keys()].sort((a, b) => scores.get(b)! - scores.get(a)! || (a < b ? 1 : a > b ? -1 : 0))
    const n = order.length
    const from = Math.max(0, start < 0 ? n + start : start)
    const to = Math.min(n - 1, stop < 0 ? n + stop : stop)
    const items: RedisReply[] = []
    for (let i = from; i <= to; i++) {
      items.push({ bulk: order[i]! })
      if (withScores) items.push({ bulk: String(scores.get(order[i]!)) })
    }
    return { array: items }
  }
}
