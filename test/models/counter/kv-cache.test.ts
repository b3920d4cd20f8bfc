/**
 * The Redis-like cache: HINCRBY, TTL, the fill and the atomic script.
 */
import { describe, expect, it } from "vitest"
import { KvCache } from "../../../src/models/counter/index.ts"

function cacheAt(): { cache: KvCache; clock: { now: number } } {
  const clock = { now: 0 }
  return { cache: new KvCache({ now: () => clock.now }), clock }
}

describe("KvCache", () => {
  it("treats a missing key and a missing field as 0 in HINCRBY, and accepts negative increments", () => {
    const { cache } = cacheAt()

    expect(cache.hincrby("k", "like", 1)).toBe(1)
    expect(cache.hincrby("k", "read", -2)).toBe(-2)
    expect(cache.hgetall("k")).toEqual({ like: 1, read: -2 })
  })

  it("gives a key created by HINCRBY no TTL", () => {
    const { cache, clock } = cacheAt()
    cache.hincrby("k", "like", 1)
    clock.now = 1e9

    expect(cache.ttlMs("k")).toBe(Infinity)
    expect(cache.exists("k")).toBe(true)
  })

  it("fills only an absent key, expires it after its TTL, and keeps the TTL across HINCRBY", () => {
    const { cache, clock } = cacheAt()

    expect(cache.fillIfAbsent("k", { like: 7 }, 100)).toBe(true)
    expect(cache.fillIfAbsent("k", { like: 3 }, 100)).toBe(false)
    clock.now = 50
    expect(cache.hincrby("k", "like", 1)).toBe(8)
    expect(cache.ttlMs("k")).toBe(50)
    clock.now = 100
    expect(cache.exists("k")).toBe(false)
    expect(cache.expired).toBe(1)
  })

  it("runs the script atomically: increments an existing key, creates nothing when it is absent", () => {
    const { cache, clock } = cacheAt()
    cache.fillIfAbsent("k", { like: 7 }, 100)

    expect(cache.incrIfExists("k", "like", 1)).toBe(8)
    clock.now = 100
    expect(cache.incrIfExists("k", "like", 1)).toBeUndefined()
    expect(cache.hgetall("k")).toBeUndefined()
  })

  it("re-creates an expired key holding only the delta when EXISTS and HINCRBY are two calls", () => {
    const { cache, clock } = cacheAt()
    cache.fillIfAbsent("k", { like: 7 }, 100)
    const expired: string[] = []
    cache.onExpire((key, at) => expired.push(`${key}@${at}`))

    expect(cache.exists("k")).toBe(true)
    clock.now = 100
    expect(cache.hincrby("k", "like", 1)).toBe(1)
    expect(cache.ttlMs("k")).toBe(Infinity)
    expect(expired).toEqual(["k@100"])
  })
})
