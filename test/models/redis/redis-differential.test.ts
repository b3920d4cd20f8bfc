/**
 * Differential test: the same command sequences go to a real redis-server (7.0 from Debian, started
 * here on a free loopback port without persistence) and to the simulated server, and every reply
 * must be equal. Sequences have no sleeps: the simulated clock stands still while real time runs,
 * so TTLs are long (>= 100 s) and PTTL is compared within the time the sequence took; expiry
 * across time is the reference model's test (redis-model.prop.test.ts).
 *
 * Skipped, saying so, only when the redis-server binary is missing (`apt-get install redis-server`).
 */
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RedisReply, RedisServer } from "../../../src/models/redis/index.ts"
import { FC_SEED, replayCommand } from "../../laws/index.ts"
import { RealRedis, redisServerBinary } from "./real-redis.ts"
import { LUA_LIBRARY } from "./redis-lua-library.ts"

const binary = redisServerBinary()
if (binary === undefined)
  console.warn("redis-differential: SKIPPED, no redis-server on PATH (apt-get install -y redis-server)")

/** Hand-written sequences: options, conflicts, errors, types, functions, number formats. */
const FIXED: readonly string[][] = [
  [
    "SET k v EX 1000 EX 2000",
    "SET k v PX 100000 EX 2",
    "SET k v KEEPTTL",
    "SET k v KEEPTTL PX 5",
    "SET k v PX 5 KEEPTTL",
    "SET k v GET GET",
    "SET k2 v NX GET",
    "SET k2 w NX GET",
    "SET k2 x XX GET",
  ],
  [
    "SET a 1",
    "INCR a",
    "INCRBY a -5",
    "INCRBY a 01",
    "INCRBY a +1",
    "INCRBY a 9223372036854775807",
    "INCRBY a -9223372036854775808",
    "SET b 9223372036854775806",
    "INCR b",
    "INCR b",
    "GET b",
    "SET c -9223372036854775808",
    "INCRBY c -1",
    "INCR nothing",
    "SET s abc",
    "INCR s",
  ],
  [
    "HINCRBY h f 1",
    "HINCRBY h f 9007199254740993",
    "HGET h f",
    "HGETALL h",
    "HGET h nope",
    "HGETALL nope",
    "SET k v",
    "HGET k f",
    "HGETALL k",
    "HINCRBY k f 1",
    "HINCRBY h f x",
    "HINCRBY h g 1",
    "HGETALL h",
  ],
  [
    "ZADD z 1 a 1 b 1 c 2 d",
    "ZREVRANGE z 0 -1 WITHSCORES",
    "ZREVRANGE z 0 -1 withscores WITHSCORES",
    "ZREVRANGE z -2 -1",
    "ZREVRANGE z 5 10",
    "ZREVRANGE z 2 1",
    "ZREVRANGE z -100 100",
    "ZREVRANGE z 0 1 LIMIT 0 -1",
    "ZREVRANGE z 0 1 LIMIT 1 1",
    "ZREVRANGE z 0 1 LIMIT 1 1 foo",
    "ZREVRANGE nope 0 -1",
    "ZREVRANGE z x 1",
  ],
  [
    "ZADD z INCR 1.5 a",
    "ZADD z CH 5 a 6 b 7 new",
    "ZADD z GT CH 1 a",
    "ZADD z LT CH 1 a",
    "ZADD z XX 1 nobody",
    "ZADD z XX INCR 1 nobody",
    "ZADD nokey XX 1 a",
    "ZADD nokey XX INCR 1 a",
    "ZADD z NX INCR 1 a",
    "ZADD z 1 a 2",
    "ZADD z inf x -inf y +inf w",
    "ZADD z infinity q",
    "ZADD z nan a",
    "ZADD z 1e400 a",
    "ZADD z 1e-400 a",
    "ZADD z 4.9e-324 dn",
    "ZADD z 0x10 hex",
    "ZADD z 0x1.8p3 hf",
    "ZADD z .5 half",
    "ZADD z 5. five",
    "ZADD z -0 negzero",
    "ZSCORE z negzero",
    "ZINCRBY z inf x",
    "ZINCRBY z -inf x",
    "ZINCRBY z abc x",
    "ZSCORE z nope",
    "ZREVRANGE z 0 -1 WITHSCORES",
    "ZADD z constructor 1 a",
  ],
  [
    "SET z v",
    "ZSCORE z a",
    "ZADD z 1 a",
    "ZINCRBY z 1 a",
    "ZREVRANGE z 0 -1",
    "DEL z",
    "ZADD z 1 é 1 e 1 f 1 😀 1 \uffff",
    "ZREVRANGE z 0 -1",
  ],
  [
    "SET z v",
    "DEL z a b nope",
    "EXISTS z z h nope",
    "SET z v",
    "PEXPIRE z 1000000",
    "PTTL nope",
    "PEXPIRE nope 10",
    "PEXPIRE z 100000 NX",
    "PEXPIRE z 100000 XX",
    "PEXPIRE z 2000000 GT",
    "PEXPIRE z 100000 GT",
    "PEXPIRE z 100000 LT",
    "SET p v",
    "PEXPIRE p 100000 LT",
    "PEXPIRE p 300000 GT",
    "PEXPIRE z abc",
    "PEXPIRE z -1",
    "EXISTS z",
    "PEXPIRE p 10 foo",
    "PEXPIRE p 10 nx xx",
    "PEXPIRE p 10 gt lt",
    "PTTL p",
  ],
  [
    "GET",
    "SET k",
    "FOO",
    "FOO a b",
    "GeT k",
    "DEL",
    "ZADD z",
    "ZADD z 1",
    "HINCRBY h f",
    "FCALL",
    "FCALL nope 0",
    "FCALL lock_release 0",
    "FCALL lock_release x k",
    "FCALL lock_release 2 k",
    "FCALL lock_release -1 k",
  ],
  [
    "SET lock t1",
    "FCALL lock_release 1 lock t2",
    "FCALL lock_release 1 lock t1",
    "GET lock",
    "SET lock t1",
    "FCALL lock_extend 1 lock t2 100000",
    "FCALL lock_extend 1 lock t1 100000",
    "FCALL lock_extend 1 lock t1 abc",
    "FCALL lock_extend 1 lock t1",
    "HINCRBY h f 9007199254740993",
    "FCALL lock_release 1 h t",
    "FCALL incr_if_exists 1 h f 5",
    "FCALL incr_if_exists 1 nokey f 5",
    "SET s v",
    "FCALL incr_if_exists 1 s f 1",
    "FCALL incr_if_exists 1 h f x",
    "FCALL incr_if_exists 1 h f",
    "FCALL incr_if_exists 0",
    "FCALL lock_release 1 missing t",
  ],
  [
    "FCALL fill_if_absent 1 counts 100000 read 3 like 2 collect 0",
    "HGETALL counts",
    "PTTL counts",
    "FCALL fill_if_absent 1 counts 100000 read 9",
    "HGET counts read",
    "FCALL fill_if_absent 1 odd 100000 read",
    "HGETALL odd",
    "FCALL fill_if_absent 1 bad abc read 1",
    "HGETALL bad",
    "PTTL bad",
    "FCALL fill_if_absent 1 nottl",
    "FCALL fill_if_absent 1 x 1000 f notanumber",
    "SET s v",
    "FCALL fill_if_absent 1 s 1000 f 1",
    "FCALL fill_if_absent 0",
  ],
  [
    "SET e ''",
    "GET e",
    "SET 'sp ace' 'x y'",
    "GET 'sp ace'",
    "SET k v EX 0",
    "SET k v EX -1",
    "SET k v PX abc",
    "SET k v NX XX",
    "SET k v XX NX",
    "SET k v PX",
    "SET k v foo",
    "SET k v nx px 100000 get",
    "PTTL k",
  ],
]

