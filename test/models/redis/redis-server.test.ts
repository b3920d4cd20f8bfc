import { describe, expect, it } from "vitest"
import {
  formatDouble,
  formatReply,
  parseDouble,
  parseRedisScript,
  RedisServer,
} from "../../../src/models/redis/index.ts"

/** A server whose clock the test moves. */
function serverAt(startMs = 0): {
  server: RedisServer
  run: (line: string) => unknown
  advance: (ms: number) => void
  expired: string[]
} {
  let now = startMs
  const expired: string[] = []
  const server = new RedisServer({ clock: () => now, onKeyExpired: (key, way) => expired.push(`${key}:${way}`) })
  const run = (line: string): unknown => {
    const parsed = parseRedisScript(line, ";")
    if (!parsed.ok || parsed.steps[0]!.kind !== "command") throw new Error(`bad test command ${line}`)
    return server.execute(parsed.steps[0]!.argv)
  }
  return { server, run, advance: (ms) => void (now += ms), expired }
}

describe("RedisServer: strings, keys and TTLs", () => {
  it("answers SET NX PX as a lock: OK, then nil while held, PTTL counting down to 0, gone 1ms after", () => {
    const { run, advance } = serverAt()

    const first = run("SET lock a NX PX 500")
    const second = run("SET lock b NX PX 500")
    advance(200)
    const ttlAt200 = run("PTTL lock")
    advance(300)
    const ttlAt500 = run("PTTL lock")
    const valueAt500 = run("GET lock")
    advance(1)

    expect([first, second, ttlAt200, ttlAt500, valueAt500]).toEqual([
      { status: "OK" },
      { bulk: null },
      { integer: 300 },
      { integer: 0 },
      { bulk: "a" },
    ])
    expect([run("GET lock"), run("PTTL lock"), run("EXISTS lock")]).toEqual([
      { bulk: null },
      { integer: -2 },
      { integer: 0 },
    ])
  })

  it("answers PTTL -1 for a key without TTL and -2 for a missing key; SET without KEEPTTL drops the TTL", () => {
    const { run } = serverAt()

    run("SET k v PX 100")
    const withTtl = run("PTTL k")
    run("SET k w")
    const without = run("PTTL k")
    run("SET k x PX 100")
    run("SET k y KEEPTTL")

    expect([withTtl, without, run("PTTL k"), run("PTTL missing")]).toEqual([
      { integer: 100 },
      { integer: -1 },
      { integer: 100 },
      { integer: -2 },
    ])
  })

  it("returns the old value with SET ... GET, nil when absent, WRONGTYPE on a hash (and leaves it)", () => {
    const { run } = serverAt()

    const absent = run("SET k v GET")
    const old = run("SET k w GET")
    const nxHeld = run("SET k z NX GET")
    run("HINCRBY h f 1")
    const wrong = run("SET h v GET")

    expect([absent, old, nxHeld, run("GET k")]).toEqual([{ bulk: null }, { bulk: "v" }, { bulk: "w" }, { bulk: "w" }])
    expect(wrong).toEqual({ error: "WRONGTYPE Operation against a key holding the wrong kind of value" })
    expect(run("HGET h f")).toEqual({ bulk: "1" })
  })

  it("refuses contradictory SET options with Redis's texts", () => {
    const { run } = serverAt()

    expect(run("SET k v NX XX")).toEqual({ error: "ERR syntax error" })
    expect(run("SET k v EX 1 PX 2")).toEqual({ error: "ERR syntax error" })
    expect(run("SET k v PX 5 KEEPTTL")).toEqual({ error: "ERR syntax error" })
    expect(run("SET k v PX")).toEqual({ error: "ERR syntax error" })
    expect(run("SET k v PX 0")).toEqual({ error: "ERR invalid expire time in 'set' command" })
    expect(run("SET k v EX -1")).toEqual({ error: "ERR invalid expire time in 'set' command" })
    expect(run("SET k v PX soon")).toEqual({ error: "ERR value is not an integer or out of range" })
    expect(run("SET k v EX 1 EX 2")).toEqual({ status: "OK" })
    expect(run("PTTL k")).toEqual({ integer: 2000 })
  })

  it("increments integers strictly: INCR on text, leading zeros or overflow are errors; INCR keeps the TTL", () => {
    const { run } = serverAt()

    run("SET n 41 PX 1000")
    const incremented = run("INCR n")
    run("SET s abc")

    expect([incremented, run("PTTL n")]).toEqual([{ integer: 42 }, { integer: 1000 }])
    expect(run("INCR s")).toEqual({ error: "ERR value is not an integer or out of range" })
    expect(run("INCRBY n 01")).toEqual({ error: "ERR value is not an integer or out of range" })
    expect(run("INCRBY n +1")).toEqual({ error: "ERR value is not an integer or out of range" })
    run("SET big 9223372036854775806")
    expect(run("INCR big")).toEqual({ integer: 9223372036854775807n })
    expect(run("INCR big")).toEqual({ error: "ERR increment or decrement would overflow" })
    expect(run("INCRBY fresh -5")).toEqual({ integer: -5 })
  })

  it("counts DEL and EXISTS per argument, repeats included, expired keys excluded", () => {
    const { run, advance } = serverAt()

    run("SET a 1")
    run("SET b 2 PX 10")
    advance(11)

    expect(run("EXISTS a a b c")).toEqual({ integer: 2 })
    expect(run("DEL a b c")).toEqual({ integer: 1 })
  })

  it("applies PEXPIRE's NX, XX, GT and LT, deletes on a time not in the future, refuses bad options", () => {
    const { run } = serverAt(1000)

    run("SET k v")
    const results = [
      run("PEXPIRE k 100 XX"),
      run("PEXPIRE k 100 GT"),
      run("PEXPIRE k 100 NX"),
      run("PEXPIRE k 50 GT"),
      run("PEXPIRE k 200 GT"),
      run("PEXPIRE k 300 LT"),
      run("PTTL k"),
    ]

    expect(results).toEqual([
      { integer: 0 },
      { integer: 0 },
      { integer: 1 },
      { integer: 0 },
      { integer: 1 },
      { integer: 0 },
      { integer: 200 },
    ])
    expect(run("PEXPIRE missing 10")).toEqual({ integer: 0 })
    expect(run("PEXPIRE k 10 NX XX")).toEqual({
      error: "ERR NX and XX, GT or LT options at the same time are not compatible",
    })
    expect(run("PEXPIRE k 10 GT LT")).toEqual({ error: "ERR GT and LT options at the same time are not compatible" })
    expect(run("PEXPIRE k 10 SOON")).toEqual({ error: "ERR Unsupported option SOON" })
    expect([run("PEXPIRE k 0"), run("EXISTS k")]).toEqual([{ integer: 1 }, { integer: 0 }])
  })

  it("removes expired keys lazily on access and actively in the cycle, soonest first", () => {
    const { server, run, advance, expired } = serverAt()

    run("SET a 1 PX 30")
    run("SET b 1 PX 10")
    run("SET c 1 PX 20")
    run("PEXPIRE c 1000")
    advance(25)
    const removed = server.expireDue()
    advance(10)
    run("GET a")

    expect(removed).toBe(1)
    expect(expired).toEqual(["b:active", "a:lazy"])
    expect(run("EXISTS c")).toEqual({ integer: 1 })
  })
})

