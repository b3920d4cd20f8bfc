import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Simulation } from "../../src/kernel/index.ts"
import {
  applyFaultPlan,
  type Envelope,
  type Fault,
  type FaultPlan,
  Network,
  type PartitionMode,
  Rpc,
  uniformLatency,
  validateFaultPlan,
} from "../../src/net/index.ts"
import { faultPlanArbitrary, swarm } from "../../src/check/index.ts"
import { checkProperty, FC_SEED, lawSameSeedSameTrace, tracedRunOf } from "../laws/index.ts"

const TEST_FILE = "test/net/network.prop.test.ts"
const NODE_NAMES = ["n0", "n1", "n2", "n3"]
/** Nodes stop sending at this time, so every run ends. */
const WORKLOAD_END_MS = 1200

// --- a small fault-plan generator (the check helper's arbitraries live in src/check/) ------------

const nodeArb = fc.constantFrom(...NODE_NAMES)
const timeArb = fc.integer({ min: 0, max: 1000 })
const spanArb = fc.integer({ min: 1, max: 600 })
const probabilityArb = fc.double({ min: 0, max: 1, noNaN: true })

const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  fc
    .tuple(nodeArb, timeArb, fc.option(spanArb), fc.boolean(), fc.boolean())
    .map(([node, at, span, diskLoss, forGood]): Fault =>
      forGood
        ? { kind: "crash", node, at, restart: false, diskLoss }
        : { kind: "crash", node, at, ...(span === null ? {} : { restartAt: at + span }), diskLoss },
    ),
  fc.tuple(nodeArb, timeArb, spanArb).map(([node, at, durationMs]): Fault => ({ kind: "pause", node, at, durationMs })),
  fc
    .tuple(
      fc.shuffledSubarray(NODE_NAMES, { minLength: 1 }),
      fc.integer({ min: 1, max: 3 }),
      timeArb,
      fc.option(spanArb),
      fc.boolean(),
    )
    .map(([nodes, cut, at, span, oneWay]): Fault => {
      const groups = [nodes.slice(0, cut), nodes.slice(cut)].filter((group) => group.length > 0)
      return { kind: "partition", groups, at, ...(span === null ? {} : { healAt: at + span }), oneWay }
    }),
  fc
    .tuple(nodeArb, timeArb, fc.integer({ min: -500, max: 500 }), fc.double({ min: -0.5, max: 0.5, noNaN: true }))
    .map(([node, at, skewMs, driftRate]): Fault => ({ kind: "clock", node, at, skewMs, driftRate })),
  fc
    .tuple(
      fc.option(nodeArb),
      fc.option(nodeArb),
      timeArb,
      fc.option(spanArb),
      probabilityArb,
      probabilityArb,
      fc.integer({ min: 0, max: 300 }),
    )
    .map(([from, to, at, span, dropProbability, duplicateProbability, extraDelayMs]): Fault => ({
      kind: "link",
      ...(from === null ? {} : { from }),
      ...(to === null ? {} : { to }),
      at,
      ...(span === null ? {} : { until: at + span }),
      dropProbability,
      duplicateProbability,
      extraDelayMs,
    })),
)

const planArb: fc.Arbitrary<FaultPlan> = fc
  .tuple(fc.array(faultArb, { maxLength: 8 }), fc.option(fc.integer({ min: 1, max: 1100 })))
  .map(([faults, healAt]) => {
    if (healAt === null) return { faults }
    return { faults: faults.filter((fault) => fault.at < healAt), healAt }
  })

// --- a workload: every node pings the next one periodically, and n0 calls n1 over RPC ------------

interface Workload {
  readonly sim: Simulation
  readonly network: Network
  /** Sends per message id, deliveries per message id. */
  readonly delivered: Map<number, number>
}

function buildWorkload(seed: number, plan: FaultPlan, partitionMode: PartitionMode = "drop", reorder = true): Workload {
  const sim = new Simulation({ seed, trace: { keep: Infinity } })
  const network = new Network(sim, { link: { latency: uniformLatency(1, 40), reorder }, partitionMode })
  const rpc = new Rpc(network)
  const delivered = new Map<number, number>()
  NODE_NAMES.forEach((name, index) => {
    const node = network.addNode(name)
    const next = NODE_NAMES[(index + 1) % NODE_NAMES.length]!
    const random = sim.random(`workload/${name}`)
    const start = (): void => {
      node.spawn(
        (function* () {
          while (sim.now < WORKLOAD_END_MS) {
            yield* node.sleepLocal(random.uniform(5, 50))
            network.send(name, next, sim.now)
          }
        })(),
        "pinger",
      )
      node.spawn(
        (function* () {
          for (;;) {
            const envelope: Envelope = yield* node.receive()
            delivered.set(envelope.id, (delivered.get(envelope.id) ?? 0) + 1)
          }
        })(),
        "receiver",
      )
      if (name === "n0") {
        node.spawn(
          (function* () {
            while (sim.now < WORKLOAD_END_MS) {
              yield* rpc.call("n0", "n1", sim.now, { timeoutMs: 80, retries: 2, backoffMs: 20 })
              yield* node.sleepLocal(30)
            }
          })(),
          "caller",
        )
      }
    }
    node.onRestart(start)
    start()
  })
  rpc.serve("n1", (request: number) => request + 1)
  applyFaultPlan(sim, network, plan)
  return { sim, network, delivered }
}