/** Splits a test command: words, with single quotes around words holding spaces. */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!)
}

/** Runs one sequence on both servers; returns the first disagreement, or undefined. */
async function firstDifference(real: RealRedis, sequence: readonly (readonly string[])[]): Promise<string | undefined> {
  await real.call(["FLUSHALL"])
  const simulated = new RedisServer({ clock: () => 0 })
  const started = Date.now()
  for (const argv of sequence) {
    const expected = await real.call(argv)
    const got = simulated.execute(argv)
    if (!agree(argv, expected, got, Date.now() - started + 1)) {
      const all = sequence.map((a) => a.join(" ")).join(" | ")
      return `${argv.join(" ")}\n  redis-server: ${show(expected)}\n  simulated:    ${show(got)}\n  sequence: ${all}`
    }
  }
  return undefined
}

/** Equal replies; a PTTL may be lower on the real server by the real time that passed. */
function agree(argv: readonly string[], expected: RedisReply, got: RedisReply, elapsedMs: number): boolean {
  if (argv[0]!.toUpperCase() === "PTTL" && "integer" in expected && "integer" in got && Number(got.integer) >= 0) {
    const lag = Number(got.integer) - Number(expected.integer)
    return Number(expected.integer) >= 0 && lag >= 0 && lag <= elapsedMs
  }
  try {
    expect(got).toEqual(expected)
    return true
  } catch {
    return false
  }
}

function show(reply: RedisReply): string {
  return JSON.stringify(reply, (_, value) => (typeof value === "bigint" ? `${value}n` : value))
}

const key = fc.constantFrom("a", "b", "c", "lock")
const member = fc.constantFrom("m", "n", "é", "😀", "Z", "")
const integerText = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.constantFrom(
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "01",
    "+1",
    "-0",
    "x",
    "",
    "1.5",
  ),
)
const scoreText = fc.oneof(
  fc.integer({ min: -20, max: 20 }).map((half) => String(half / 2)),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom("inf", "-inf", "+inf", "nan", "1e400", "abc", "0.1", "1e20", "3.0000000000000004", "-0"),
)
/**
 * A TTL word: TTL stands for a long one, made distinct per command (see {@link distinctTtls}), so
 * that GT/LT comparisons never hinge on whether real time moved by a millisecond between commands.
 */
