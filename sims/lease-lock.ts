/**
 * Lease lock: does a lock with a lease keep two clients from writing at once?
 * Covers: Redis SET NX PX locks, renewal, GC pauses, clocks, fencing tokens, Redlock, etcd's Mutex
 * Scenario: 3 clients take turns holding a Redis lock with a 1 s TTL and write to a storage node;
 *   client-0 stalls for 1.5 s at t=100ms, right after checking that it holds the lock
 * Try: --fencing true; --pause-ms 300; --drift -0.5 --renew false --pause-ms 0; --service redlock
 *   --clock-jump-ms 1000 --renew false --pause-ms 0
 */
import { defineSim, faultFlags, flag, formatCount, formatPercent, formatTime } from "../src/cli/index.ts"
import { type Constraint, fromSimulation, type Params, runMain, type TextSection } from "../src/cli/index.ts"
import { type WorkEstimate, workEstimate } from "../src/cli/index.ts"
import { TraceSample } from "../src/kernel/index.ts"
import {
  checkLockMutualExclusion,
  checkNoStaleWriteAccepted,
  clientNode,
  ETCD_NODE,
  holdIntervals,
  isLockTimelineRecord,
  type LeaseLockResult,
  LeaseLockScenario,
  lockTimeline,
  type LockTimelineRecord,
  REDIS_LOCK_NODE,
  redlockClockJumpFaults,
  redlockNode,
  STORAGE_NODE,
} from "../src/models/lock/index.ts"
import { MIN_LEASE_TTL_MS } from "../src/models/etcd/index.ts"
import { describeFaultPlanLines, type FaultPlan } from "../src/net/index.ts"

/** Timeline lines shown at most. */
const TIMELINE_MAX = 40
/** How the sim shows times. */
const TIME = { unit: "ms", decimals: 1 } as const

const FAULTS = faultFlags({
  description: "more faults, as a JSON fault plan over client-0.., the lock server(s) and storage",
  nodesText: `${clientNode(0)}..${clientNode(2)} (one per client), ${REDIS_LOCK_NODE} (redlock: ${redlockNode(1)}..${redlockNode(5)}; etcd: ${ETCD_NODE}), ${STORAGE_NODE}`,
  example: '{"faults":[{"kind":"pause","node":"client-1","at":2000,"durationMs":1500}]}',
  blame: "--pause-at/--pause-ms",
  shorthand: [
    {
      kind: "pause",
      node: clientNode(0),
      at: { flag: "pauseAt", description: `when ${clientNode(0)} stalls (a GC pause)`, default: 100 },
      durationMs: { flag: "pauseMs", description: `how long ${clientNode(0)} stalls; 0: no pause`, default: 1500 },
    },
  ],
})

const flags = {
  service: flag.choice({ description: "the lock service", choices: ["redis", "redlock", "etcd"], default: "redis" }),
  clients: flag.integer({
    description: "clients contending for the lock",
    unit: "clients",
    default: 3,
    min: 1,
    max: 20,
  }),
  ttlMs: flag.integer({ description: "the lease's time to live", unit: "ms", default: 1000, min: 10, max: 600_000 }),
  renew: flag.boolean({ description: "renew the lease every TTL/3 while holding it", default: true }),
  fencing: flag.boolean({
    description: "the storage rejects writes with a token below the highest accepted",
    default: false,
  }),
  ...FAULTS.shorthandFlags,
  drift: flag.number({
    description: "every client's clock drift rate (-0.5: runs at half speed)",
    unit: "rate",
    default: 0,
    greaterThan: -1,
    max: 10,
  }),
  clockJumpAt: flag.number({
    description: "redlock: when the clock of the majority's last server jumps",
    unit: "ms",
    default: 300,
    min: 0,
    max: 600_000,
  }),
  clockJumpMs: flag.number({
    description: `redlock: how far it jumps forward; client-0 then cannot reach the servers after the majority; 0: no jump`,
    unit: "ms",
    default: 0,
    min: 0,
    max: 600_000,
  }),
  redisNodes: flag.integer({
    description: "redlock: independent Redis servers (odd)",
    unit: "servers",
    default: 5,
    min: 1,
    max: 15,
  }),
  durationMs: flag.integer({ description: "simulated time to run", unit: "ms", default: 5000, min: 1, max: 600_000 }),
  faults: FAULTS.faults,
}

type LeaseLockParams = Params<typeof flags>

/** Every node a plan may name. */
function nodeNames(params: LeaseLockParams): string[] {
  const clients = Array.from({ length: params.clients }, (_, i) => clientNode(i))
  const servers =
    params.service === "redlock"
      ? Array.from({ length: params.redisNodes }, (_, i) => redlockNode(i + 1))
      : [params.service === "etcd" ? ETCD_NODE : REDIS_LOCK_NODE]
  return [...clients, ...servers, STORAGE_NODE]
}

