/**
 * Model-based test of the simulated Redis: fast-check generates command sequences (SET with
 * NX/XX/PX/GET, GET, DEL, PEXPIRE, PTTL, HINCRBY, ZADD, ZREVRANGE) interleaved with sleeps that
 * carry time across TTL boundaries, and every reply must equal the reference model's.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type RedisReply, RedisServer } from "../../../src/models/redis/index.ts"
import { checkProperty } from "../../laws/index.ts"
import { ReferenceRedis } from "./redis-reference-model.ts"

interface Real {
  server: RedisServer
  clock: { nowMs: number }
}

/** One step: the argv the server runs and what the reference model answers. */
class Step implements fc.Command<ReferenceRedis, Real> {
  constructor(
    private readonly argv: readonly string[],
    private readonly expected: (model: ReferenceRedis) => RedisReply,
  ) {}

  check(): boolean {
    return true
  }

  run(model: ReferenceRedis, real: Real): void {
    expect(real.server.execute(this.argv), this.toString()).toEqual(this.expected(model))
  }

  toString(): string {
    return this.argv.join(" ")
  }
}

/** Time passing on both clocks (not a Redis command). */
class Sleep implements fc.Command<ReferenceRedis, Real> {
  constructor(private readonly ms: number) {}

  check(): boolean {
    return true
  }

  run(model: ReferenceRedis, real: Real): void {
    model.nowMs += this.ms
    real.clock.nowMs += this.ms
    if (this.ms % 3 === 0) real.server.expireDue()
  }

  toString(): string {
    return `sleep ${this.ms}`
  }
}

const key = fc.constantFrom("a", "b", "c", "d")
const field = fc.constantFrom("f", "g")
const member = fc.constantFrom("m", "n", "o", "p")
const text = fc.constantFrom("x", "y", "z", "1")
/** TTLs and sleeps drawn often from a few round values, so that sleeps land exactly on expiry times. */
const ttl = fc.oneof(
  { arbitrary: fc.constantFrom(5, 10), weight: 3 },
  { arbitrary: fc.integer({ min: 1, max: 40 }), weight: 1 },
)
const sleepMs = fc.oneof(
  { arbitrary: fc.constantFrom(0, 5, 10), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 45 }), weight: 1 },
)
const score = fc.integer({ min: -2000, max: 2000 }).map((half) => half / 2)
const index = fc.integer({ min: -5, max: 5 })

const setStep = fc
  .record({
    key,
    text,
    condition: fc.constantFrom("", "NX", "XX"),
    px: fc.option(ttl, { nil: null }),
    get: fc.boolean(),
  })
  .map(({ key, text, condition, px, get }) => {
    const argv = [
      "SET",
      key,
      text,
      ...(condition === "" ? [] : [condition]),
      ...(px === null ? [] : ["PX", String(px)]),
      ...(get ? ["GET"] : []),
    ]
    return new Step(argv, (model) =>
      model.set(key, text, { nx: condition === "NX", xx: condition === "XX", pxMs: px, get }),
    )
  })

const steps = [
  setStep,
  key.map((k) => new Step(["GET", k], (model) => model.get(k))),
  fc
    .uniqueArray(key, { minLength: 1, maxLength: 2 })
    .map((keys) => new Step(["DEL", ...keys], (model) => model.del(keys))),
  fc
    .record({ key, ms: fc.oneof(ttl, fc.integer({ min: -5, max: 0 })) })
    .map(({ key, ms }) => new Step(["PEXPIRE", key, String(ms)], (model) => model.pexpire(key, ms))),
  key.map((k) => new Step(["PTTL", k], (model) => model.pttl(k))),
  fc
    .record({ key, field, delta: fc.integer({ min: -50, max: 50 }) })
    .map(
      ({ key, field, delta }) =>
        new Step(["HINCRBY", key, field, String(delta)], (model) => model.hincrby(key, field, delta)),
    ),
  fc
    .record({ key, score, member })
    .map(
      ({ key, score, member }) =>
        new Step(["ZADD", key, String(score), member], (model) => model.zadd(key, score, member)),
    ),
  fc
    .record({ key, start: index, stop: index, withScores: fc.boolean() })
    .map(
      ({ key, start, stop, withScores }) =>
        new Step(["ZREVRANGE", key, String(start), String(stop), ...(withScores ? ["WITHSCORES"] : [])], (model) =>
          model.zrevrange(key, start, stop, withScores),
        ),
    ),
  sleepMs.map((ms) => new Sleep(ms)),
]

describe("the simulated Redis against a reference model", () => {
  it("gives the reference model's reply to every command of every generated sequence, across TTL boundaries", () => {
    checkProperty(
      fc.property(fc.commands(steps, { maxCommands: 60 }), (commands) => {
        const clock = { nowMs: 0 }
        const real: Real = { server: new RedisServer({ clock: () => clock.nowMs }), clock }
        fc.modelRun(() => ({ model: new ReferenceRedis(), real }), commands)
      }),
      { testFile: "test/models/redis/redis-model.prop.test.ts", numRuns: 1000 },
    )
  })
})
