/**
 * The counters' cache on the shared simulated Redis: the behaviour the old KvCache tests policed,
 * now asserted on the real commands the clients send (HINCRBY, the fill, the atomic script, EXISTS),
 * and how the observer reads a recorded command back.
 */
import { describe, expect, it } from "vitest"
import {
  cacheCommandOf,
  countsOfReply,
  existsCommand,
  fillCommand,
  hgetallCommand,
  hincrbyCommand,
  incrIfExistsCommand,
} from "../../../src/models/counter/index.ts"
import { type RedisReply, RedisServer, replyToJson } from "../../../src/models/redis/index.ts"

function cacheAt(): { run: (argv: readonly string[]) => RedisReply; clock: { now: number }; expired: string[] } {
  const clock = { now: 0 }
  const expired: string[] = []
  const server = new RedisServer({ clock: () => clock.now, onKeyExpired: (key, way) => expired.push(`${key}:${way}`) })
  return { run: (argv) => server.execute(argv), clock, expired }
}

const counts = (read: number, like: number, collect: number) => ({ read, like, collect })

describe("the counters' cache commands on Redis", () => {
  it("treats a missing key and a missing field as 0 in HINCRBY, and accepts negative increments", () => {
    const { run } = cacheAt()

    expect(run(hincrbyCommand("k", "like", 1))).toEqual({ integer: 1 })
    expect(run(hincrbyCommand("k", "read", -2))).toEqual({ integer: -2 })
    expect(countsOfReply(run(hgetallCommand("k")))).toEqual(counts(-2, 1, 0))
  })

  it("gives a key created by HINCRBY no TTL", () => {
    const { run, clock } = cacheAt()
    run(hincrbyCommand("k", "like", 1))
    clock.now = 1e9

    expect(run(["PTTL", "k"])).toEqual({ integer: -1 })
    expect(run(existsCommand("k"))).toEqual({ integer: 1 })
  })

  it("fills only an absent key, expires it strictly after its TTL, and keeps the TTL across HINCRBY", () => {
    const { run, clock, expired } = cacheAt()

    expect(run(fillCommand("k", counts(0, 7, 0), 100))).toEqual({ integer: 1 })
    expect(run(fillCommand("k", counts(0, 3, 0), 100))).toEqual({ integer: 0 })
    clock.now = 50
    expect(run(hincrbyCommand("k", "like", 1))).toEqual({ integer: 8 })
    expect(run(["PTTL", "k"])).toEqual({ integer: 50 })
    clock.now = 100
    expect(run(existsCommand("k"))).toEqual({ integer: 1 })
    clock.now = 101
    expect(run(existsCommand("k"))).toEqual({ integer: 0 })
    expect(expired).toEqual(["k:lazy"])
  })

  it("rounds a fractional fill TTL up to whole milliseconds (Redis TTLs are integers)", () => {
    expect(fillCommand("article:1", counts(1, 2, 3), 0.5)).toEqual([
      "FCALL",
      "fill_if_absent",
      "1",
      "article:1",
      "1",
      "read",
      "1",
      "like",
      "2",
      "collect",
      "3",
    ])
  })

  it("runs the script atomically: increments an existing key, creates nothing when it is absent", () => {
    const { run, clock } = cacheAt()
    run(fillCommand("k", counts(0, 7, 0), 100))

    expect(run(incrIfExistsCommand("k", "like", 1))).toEqual({ integer: 8 })
    clock.now = 101
    expect(run(incrIfExistsCommand("k", "like", 1))).toEqual({ bulk: null })
    expect(run(hgetallCommand("k"))).toEqual({ array: [] })
    expect(countsOfReply(run(hgetallCommand("k")))).toBeUndefined()
  })

  it("re-creates an expired key holding only the delta when EXISTS and HINCRBY are two calls", () => {
    const { run, clock, expired } = cacheAt()
    run(fillCommand("k", counts(0, 7, 0), 100))

    expect(run(existsCommand("k"))).toEqual({ integer: 1 })
    clock.now = 101
    expect(run(hincrbyCommand("k", "like", 1))).toEqual({ integer: 1 })
    expect(run(["PTTL", "k"])).toEqual({ integer: -1 })
    expect(expired).toEqual(["k:lazy"])
  })

  it("reads a recorded command back as the counters model sees it", () => {
    const { run } = cacheAt()
    const read = (argv: readonly string[]) =>
      cacheCommandOf({ type: "CommandExecuted", node: "cache", client: "c1", argv, reply: replyToJson(run(argv)) })

    expect(read(hgetallCommand("article:1"))).toEqual({ op: "read", key: "article:1", hit: false })
    expect(read(fillCommand("article:1", counts(1, 2, 3), 100))).toEqual({ op: "fill", key: "article:1", set: true })
    expect(read(hgetallCommand("article:1"))).toEqual({ op: "read", key: "article:1", hit: true })
    expect(read(existsCommand("article:1"))).toEqual({ op: "check", key: "article:1", exists: true })
    expect(read(hincrbyCommand("article:1", "like", -1))).toEqual({
      op: "incr",
      key: "article:1",
      kind: "like",
      value: 1,
    })
    expect(read(incrIfExistsCommand("article:2", "read", 1))).toEqual({
      op: "script",
      key: "article:2",
      kind: "read",
      value: undefined,
    })
    expect(read(["GET", "x"])).toBeUndefined()
    expect(read(["HINCRBY", "article:1", "views", "1"])).toBeUndefined()
  })
})
