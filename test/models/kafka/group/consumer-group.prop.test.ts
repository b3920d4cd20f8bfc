/**
 * Properties of a consumer group under generated churn (joins, leaves, crashes, pauses, a consumer
 * cut off from the broker), on the one-broker stand-in that wraps the real coordinator:
 *
 * - `one-owner-per-partition` holds for every plan, with each assignor and both protocols;
 * - `no-concurrent-processing` fails, and its counterexample shrinks to ONE pause longer than the
 *   session timeout left after the member's last heartbeat (so longer than the session timeout
 *   minus one heartbeat interval and a round trip); it holds when every pause is shorter than the session timeout minus one
 *   heartbeat interval (the member's last heartbeat may have left that long before the pause).
 *
 * Runs are short (40 s of simulated time, a 10 s session timeout, 1 s heartbeats, 20 records/s).
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../../src/kernel/index.ts"
import {
  type AssignorName,
  type ConsumerGroupScenarioOptions,
  ConsumerGroupScenario,
  type RebalanceProtocol,
} from "../../../../src/models/kafka/group/index.ts"
import type { Fault } from "../../../../src/net/index.ts"
import { checkProperty, FC_SEED } from "../../../laws/index.ts"
import { FakeCluster } from "./fake-cluster.ts"

const FILE = "test/models/kafka/group/consumer-group.prop.test.ts"
const SESSION_MS = 10_000
const HEARTBEAT_MS = 1000
const DURATION_MS = 40_000

type Churn =
  | { kind: "join" | "leave" | "crash"; consumer: string; at: number }
  | { kind: "pause" | "isolate"; consumer: string; at: number; durationMs: number }

const consumer = fc.constantFrom("c0", "c1", "c2", "c3")
const at = fc.integer({ min: 1000, max: 30_000 })
const churn: fc.Arbitrary<Churn> = fc.oneof(
  fc.record({ kind: fc.constantFrom("join" as const, "leave" as const, "crash" as const), consumer, at }),
  fc.record({
    kind: fc.constantFrom("pause" as const, "isolate" as const),
    consumer,
    at,
    durationMs: fc.integer({ min: 500, max: 20_000 }),
  }),
)

function options(
  churn: readonly Churn[],
  assignor: AssignorName,
  protocol: RebalanceProtocol,
): ConsumerGroupScenarioOptions {
  // c3 is not among the first three: it exists once it joins; what happens to it before is dropped.
  const c3From = Math.min(...churn.filter((c) => c.kind === "join" && c.consumer === "c3").map((c) => c.at))
  const plan = churn.filter((c) => c.consumer !== "c3" || c.at >= c3From)
  const of = (kind: Churn["kind"]) => plan.filter((c) => c.kind === kind)
  const isolations: Fault[] = plan.flatMap((c) =>
    c.kind === "isolate"
      ? [{ kind: "partition" as const, groups: [[c.consumer]], at: c.at, healAt: c.at + c.durationMs }]
      : [],
  )
  const crashes = of("crash")
  return {
    consumers: 3,
    assignor,
    protocol,
    joins: of("join").map(({ consumer, at }) => ({ consumer, at })),
    leaves: of("leave").map(({ consumer, at }) => ({ consumer, at })),
    crashes: dedupeCrashes(crashes.map(({ consumer, at }) => ({ consumer, at }))),
    pauses: plan.flatMap((c) =>
      c.kind === "pause" ? [{ consumer: c.consumer, at: c.at, durationMs: c.durationMs }] : [],
    ),
    sessionTimeoutMs: SESSION_MS,
    heartbeatIntervalMs: HEARTBEAT_MS,
    ratePerSecond: 20,
    durationMs: DURATION_MS,
    plan: { faults: isolations },
  }
}

/** One crash per consumer (a node down for good cannot crash again). */
function dedupeCrashes(crashes: { consumer: string; at: number }[]): { consumer: string; at: number }[] {
  const seen = new Set<string>()
  return crashes.filter((c) => !seen.has(c.consumer) && seen.add(c.consumer) !== undefined)
}

function run(scenarioOptions: ConsumerGroupScenarioOptions, seed: number) {
  const sim = new Simulation({ seed, trace: { hash: false } })
  return new ConsumerGroupScenario(sim, {
    ...scenarioOptions,
    topics: { t0: 4, t1: 2 },
    cluster: (s, topics) => new FakeCluster(s, topics),
  }).run()
}

const held = (result: ReturnType<typeof run>, name: string) => result.checks.find((c) => c.name === name)!.held

interface Pause {
  readonly kind: "pause"
  readonly consumer: string
  readonly at: number
  readonly durationMs: number
}

/**
 * The longest time one consumer is paused without a break: its pauses merged where they touch or
 * overlap, or, with `gapMs`, where less than that much running time separates them.
 */
function longestStallMs(plan: readonly Pause[], gapMs = 0): number {
  let longest = 0
  for (const consumer of new Set(plan.map((pause) => pause.consumer))) {
    const pauses = plan.filter((pause) => pause.consumer === consumer).sort((a, b) => a.at - b.at)
    let from = pauses[0]!.at
    let to = from + pauses[0]!.durationMs
    for (const pause of pauses.slice(1)) {
      if (pause.at <= to + gapMs) to = Math.max(to, pause.at + pause.durationMs)
      else {
        longest = Math.max(longest, to - from)
        from = pause.at
        to = pause.at + pause.durationMs
      }
    }
    longest = Math.max(longest, to - from)
  }
  return longest
}