const TTL = "TTL"
const longTtl = fc.constantFrom(TTL, TTL, "0", "-1", "abc")

/** Replaces each TTL word by 100000 + 1000 × the command's position (ms, or s after EX). */
function distinctTtls(sequence: readonly (readonly string[])[]): string[][] {
  return sequence.map((argv, position) => argv.map((word) => (word === TTL ? String(100_000 + 1000 * position) : word)))
}
const anyCase = (word: string) => fc.constantFrom(word, word.toLowerCase())

const command: fc.Arbitrary<string[]> = fc.oneof(
  fc
    .tuple(
      key,
      fc.constantFrom("v", "w", "7"),
      fc.subarray(["NX", "XX", "GET", "KEEPTTL"]),
      fc.option(fc.tuple(fc.constantFrom("PX", "EX"), longTtl), { nil: undefined }),
    )
    .map(([k, v, options, expiry]) => ["SET", k, v, ...options, ...(expiry ?? [])]),
  key.map((k) => ["GET", k]),
  fc.array(key, { minLength: 1, maxLength: 3 }).map((keys) => ["DEL", ...keys]),
  fc.array(key, { minLength: 1, maxLength: 3 }).map((keys) => ["EXISTS", ...keys]),
  fc
    .tuple(key, longTtl, fc.subarray(["NX", "XX", "GT", "LT"], { maxLength: 2 }))
    .map(([k, ms, flags]) => ["PEXPIRE", k, ms, ...flags]),
  key.map((k) => ["PTTL", k]),
  fc.tuple(anyCase("INCR"), key).map(([name, k]) => [name, k]),
  fc.tuple(key, integerText).map(([k, n]) => ["INCRBY", k, n]),
  fc.tuple(key, fc.constantFrom("f", "g"), integerText).map(([k, f, n]) => ["HINCRBY", k, f, n]),
  fc.tuple(key, fc.constantFrom("f", "g")).map(([k, f]) => ["HGET", k, f]),
  key.map((k) => ["HGETALL", k]),
  fc
    .tuple(
      key,
      fc.subarray(["NX", "XX", "GT", "LT", "CH", "INCR"], { maxLength: 2 }),
      fc.array(fc.tuple(scoreText, member), { minLength: 1, maxLength: 3 }),
    )
    .map(([k, options, pairs]) => ["ZADD", k, ...options, ...pairs.flat()]),
  fc.tuple(key, scoreText, member).map(([k, s, m]) => ["ZINCRBY", k, s, m]),
  fc.tuple(key, member).map(([k, m]) => ["ZSCORE", k, m]),
  fc
    .tuple(key, fc.integer({ min: -4, max: 4 }), fc.integer({ min: -4, max: 4 }), fc.boolean())
    .map(([k, start, stop, scores]) => [
      "ZREVRANGE",
      k,
      String(start),
      String(stop),
      ...(scores ? ["WITHSCORES"] : []),
    ]),
  fc.tuple(key, fc.constantFrom("v", "w", "t")).map(([k, token]) => ["FCALL", "lock_release", "1", k, token]),
  fc
    .tuple(key, fc.constantFrom("v", "w"), longTtl)
    .map(([k, token, ms]) => ["FCALL", "lock_extend", "1", k, token, ms]),
  fc.tuple(key, integerText).map(([k, n]) => ["FCALL", "incr_if_exists", "1", k, "f", n]),
  fc
    .tuple(fc.constantFrom("GET", "HGET", "ZADD", "PTTL", "NOPE", "hsetnope"), fc.array(key, { maxLength: 1 }))
    .map(([name, rest]) => [name, ...rest]),
)

describe.skipIf(binary === undefined)("the simulated Redis against a real redis-server", () => {
  let real: RealRedis

  beforeAll(async () => {
    real = await RealRedis.start(binary!)
    expect(await real.call(["FUNCTION", "LOAD", "REPLACE", LUA_LIBRARY])).toEqual({ bulk: "simsys" })
  })

  afterAll(async () => {
    await real?.stop()
  })

  it("gives the same reply to every command of the hand-written sequences", async () => {
    for (const sequence of FIXED) {
      expect(await firstDifference(real, sequence.map(words))).toBeUndefined()
    }
  })

  it("gives the same reply to every command of generated sequences", async () => {
    const details = await fc.check(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 40 }), async (sequence) => {
        const difference = await firstDifference(real, distinctTtls(sequence))
        if (difference !== undefined) throw new Error(difference)
      }),
      { seed: FC_SEED, numRuns: 300 },
    )
    if (details.failed) {
      const why = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)
      expect.fail(
        `${fc.defaultReportMessage(details)}\nfirst difference: ${why}\n` +
          `replay: ${replayCommand("test/models/redis/redis-differential.test.ts")}`,
      )
    }
  }, 120_000)
})