/** The plan: the Redlock clock jump (with its cut links) when asked, the pause, then --faults. */
function planOf(params: LeaseLockParams): FaultPlan {
  const plan = FAULTS.plan(params, { nodes: nodeNames(params), untilMs: params.durationMs })
  if (params.service !== "redlock" || params.clockJumpMs === 0) return plan
  return {
    ...plan,
    faults: [...redlockClockJumpFaults(params.redisNodes, params.clockJumpAt, params.clockJumpMs), ...plan.faults],
  }
}

const oddServers: Constraint<LeaseLockParams> = {
  params: ["redisNodes"],
  holds: (params) => params.redisNodes % 2 === 1,
  message:
    "Redlock needs an odd number of servers: with an even count N the majority N/2+1 tolerates no more failures than N-1 servers do",
}

const pauseInRun: Constraint<LeaseLockParams> = {
  params: ["pauseAt", "pauseMs", "durationMs"],
  holds: (params) => params.pauseMs === 0 || params.pauseAt < params.durationMs,
  message: "the pause must start before the run ends (or set --pause-ms 0)",
}

const jumpNeedsRedlock: Constraint<LeaseLockParams> = {
  params: ["clockJumpMs", "service"],
  holds: (params) => params.clockJumpMs === 0 || params.service === "redlock",
  message: "the clock jump is Redlock's counterexample: use it with --service redlock",
}

const jumpInRun: Constraint<LeaseLockParams> = {
  params: ["clockJumpAt", "clockJumpMs", "durationMs"],
  holds: (params) => params.clockJumpMs === 0 || params.clockJumpAt < params.durationMs,
  message: "the clock jump must happen before the run ends",
}

/** The timeline section: the first records in words. */
function timelineOf(sample: TraceSample<LockTimelineRecord>) {
  const entries = sample.records.map((record) => ({ t: record.t, text: lockTimeline(record) ?? record.type }))
  const title =
    sample.total > TIMELINE_MAX
      ? `Timeline (the first ${TIMELINE_MAX} of ${formatCount(sample.total)} events)`
      : "Timeline"
  return { title, entries }
}

/** Who held the lock when, as the clients believed it. */
function holdingsSection(result: LeaseLockResult): TextSection {
  const lines = holdIntervals(result.history).map(
    (hold) =>
      `${hold.holder} with token ${hold.token}: from t=${formatTime(hold.from, TIME)} to ${hold.to === undefined ? "the end" : `t=${formatTime(hold.to, TIME)}`}`,
  )
  return { title: "Who believed it held the lock", lines: lines.length === 0 ? ["nobody ever held it"] : lines }
}

/** What the run shows, from its numbers. */
function lesson(params: LeaseLockParams, result: LeaseLockResult): TextSection {
  const summary = result.summary()
  const overlap = summary.overlapMs as number
  const accepted = summary.staleWritesAccepted as number
  const rejected = summary.staleWritesRejected as number
  const lines: string[] = []
  const ttlMs = params.service === "etcd" ? Math.max(params.ttlMs, MIN_LEASE_TTL_MS) : params.ttlMs
  const causes = [
    params.pauseMs > 0
      ? `${clientNode(0)} stalled for ${formatTime(params.pauseMs, TIME)} with a TTL of ${formatTime(ttlMs, TIME)}`
      : "",
    params.drift < 0 ? `every client's clock ran ${formatPercent(-params.drift)} slow` : "",
    params.service === "redlock" && params.clockJumpMs > 0
      ? `the clock of ${redlockNode(Math.floor(params.redisNodes / 2) + 1)} jumped ${formatTime(params.clockJumpMs, TIME)} forward`
      : "",
  ].filter((cause) => cause !== "")
  const because = causes.length === 0 ? "" : ` (in this run ${causes.join(", ")})`
  if (overlap > 0) {
    lines.push(
      `For ${formatTime(overlap, TIME)} two clients believed they held the lock at once${because}.`,
      "A lease ran out on a server while its holder could not tell; nothing in the lock prevents that.",
    )
  } else {
    lines.push(`No two clients believed they held the lock at once${because}.`)
  }
  if (accepted > 0)
    lines.push(
      `The storage accepted ${formatCount(accepted)} stale write(s): a token below one it had accepted before. Try --fencing true.`,
    )
  if (rejected > 0)
    lines.push(
      `Fencing rejected ${formatCount(rejected)} stale write(s): the lock did not keep them out, the storage's token check did.`,
    )
  if (accepted === 0 && rejected === 0 && overlap > 0)
    lines.push(
      "No stale write reached the storage after a newer holder's write, so fencing had nothing to reject here.",
    )
  if (params.service === "etcd" && params.ttlMs < MIN_LEASE_TTL_MS)
    lines.push(
      `etcd grants no lease shorter than ${formatTime(MIN_LEASE_TTL_MS, TIME)} (its minimum TTL), so the ${formatTime(params.ttlMs, TIME)} asked for became ${formatTime(MIN_LEASE_TTL_MS, TIME)}.`,
    )
  if (params.service === "redlock")
    lines.push(
      "Redlock's token here is the largest counter among the servers a client locked: it need not grow with grant order.",
    )
  lines.push(`Final value in the storage: ${summary.finalValue ?? "none"}.`)
  return { title: "Lesson", lines }
}