const COMBOS: readonly [AssignorName, RebalanceProtocol][] = [
  ["range", "eager"],
  ["roundrobin", "eager"],
  ["sticky", "eager"],
  ["cooperative-sticky", "eager"],
  ["cooperative-sticky", "cooperative"],
]

describe("consumer group properties", () => {
  for (const [assignor, protocol] of COMBOS) {
    it(`one-owner-per-partition holds under generated churn: ${assignor}, ${protocol}`, () => {
      checkProperty(
        fc.property(fc.array(churn, { maxLength: 4 }), fc.integer({ min: 1, max: 1000 }), (plan, seed) => {
          const result = run(options(plan, assignor, protocol), seed)
          expect(held(result, "one-owner-per-partition"), result.checks[0]!.detail).toBe(true)
        }),
        { testFile: FILE, numRuns: 6 },
      )
    }, 120_000)
  }

  const zombiePause = fc.record({
    kind: fc.constant("pause" as const),
    consumer: fc.constantFrom("c0", "c1", "c2"),
    at: fc.integer({ min: 5000, max: 20_000 }),
    durationMs: fc.integer({ min: 1, max: 19_000 }),
  })
  const processingHeld = (plan: readonly Pause[]): boolean =>
    held(run(options(plan, "range", "eager"), 1), "no-concurrent-processing")
  // Longer than what remained of the session after the member's last heartbeat: the session
  // timeout minus up to one heartbeat interval (plus a round trip of 2 ms), so never shorter than 8998 ms.
  const ZOMBIE_STALL_MS = SESSION_MS - HEARTBEAT_MS - 3

  it("no-concurrent-processing: every shrunk counterexample stalls one consumer longer than its session allows", () => {
    // fast-check can stop at a local minimum of two back-to-back pauses of one consumer
    // (FC_SEED=20261124: c0 765 ms from 6,007 ms, then 8,278 ms): one stall of 9,043 ms. Or of two
    // pauses one heartbeat interval apart (FC_SEED=55555: c0 paused from 6,007 ms, while its
    // SyncGroup's answer arrived, to 9,888, then from 10,888 to 16,006): after a SyncGroup the first
    // heartbeat is due a full interval later, exactly when the second pause began, so the coordinator
    // heard nothing from 6,007 on. What every minimal plan shares is a consumer silent for longer
    // than ZOMBIE_STALL_MS: paused, with no more than a heartbeat interval of running time between
    // its pauses (seeds 7, 8, 42, 1234, 2718, 55555, 99991, 314159 checked).
    const details = fc.check(fc.property(fc.array(zombiePause, { maxLength: 3 }), processingHeld), {
      seed: FC_SEED,
      numRuns: 25,
    })
    expect(details.failed).toBe(true)
    const [shrunk] = details.counterexample!
    expect(longestStallMs(shrunk, HEARTBEAT_MS)).toBeGreaterThan(ZOMBIE_STALL_MS)
    const backToBack: Pause[] = [
      { kind: "pause", consumer: "c0", at: 6772, durationMs: 8278 },
      { kind: "pause", consumer: "c1", at: 6000, durationMs: 9000 },
      { kind: "pause", consumer: "c0", at: 6007, durationMs: 765 },
    ]
    expect(longestStallMs(backToBack)).toBe(9043)
    const oneIntervalApart: Pause[] = [
      { kind: "pause", consumer: "c0", at: 6007, durationMs: 3881 },
      { kind: "pause", consumer: "c0", at: 10888, durationMs: 5118 },
    ]
    expect(longestStallMs(oneIntervalApart)).toBe(5118)
    expect(longestStallMs(oneIntervalApart, HEARTBEAT_MS)).toBe(9999)
    expect(processingHeld(oneIntervalApart)).toBe(false)
  }, 300_000)

  it("no-concurrent-processing: with one pause allowed, the counterexample is one pause longer than the session allows", () => {
    const details = fc.check(fc.property(fc.array(zombiePause, { maxLength: 1 }), processingHeld), {
      seed: FC_SEED,
      numRuns: 25,
    })
    expect(details.failed).toBe(true)
    const [shrunk] = details.counterexample!
    expect(shrunk.length).toBe(1)
    expect(shrunk[0]!.durationMs).toBeGreaterThan(ZOMBIE_STALL_MS)
  }, 300_000)

  it("no-concurrent-processing holds when every stall is shorter than the session timeout minus a heartbeat interval", () => {
    const pause = fc.record({
      kind: fc.constant("pause" as const),
      consumer: fc.constantFrom("c0", "c1", "c2"),
      at: fc.integer({ min: 5000, max: 25_000 }),
      durationMs: fc.integer({ min: 1, max: SESSION_MS - 2 * HEARTBEAT_MS }),
    })
    checkProperty(
      fc.property(fc.array(pause, { maxLength: 3 }), fc.integer({ min: 1, max: 1000 }), (plan, seed) => {
        // Two pauses of one consumer back to back (or overlapping) are one longer stall
        // (FC_SEED=1475383296: c0 paused 1,690 ms from 8,452 ms, then 7,866 ms: 9,556 ms in all).
        fc.pre(plan.length === 0 || longestStallMs(plan) <= SESSION_MS - 2 * HEARTBEAT_MS)
        const result = run(options(plan, "range", "eager"), seed)
        expect(held(result, "no-concurrent-processing")).toBe(true)
        expect(held(result, "one-owner-per-partition")).toBe(true)
      }),
      { testFile: FILE, numRuns: 10 },
    )
  }, 120_000)
})