function runToEnd(sim: Simulation): void {
  const result = sim.run({ maxEvents: 2_000_000 })
  if (result.reason !== "empty") throw new Error(`the run did not end: ${result.message}`)
}

describe(`Network properties (FC_SEED=${FC_SEED})`, () => {
  it("generates only valid fault plans", () => {
    checkProperty(
      fc.property(planArb, (plan) => {
        const result = validateFaultPlan(plan, { nodes: NODE_NAMES })
        if (!result.ok) throw new Error(result.error)
      }),
      { testFile: TEST_FILE, numRuns: 300 },
    )
  })

  it("accepts and survives every plan of the check helpers' arbitrary and swarm generator", () => {
    const arbitraryPlans = faultPlanArbitrary({ nodes: NODE_NAMES, horizonMs: 1000, maxFaults: 6, diskLoss: true })
    const swarmPlans = fc
      .integer({ min: 0, max: 2 ** 31 - 1 })
      .map((seed) => swarm(seed, { nodes: NODE_NAMES, horizonMs: 1000 }).plan)
    checkProperty(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.oneof(arbitraryPlans, swarmPlans), (seed, plan) => {
        const result = validateFaultPlan(plan, { nodes: NODE_NAMES })
        if (!result.ok) throw new Error(result.error)
        const { sim, network } = buildWorkload(seed, plan)

        runToEnd(sim)

        expect(network.nodes.every((node) => node.isUp && !node.isPaused)).toBe(true)
      }),
      { testFile: TEST_FILE, numRuns: 40 },
    )
  })

  it("gives the same trace hash for the same seed and fault plan", () => {
    checkProperty(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), planArb, (seed, plan) => {
        lawSameSeedSameTrace(
          (s) => {
            const { sim } = buildWorkload(s, plan)
            return tracedRunOf(sim, runToEnd)
          },
          seed,
          { label: "the network workload" },
        )
      }),
      { testFile: TEST_FILE, numRuns: 25 },
    )
  })

  it("delivers every message exactly once when there are no faults", () => {
    checkProperty(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.boolean(), (seed, reorder) => {
        const { sim, network, delivered } = buildWorkload(seed, { faults: [] }, "drop", reorder)

        runToEnd(sim)

        const sentIds = sim.trace
          .records()
          .filter((r) => r.type === "MessageSent" && r.port === "main")
          .map((r) => r.id as number)
        expect(sentIds.length).toBeGreaterThan(50)
        for (const id of sentIds) expect(delivered.get(id), `message ${id}`).toBe(1)
        expect(delivered.size).toBe(sentIds.length)
        expect(network.stats.dropped).toBe(0)
        expect(network.stats.delivered).toBe(network.stats.sent)
      }),
      { testFile: TEST_FILE, numRuns: 20 },
    )
  })

  it("survives any valid fault plan: the run ends, every copy is accounted for, and healing heals", () => {
    checkProperty(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        planArb,
        fc.constantFrom<PartitionMode>("drop", "hold"),
        (seed, plan, mode) => {
          const { sim, network } = buildWorkload(seed, plan, mode)

          runToEnd(sim)

          const { sent, delivered, dropped, duplicated, held } = network.stats
          expect(sent + duplicated).toBe(delivered + dropped + held)
          if (plan.healAt !== undefined) {
            expect(held).toBe(0)
            expect(network.activePartitions).toEqual([])
            expect(network.activeLinkFaults).toEqual([])
            const keptDown = new Set(
              plan.faults.flatMap((f) => (f.kind === "crash" && f.restart === false ? [f.node] : [])),
            )
            for (const node of network.nodes) {
              expect(node.isPaused, `${node.name} paused`).toBe(false)
              expect(node.isUp, `${node.name} up`).toBe(!keptDown.has(node.name))
            }
          }
        },
      ),
      { testFile: TEST_FILE, numRuns: 60 },
    )
  })
})