describe("RedisServer: hashes, sorted sets, functions, unknown commands", () => {
  it("counts in hashes with HINCRBY, answers HGET and HGETALL in insertion order, refuses a non-integer field", () => {
    const { run } = serverAt()

    run("HINCRBY likes post:2 1")
    run("HINCRBY likes post:1 5")
    run("HINCRBY likes post:2 1")

    expect(run("HGETALL likes")).toEqual({
      array: [{ bulk: "post:2" }, { bulk: "2" }, { bulk: "post:1" }, { bulk: "5" }],
    })
    expect([run("HGET likes post:1"), run("HGET likes none"), run("HGET none f"), run("HGETALL none")]).toEqual([
      { bulk: "5" },
      { bulk: null },
      { bulk: null },
      { array: [] },
    ])
    expect(run("HINCRBY likes post:1 x")).toEqual({ error: "ERR value is not an integer or out of range" })
    expect(run("GET likes")).toEqual({ error: "WRONGTYPE Operation against a key holding the wrong kind of value" })
  })

  it("orders ZREVRANGE by score descending, ties by member in reverse byte order, scores as %.17g", () => {
    const { run } = serverAt()

    run("ZADD hot 1.5 a 3 b 3 c 0.1 d")
    run("ZINCRBY hot 1e20 e")

    expect(run("ZREVRANGE hot 0 -1 WITHSCORES")).toEqual({
      array: ["e", "1e+20", "c", "3", "b", "3", "a", "1.5", "d", "0.10000000000000001"].map((bulk) => ({ bulk })),
    })
    expect(run("ZREVRANGE hot 1 2")).toEqual({ array: [{ bulk: "c" }, { bulk: "b" }] })
    expect(run("ZREVRANGE hot 9 10")).toEqual({ array: [] })
    expect(run("ZSCORE hot a")).toEqual({ bulk: "1.5" })
    expect(run("ZSCORE hot none")).toEqual({ bulk: null })
  })

  it("answers ZADD's options as Redis 7.0: CH, INCR, XX, GT/LT and their conflicts", () => {
    const { run } = serverAt()

    run("ZADD z 1 a")

    expect(run("ZADD z CH 2 a 1 b")).toEqual({ integer: 2 })
    expect(run("ZADD z GT CH 1 a")).toEqual({ integer: 0 })
    expect(run("ZADD z INCR 0.5 a")).toEqual({ bulk: "2.5" })
    expect(run("ZADD z XX INCR 1 none")).toEqual({ bulk: null })
    expect(run("ZADD z NX XX 1 a")).toEqual({ error: "ERR XX and NX options at the same time are not compatible" })
    expect(run("ZADD z GT LT 1 a")).toEqual({
      error: "ERR GT, LT, and/or NX options at the same time are not compatible",
    })
    expect(run("ZADD z INCR 1 a 2 b")).toEqual({ error: "ERR INCR option supports a single increment-element pair" })
    expect(run("ZADD z nan a")).toEqual({ error: "ERR value is not a valid float" })
    expect(run("ZADD z 1 a 2")).toEqual({ error: "ERR syntax error" })
    run("ZADD z inf x")
    expect(run("ZINCRBY z -inf x")).toEqual({ error: "ERR resulting score is not a number (NaN)" })
  })

  it("runs lock_release and lock_extend only for the holder, incr_if_exists only on an existing key", () => {
    const { run } = serverAt()

    run("SET lock t1 PX 100")
    const results = [
      run("FCALL lock_extend 1 lock t2 5000"),
      run("FCALL lock_extend 1 lock t1 5000"),
      run("PTTL lock"),
      run("FCALL lock_release 1 lock t2"),
      run("FCALL lock_release 1 lock t1"),
      run("EXISTS lock"),
      run("FCALL incr_if_exists 1 counts f 1"),
      run("EXISTS counts"),
    ]
    run("HINCRBY counts f 1")

    expect(results).toEqual([
      { integer: 0 },
      { integer: 1 },
      { integer: 5000 },
      { integer: 0 },
      { integer: 1 },
      { integer: 0 },
      { bulk: null },
      { integer: 0 },
    ])
    expect(run("FCALL incr_if_exists 1 counts f 41")).toEqual({ integer: 42 })
    expect(run("FCALL nope 0")).toEqual({ error: "ERR Function not found" })
    expect(run("FCALL lock_release 2 k")).toEqual({
      error: "ERR Number of keys can't be greater than number of args",
    })
    expect(run("FCALL lock_release 1 counts t")).toEqual({
      error:
        "WRONGTYPE Operation against a key holding the wrong kind of value script: lock_release, on @user_function:3.",
    })
  })

  it("fills a hash with a TTL only when the key is absent (fill_if_absent), stopping at the first error", () => {
    const { run, advance } = serverAt()

    expect(run("FCALL fill_if_absent 1 counts 100 read 3 like 2 collect 0")).toEqual({ integer: 1 })
    expect(run("HGETALL counts")).toEqual({
      array: [{ bulk: "read" }, { bulk: "3" }, { bulk: "like" }, { bulk: "2" }, { bulk: "collect" }, { bulk: "0" }],
    })
    expect(run("PTTL counts")).toEqual({ integer: 100 })
    expect(run("FCALL fill_if_absent 1 counts 500 read 9")).toEqual({ integer: 0 })
    expect(run("HGET counts read")).toEqual({ bulk: "3" })
    advance(101)
    expect(run("FCALL fill_if_absent 1 counts 500 read 9")).toEqual({ integer: 1 })
    expect(run("HGETALL counts")).toEqual({ array: [{ bulk: "read" }, { bulk: "9" }] })
    expect(run("FCALL fill_if_absent 1 odd 100 read")).toEqual({
      error:
        "ERR Lua redis lib command arguments must be strings or integers script: fill_if_absent, on @user_function:22.",
    })
    expect(run("FCALL fill_if_absent 1 bad abc read 1")).toEqual({
      error: "ERR value is not an integer or out of range script: fill_if_absent, on @user_function:24.",
    })
    expect(run("PTTL bad")).toEqual({ integer: -1 })
    run("SET s v")
    expect(run("FCALL fill_if_absent 1 s 100 f 1")).toEqual({ integer: 0 })
    expect(run("FCALL fill_if_absent 1 nofields 100")).toEqual({ integer: 1 })
    expect(run("EXISTS nofields")).toEqual({ integer: 0 })
  })

  it("answers an unknown command and a wrong arity with Redis's own texts, never a crash", () => {
    const { server } = serverAt()

    expect(server.execute(["FLUSHALL"])).toEqual({
      error: "ERR unknown command 'FLUSHALL', with args beginning with: ",
    })
    expect(server.execute(["foo", "a", "b"])).toEqual({
      error: "ERR unknown command 'foo', with args beginning with: 'a' 'b' ",
    })
    expect(server.execute(["GET"])).toEqual({ error: "ERR wrong number of arguments for 'get' command" })
    expect(server.execute(["zadd", "z", "1"])).toEqual({ error: "ERR wrong number of arguments for 'zadd' command" })
    expect(server.execute([])).toEqual({ error: "ERR unknown command '', with args beginning with: " })
  })
})