/**
 * Events per ms of simulated time, per client and server, at a 1 s TTL: measured 0.067 (Redis
 * lock) and 0.045 (Redlock) on 60 s runs of 3 clients; 0.1 leaves room. A Redis client's retries
 * and renewals scale with 1/TTL (`--ttl-ms 20`: 6.1 events/ms against 15 estimated); Redlock's
 * retry delay does not (150,813 events in 60 s at `--ttl-ms 20`).
 */
const EVENTS_PER_MS_CLIENT_SERVER = 0.1
/** Events per ms of each Redis server's active expiry cycle and bookkeeping; 0.02 measured. */
const EVENTS_PER_MS_SERVER = 0.05
/** Events per second: 368,208 events in 2.3 s of CPU after start-up (`--ttl-ms 20 --duration-ms 60000`). */
const EVENTS_PER_SECOND = 100_000

/** A rough cost from the clients, the servers and how often a Redis client retries and renews. */
function estimate(params: LeaseLockParams): WorkEstimate {
  const redlock = params.service === "redlock"
  const servers = redlock ? params.redisNodes : 1
  const pace = redlock ? 1 : Math.max(1, 1000 / params.ttlMs)
  const perMs = EVENTS_PER_MS_CLIENT_SERVER * params.clients * servers * pace + EVENTS_PER_MS_SERVER * servers
  return workEstimate({
    events: perMs * params.durationMs + 1000,
    eventsPerSecond: EVENTS_PER_SECOND,
    simTime: params.durationMs,
    advice: "lower --duration-ms or --clients, or raise --ttl-ms",
  })
}

const leaseLock = defineSim({
  name: "lease-lock",
  title: "Lease lock: does a lock with a lease keep two clients from writing at once?",
  header: {
    covers: "Redis SET NX PX locks, renewal, GC pauses, clocks, fencing tokens, Redlock, etcd's Mutex",
    scenario: `3 clients take turns holding a Redis lock with a 1 s TTL and write to a storage node; ${clientNode(0)} stalls for 1.5 s at t=100ms, right after checking that it holds the lock`,
    try: [
      "--fencing true",
      "--pause-ms 300",
      "--drift -0.5 --renew false --pause-ms 0",
      "--service redlock --clock-jump-ms 1000 --renew false --pause-ms 0",
    ],
  },
  time: TIME,
  metrics: {
    overlapMs: { description: "time during which two or more clients believed they held the lock", unit: "ms" },
    staleWritesAccepted: {
      description: "writes the storage accepted with a token below one accepted before",
      unit: "writes",
    },
    staleWritesRejected: { description: "writes the storage rejected (fencing)", unit: "writes" },
    acquisitions: { description: "times a client acquired the lock", unit: "acquisitions" },
    finalValue: { description: "the storage's value at the end (null: never written)", unit: "value" },
  },
  flags,
  estimate,
  constraints: [
    oddServers,
    pauseInRun,
    jumpNeedsRedlock,
    jumpInRun,
    FAULTS.constraint((params: LeaseLockParams) => ({ nodes: nodeNames(params), untilMs: params.durationMs })),
  ],
  quiz(params) {
    return [
      `${params.clients} clients share a ${params.service} lock with a ${params.ttlMs}ms TTL (${params.renew ? "renewed every TTL/3" : "not renewed"}); fencing is ${params.fencing ? "on" : "off"}.`,
      params.pauseMs > 0
        ? `${clientNode(0)} stalls for ${params.pauseMs}ms at t=${params.pauseAt}ms.`
        : `${clientNode(0)} never stalls.`,
      "1. Will two clients ever believe they hold the lock at once? For how long?",
      "2. Will the storage accept a write from a client that no longer holds the lock?",
    ].join("\n")
  },
  run(params, context) {
    const plan = planOf(params)
    const sim = context.simulation()
    const sample =
      context.output === "text" ? new TraceSample(sim.trace, isLockTimelineRecord, TIMELINE_MAX) : undefined
    const scenario = new LeaseLockScenario(sim, {
      service: params.service,
      clients: params.clients,
      ttlMs: params.ttlMs,
      renew: params.renew,
      fencing: params.fencing,
      durationMs: params.durationMs,
      driftRate: params.drift,
      redisNodes: params.redisNodes,
      plan,
    })
    const result = scenario.run(context.advance)
    const checks = [checkLockMutualExclusion(result.history), checkNoStaleWriteAccepted(result.history)]
    const text =
      sample === undefined
        ? {}
        : {
            timeline: timelineOf(sample as TraceSample<LockTimelineRecord>),
            sections: [
              { title: "Fault plan", lines: describeFaultPlanLines(plan) },
              holdingsSection(result),
              lesson(params, result),
            ],
          }
    return { ...fromSimulation(sim), metrics: result.summary(), checks, ...text }
  },
})

export default leaseLock

await runMain(leaseLock, import.meta.url)