describe("Redis numbers", () => {
  it("prints doubles as %.17g, with inf and -inf", () => {
    expect([1.5, 3, 0.1, 1e20, 1e-5, 123456789012345678, Infinity, -Infinity, -2.5, 1e16].map(formatDouble)).toEqual([
      "1.5",
      "3",
      "0.10000000000000001",
      "1e+20",
      "1.0000000000000001e-05",
      "1.2345678901234568e+17",
      "inf",
      "-inf",
      "-2.5",
      "10000000000000000",
    ])
  })

  it("breaks an exact tie at the 17th digit to even, as glibc's printf", () => {
    expect(formatDouble(1000000000000000.25)).toBe("1000000000000000.2")
    expect(formatDouble(1000000000000000.75)).toBe("1000000000000000.8")
  })

  it("reads doubles as strtod does, refusing spaces, NaN and overflow", () => {
    expect(["1.5", "+inf", "-Infinity", ".5", "5.", "1e3", "0x10", "0x1.8p1"].map(parseDouble)).toEqual([
      1.5,
      Infinity,
      -Infinity,
      0.5,
      5,
      1000,
      16,
      3,
    ])
    expect([" 1", "1 ", "nan", "1e400", "1e-400", "", "abc"].map(parseDouble)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ])
  })

  it("prints replies as redis-cli does", () => {
    expect(formatReply({ array: [{ bulk: "a" }, { integer: 2 }, { bulk: null }] })).toEqual([
      '1) "a"',
      "2) (integer) 2",
      "3) (nil)",
    ])
    expect(formatReply({ bulk: 'say "hi"\n' })).toEqual(['"say \\"hi\\"\\n"'])
    expect(formatReply({ array: [] })).toEqual(["(empty array)"])
  })
})
