import { describe, expect, it } from "vitest"
import {
  defineSim,
  faultFlags,
  type FaultFlagsOptions,
  faultPlanHelp,
  type FlagSpecs,
  type Params,
  type RunFaultPlan,
  type ShorthandPause,
  type SimDefinition,
} from "../../src/cli/index.ts"
import { parseCommandLine } from "../../src/cli/parse-command-line.ts"
import { addSwarm } from "../../src/check/swarm.ts"
import type { FaultPlan } from "../../src/net/index.ts"
import failureDetector, { FAULTS as DETECTOR_FAULTS } from "../../sims/failure-detector.ts"
import kafkaAcks, { acksPlan } from "../../sims/kafka-acks.ts"

const NODES = ["a", "b", "c"]

/** The shorthand pause of node a both fixtures below declare. */
const PAUSE_A: ShorthandPause<"pauseAt" | "pauseMs"> = {
  kind: "pause",
  node: "a",
  at: { flag: "pauseAt", description: "when a stalls", default: 10 },
  durationMs: { flag: "pauseMs", description: "how long a stalls; 0: no pause", default: 5 },
}

/** A pause of a, a partition of b with a length, a crash of c without restart: times >= 0, run end given. */
const LENGTHS = faultFlags({
  description: "more faults",
  nodesText: "a, b, c",
  nodes: NODES,
  example: '{"faults":[]}',
  blame: "the shorthand fault flags",
  shorthand: [
    PAUSE_A,
    {
      kind: "partition",
      node: "b",
      at: { flag: "partitionAt", description: "when b is cut off", default: 20 },
      durationMs: { flag: "partitionMs", description: "how long; 0: none", default: 0 },
    },
    { kind: "crash", node: "c", at: { flag: "crashAt", description: "when c crashes", default: 30 } },
  ],
})

/** A crash of a with a restart flag, a partition of a with a heal flag: -1 means never. */
const NEVER = faultFlags({
  description: "more faults",
  nodesText: "a..c",
  example: '{"faults":[]}',
  never: -1,
  maxMs: 1000,
  shorthand: [
    {
      kind: "crash",
      node: "a",
      at: { flag: "crashAt", description: "when a crashes; -1: never", default: 100 },
      restartAt: { flag: "restartAt", description: "when a restarts; -1: never", default: 500 },
    },
    {
      kind: "partition",
      node: "a",
      at: { flag: "partitionAt", description: "when a is cut off; -1: never", default: -1 },
      healAt: { flag: "healAt", description: "when it heals; -1: 200ms after", default: -1 },
      healAfterMs: 200,
    },
  ],
})

/** A pause of a, a crash of c and a pause of b; SWARMED declares --swarm with the defaults. */
const SWARMED_OPTIONS: FaultFlagsOptions<"pauseAt" | "pauseMs" | "crashAt" | "pauseBAt" | "pauseBMs"> = {
  description: "more faults",
  nodesText: "a, b, c",
  nodes: NODES,
  example: '{"faults":[]}',
  shorthand: [
    PAUSE_A,
    { kind: "crash", node: "c", at: { flag: "crashAt", description: "when c crashes", default: 30 } },
    {
      kind: "pause",
      node: "b",
      at: { flag: "pauseBAt", description: "when b stalls", default: 40 },
      durationMs: { flag: "pauseBMs", description: "how long b stalls; 0: no pause", default: 5 },
    },
  ],
}
const SWARMED = faultFlags({ ...SWARMED_OPTIONS, swarm: true })
const SWARMED_PARAMS = { pauseAt: 10, pauseMs: 5, crashAt: 30, pauseBAt: 40, pauseBMs: 5, faults: "none", swarm: false }
const SWARMED_SHORTHAND = [
  { kind: "pause", node: "a", at: 10, durationMs: 5 },
  { kind: "crash", node: "c", at: 30 },
  { kind: "pause", node: "b", at: 40, durationMs: 5 },
]

const LENGTH_PARAMS = { pauseAt: 10, pauseMs: 5, partitionAt: 20, partitionMs: 7, crashAt: 30, faults: "none" }
const NEVER_PARAMS = { crashAt: 100, restartAt: 500, partitionAt: -1, healAt: -1, faults: "none" }

/** addSwarm's answer in runPlan's words. */
function rename(drawn: { plan: FaultPlan; description: string }): RunFaultPlan {
  return { plan: drawn.plan, swarmLine: drawn.description }
}

/** The params a command line gives a sim (the same parser as the runner's). */
function paramsOf<F extends FlagSpecs>(sim: SimDefinition<F>, args: readonly string[]): Params<F> {
  const line = parseCommandLine(sim, args)
  if (line.kind !== "run") throw new Error(`not a run: ${JSON.stringify(line)}`)
  return line.params
}

/** The error a command line gets (exit 2's message). */
function problemsOf<F extends FlagSpecs>(sim: SimDefinition<F>, args: readonly string[]): readonly string[] {
  const line = parseCommandLine(sim, args)
  return line.kind === "bad-input" ? line.problems : []
}

describe("faultFlags", () => {
  it("declares the shorthand flags in order, in ms, bounded by the never value and maxMs", () => {
    expect(Object.keys(LENGTHS.shorthandFlags)).toEqual(["pauseAt", "pauseMs", "partitionAt", "partitionMs", "crashAt"])
    expect(LENGTHS.shorthandFlags.pauseMs).toMatchObject({
      description: "how long a stalls; 0: no pause",
      unit: "ms",
      default: 5,
    })
    expect(LENGTHS.shorthandFlags.pauseAt.allowed).toBe("a number >= 0 and <= 600000")
    expect(Object.keys(NEVER.shorthandFlags)).toEqual(["crashAt", "restartAt", "partitionAt", "healAt"])
    expect(NEVER.shorthandFlags.healAt.allowed).toBe("a number >= -1 and <= 1000")
    expect(LENGTHS.timeFlags).toEqual(["pauseAt", "partitionAt", "crashAt"])
    expect(NEVER.timeFlags).toEqual(["crashAt", "restartAt", "partitionAt", "healAt"])
  })

  it("documents the fault-plan format in --help, on the --faults flag", () => {
    expect(LENGTHS.help).toEqual(faultPlanHelp("a, b, c", '{"faults":[]}'))
    expect(LENGTHS.faults.help).toEqual(LENGTHS.help)
    expect(LENGTHS.faults.default).toBe("none")
    for (const kind of ["crash", "pause", "partition", "clock", "link", "healAt"])
      expect(LENGTHS.help.join("\n")).toContain(kind)
  })

  it("plans the shorthand faults in declaration order, then the JSON plan's, healing at its healAt", () => {
    const json = '{"faults":[{"kind":"clock","node":"a","at":5,"driftRate":0.1}],"healAt":900}'

    expect(LENGTHS.plan({ ...LENGTH_PARAMS, faults: json }, { untilMs: 100 })).toEqual({
      faults: [
        { kind: "pause", node: "a", at: 10, durationMs: 5 },
        { kind: "partition", groups: [["b"]], at: 20, healAt: 27 },
        { kind: "crash", node: "c", at: 30 },
        { kind: "clock", node: "a", at: 5, driftRate: 0.1 },
      ],
      healAt: 900,
    })
  })

  it("turns a shorthand fault off with a zero length, a time at or after the run's end, or shorthand: false", () => {
    expect(LENGTHS.plan({ ...LENGTH_PARAMS, pauseMs: 0, partitionMs: 0 }, { untilMs: 100 }).faults).toEqual([
      { kind: "crash", node: "c", at: 30 },
    ])
    expect(LENGTHS.plan(LENGTH_PARAMS, { untilMs: 20 }).faults).toEqual([
      { kind: "pause", node: "a", at: 10, durationMs: 5 },
    ])
    expect(LENGTHS.plan(LENGTH_PARAMS).faults).toHaveLength(3)
    expect(LENGTHS.plan(LENGTH_PARAMS, { shorthand: false })).toEqual({ faults: [] })
  })

  it("with a never value: below 0 turns a fault off, a restart not after the crash means none, heal defaults after the start", () => {
    expect(NEVER.plan(NEVER_PARAMS).faults).toEqual([{ kind: "crash", node: "a", at: 100, restartAt: 500 }])
    expect(NEVER.plan({ ...NEVER_PARAMS, restartAt: -1 }).faults).toEqual([
      { kind: "crash", node: "a", at: 100, restart: false },
    ])
    expect(NEVER.plan({ ...NEVER_PARAMS, restartAt: 100 }).faults).toEqual([
      { kind: "crash", node: "a", at: 100, restart: false },
    ])
    expect(NEVER.plan({ ...NEVER_PARAMS, crashAt: -1, partitionAt: 50 }).faults).toEqual([
      { kind: "partition", groups: [["a"]], at: 50, healAt: 250 },
    ])
    expect(NEVER.plan({ ...NEVER_PARAMS, crashAt: -0.5, partitionAt: 50, healAt: 60 }).faults).toEqual([
      { kind: "partition", groups: [["a"]], at: 50, healAt: 60 },
    ])
  })

  it("names what is wrong: the JSON, an unknown node, or the shorthand flags by the declared blame or their own names", () => {
    expect(LENGTHS.check({ ...LENGTH_PARAMS, faults: "nope" })).toMatchObject({
      ok: false,
      error: expect.stringContaining("not valid JSON"),
    })
    expect(
      NEVER.check({ ...NEVER_PARAMS, faults: '{"faults":[{"kind":"crash","node":"zz","at":1}]}' }, { nodes: NODES }),
    ).toEqual({
      ok: false,
      error: 'faults[0] (crash): node is "zz", an unknown node; allowed: a, b, c',
    })
    expect(LENGTHS.check({ ...LENGTH_PARAMS, faults: '{"faults":[],"healAt":15}' })).toEqual({
      ok: false,
      error:
        "faults[1] (partition): at is 20; allowed: before the plan's healAt 15 (faults[0..2] come from the shorthand fault flags)",
    })
    expect(NEVER.check({ ...NEVER_PARAMS, faults: '{"faults":[],"healAt":50}' })).toEqual({
      ok: false,
      error:
        "faults[0] (crash): at is 100; allowed: before the plan's healAt 50 (faults[0..0] come from --crash-at/--partition-at)",
    })
    expect(() => NEVER.plan({ ...NEVER_PARAMS, faults: '{"faults":[],"healAt":50}' })).toThrow(
      /the constraints let an invalid fault plan through/,
    )
  })

  it("refuses an invalid plan as a cross-flag constraint naming --faults and the time flags (exit 2)", () => {
    const flags = { ...NEVER.shorthandFlags, brokers: LENGTHS.shorthandFlags.pauseMs, faults: NEVER.faults }
    const sim = defineSim({
      name: "toy",
      title: "toy",
      header: { covers: "", scenario: "", try: [] },
      flags,
      constraints: [NEVER.constraint((params: Params<typeof flags>) => ({ nodes: NODES.slice(0, params.brokers) }))],
      quiz: () => "",
      estimate: () => ({ seconds: 0, bytes: 0, simTime: 0, events: 0, advice: "" }),
      run: () => ({ simTime: 0, events: 0, traceHash: "", metrics: {}, checks: [] }),
    })

    expect(
      problemsOf(sim, ["--brokers", "1", "--faults", '{"faults":[{"kind":"pause","node":"b","at":1,"durationMs":2}]}']),
    ).toEqual([
      `contradictory flags --faults {"faults":[{"kind":"pause","node":"b","at":1,"durationMs":2}]}, --crash-at 100, --restart-at 500, ` +
        '--partition-at -1, --heal-at -1: faults[0] (pause): node is "b", an unknown node; allowed: a',
    ])
    expect(
      problemsOf(sim, ["--brokers", "2", "--faults", '{"faults":[{"kind":"pause","node":"b","at":1,"durationMs":2}]}']),
    ).toEqual([])
  })
})

describe("faultFlags with swarm", () => {
  it("declares --swarm, off by default, saying which shorthand flags it replaces; a given description wins", () => {
    expect(SWARMED.swarm).toMatchObject({
      kind: "boolean",
      description: "draw the faults from the seed (swarm testing) instead of the pause/crash flags",
      default: false,
    })
    expect("swarm" in LENGTHS).toBe(false)
    expect("swarm" in NEVER).toBe(false)
    const described = faultFlags({ ...SWARMED_OPTIONS, swarm: { description: "draw the faults" } })
    expect(described.swarm).toMatchObject({ kind: "boolean", description: "draw the faults", default: false })
    expect(DETECTOR_FAULTS.swarm.description).toBe(
      "draw the faults from the seed (swarm testing) instead of the pause/partition/crash flags",
    )
  })

  it("leaves the shorthand faults out with --swarm unless the context says otherwise", () => {
    expect(SWARMED.plan(SWARMED_PARAMS).faults).toEqual(SWARMED_SHORTHAND)
    expect(SWARMED.plan({ ...SWARMED_PARAMS, swarm: true })).toEqual({ faults: [] })
    expect(SWARMED.plan({ ...SWARMED_PARAMS, swarm: true }, { shorthand: true }).faults).toEqual(SWARMED_SHORTHAND)
    expect(SWARMED.plan(SWARMED_PARAMS, { shorthand: false })).toEqual({ faults: [] })
    // Not declared: a swarm param of the sim's own changes nothing.
    expect(LENGTHS.plan({ ...LENGTH_PARAMS, swarm: true }).faults).toHaveLength(3)
    expect(LENGTHS.runPlan({ ...LENGTH_PARAMS, swarm: true }, 1, { untilMs: 100 })).toEqual({
      plan: LENGTHS.plan(LENGTH_PARAMS),
    })
  })

  it("runPlan without --swarm is the flags' plan and no swarm line", () => {
    expect(SWARMED.runPlan(SWARMED_PARAMS, 7, { untilMs: 100 })).toEqual({ plan: { faults: SWARMED_SHORTHAND } })
    expect(SWARMED.runPlan({ ...SWARMED_PARAMS, pauseBAt: 100 }, 7, { untilMs: 100 }).plan.faults).toHaveLength(2)
  })

  it("runPlan with --swarm draws the seed's faults until 2/3 of the run, then heals, and says what it drew", () => {
    expect(SWARMED.runPlan({ ...SWARMED_PARAMS, swarm: true }, 2, { untilMs: 300 })).toEqual({
      plan: {
        faults: [
          { kind: "link", from: "c", to: "a", at: 88, until: 89, dropProbability: 1 },
          { kind: "link", from: "b", to: "c", at: 155, until: 156, dropProbability: 1 },
        ],
        healAt: 200,
      },
      swarmLine:
        "swarm seed=2 (3 nodes, 200ms): crash off, pause on (~0.8 per run, ~5ms), partition off, " +
        "clock on (~0.4 per run, skew up to 590ms, drift up to 3.9%), link on (~1.8 per run, ~2ms, drop 100%)",
    })
  })

  it("runPlan with --swarm adds to --faults the plan addSwarm gives, for every seed, healing at --faults' healAt", () => {
    const json = '{"faults":[{"kind":"crash","node":"a","at":5,"restartAt":20}],"healAt":60}'
    const own = { faults: [{ kind: "crash" as const, node: "a", at: 5, restartAt: 20 }], healAt: 60 }
    for (const seed of [1, 2, 3, 13, 99]) {
      const expected = addSwarm(own, seed, { nodes: NODES, untilMs: 300 })
      const drawn = SWARMED.runPlan({ ...SWARMED_PARAMS, swarm: true, faults: json }, seed, { untilMs: 300 })
      expect(drawn).toEqual({ plan: expected.plan, swarmLine: expected.description })
      expect(drawn.plan.healAt).toBe(60)
      expect(drawn.plan.faults[0]).toEqual(own.faults[0])
      expect(drawn.swarmLine).toMatch(new RegExp(`^swarm seed=${seed} \\(3 nodes, 60ms\\): `))
    }
  })

  it("runPlan with --swarm takes its nodes and phase from the declaration, else the context's nodes", () => {
    const params = { ...SWARMED_PARAMS, swarm: true }
    const onTwo = faultFlags({ ...SWARMED_OPTIONS, swarm: { nodes: ["a", "b"], phase: 0.5 } })
    for (const seed of [1, 2, 3]) {
      expect(onTwo.runPlan(params, seed, { untilMs: 300 })).toEqual(
        rename(addSwarm({ faults: [] }, seed, { nodes: ["a", "b"], untilMs: 300, phase: 0.5 })),
      )
      expect(SWARMED.runPlan(params, seed, { untilMs: 300, nodes: ["b", "c"] })).toEqual(
        rename(addSwarm({ faults: [] }, seed, { nodes: ["b", "c"], untilMs: 300 })),
      )
    }
    expect(onTwo.runPlan(params, 1, { untilMs: 300 }).plan.healAt).toBe(150)
    expect(onTwo.runPlan(params, 1, { untilMs: 300 }).swarmLine).toMatch(/^swarm seed=1 \(2 nodes, 150ms\): /)
  })

  it("runPlan with --swarm throws without the run's end, or without nodes to strike", () => {
    const params = { ...SWARMED_PARAMS, swarm: true }
    expect(() => SWARMED.runPlan(params, 1)).toThrow("--swarm needs the run's end: give untilMs in the context")
    const nodeless = faultFlags({ ...SWARMED_OPTIONS, nodes: undefined, swarm: true })
    expect(() => nodeless.runPlan(params, 1, { untilMs: 300 })).toThrow(
      "--swarm needs the nodes: declare them or give them in the context",
    )
    expect(nodeless.runPlan(params, 1, { untilMs: 300, nodes: NODES })).toEqual(
      SWARMED.runPlan(params, 1, { untilMs: 300 }),
    )
  })
})

const pauseOfN1 = { kind: "pause", node: "n1", at: 450, durationMs: 150 }
const crashOfN3 = { kind: "crash", node: "n3", at: 1550 }

describe("the sims' fault flags", () => {
  it("failure-detector: the Try lines' plans, with --swarm leaving the shorthand out", () => {
    const planOf = (args: string[]) => {
      const params = paramsOf(failureDetector, args)
      return DETECTOR_FAULTS.plan(params, { untilMs: params.durationMs })
    }
    const pause = (durationMs: number) => ({ kind: "pause", node: "n1", at: 450, durationMs })
    const crash = { kind: "crash", node: "n3", at: 1550 }

    expect(planOf([])).toEqual({ faults: [pause(150), crash] })
    expect(planOf(["--pause-ms", "500"])).toEqual({ faults: [pause(500), crash] })
    expect(planOf(["--timeout-ms", "150", "--loss", "0.2"])).toEqual({ faults: [pause(150), crash] })
    expect(planOf(["--partition-ms", "600"])).toEqual({
      faults: [pause(150), { kind: "partition", groups: [["n2"]], at: 2000, healAt: 2600 }, crash],
    })
    expect(planOf(["--swarm", "--seed", "13"])).toEqual({ faults: [] })
    expect(planOf(["--crash-at", "3000", "--pause-ms", "0"])).toEqual({ faults: [] })
  })

  it("failure-detector: --swarm adds to the plan what addSwarm draws from the seed over its four nodes", () => {
    const runPlanOf = (args: string[], seed: number) => {
      const params = paramsOf(failureDetector, args)
      return DETECTOR_FAULTS.runPlan(params, seed, { untilMs: params.durationMs })
    }
    const nodes = ["monitor", "n1", "n2", "n3"]
    for (const seed of [1, 2, 7, 13, 42]) {
      expect(runPlanOf(["--swarm"], seed)).toEqual(rename(addSwarm({ faults: [] }, seed, { nodes, untilMs: 3000 })))
      const json = '{"faults":[{"kind":"pause","node":"monitor","at":100,"durationMs":50}],"healAt":900}'
      const own = { faults: [{ kind: "pause" as const, node: "monitor", at: 100, durationMs: 50 }], healAt: 900 }
      expect(runPlanOf(["--swarm", "--faults", json, "--duration-ms", "5000"], seed)).toEqual(
        rename(addSwarm(own, seed, { nodes, untilMs: 5000 })),
      )
    }
    expect(runPlanOf(["--swarm"], 13).swarmLine).toMatch(/^swarm seed=13 \(4 nodes, 2000ms\): /)
    expect(runPlanOf([], 13)).toEqual({ plan: { faults: [pauseOfN1, crashOfN3] } })
  })

  it("failure-detector: --swarm has no shorthand faults to conflict with --faults' healAt, and still checks its nodes", () => {
    expect(problemsOf(failureDetector, ["--swarm", "--faults", '{"faults":[],"healAt":1000}'])).toEqual([])
    expect(
      problemsOf(failureDetector, ["--swarm", "--faults", '{"faults":[{"kind":"crash","node":"zz","at":1}]}']),
    ).toEqual([
      `bad value for --faults '{"faults":[{"kind":"crash","node":"zz","at":1}]}': faults[0] (crash): node is "zz", ` +
        "an unknown node; allowed: monitor, n1, n2, n3",
    ])
  })

  it("failure-detector: the same error text for a plan that heals before the shorthand faults", () => {
    expect(problemsOf(failureDetector, ["--faults", '{"faults":[],"healAt":1000}'])).toEqual([
      'contradictory flags --faults {"faults":[],"healAt":1000}, --pause-at 450, --partition-at 2000, --crash-at 1550, ' +
        "--pause-ms 150, --partition-ms 0: " +
        "faults[1] (crash): at is 1550; allowed: before the plan's healAt 1000 (faults[0..1] come from the shorthand fault flags)",
    ])
  })

  it("failure-detector: names the duration when a partition of 1e-320 ms heals where it starts", () => {
    expect(problemsOf(failureDetector, ["--partition-ms", "1e-320"])).toEqual([
      "contradictory flags --faults none, --pause-at 450, --partition-at 2000, --crash-at 1550, --pause-ms 150, " +
        "--partition-ms 1e-320: faults[1] (partition): healAt is 2000; allowed: a time after at 2000 " +
        "(faults[0..2] come from the shorthand fault flags)",
    ])
  })

  it("kafka-acks: the Try lines' plans", () => {
    const planOf = (args: string[]) => acksPlan(paramsOf(kafkaAcks, args))
    const crash = { kind: "crash", node: "b1", at: 600, restartAt: 15_000 }

    expect(planOf([])).toEqual({ ok: true, plan: { faults: [crash] } })
    expect(planOf(["--acks", "1"])).toEqual({ ok: true, plan: { faults: [crash] } })
    expect(planOf(["--partition-leader-at", "200", "--crash-leader-at", "-1"])).toEqual({
      ok: true,
      plan: { faults: [{ kind: "partition", groups: [["b1"]], at: 200, healAt: 15_200 }] },
    })
    const scenarioB = [
      "--min-insync",
      "1",
      "--unclean-election",
      "--replica-lag-ms",
      "1000",
      "--crash-leader-at",
      "1500",
      "--restart-at",
      "-1",
    ]
    expect(
      planOf([
        ...scenarioB,
        "--faults",
        '{"faults":[{"kind":"partition","groups":[["b2","b3"]],"at":100,"healAt":1300}]}',
      ]),
    ).toEqual({
      ok: true,
      plan: {
        faults: [
          { kind: "crash", node: "b1", at: 1500, restart: false },
          { kind: "partition", groups: [["b2", "b3"]], at: 100, healAt: 1300 },
        ],
      },
    })
  })

  it("kafka-acks: the same error text, naming the brokers of --brokers and the shorthand flags", () => {
    expect(
      problemsOf(kafkaAcks, [
        "--brokers",
        "3",
        "--replication-factor",
        "3",
        "--faults",
        '{"faults":[{"kind":"crash","node":"b4","at":1}]}',
      ]),
    ).toEqual([
      'contradictory flags --faults {"faults":[{"kind":"crash","node":"b4","at":1}]}, --crash-leader-at 600, --restart-at 15000, ' +
        '--partition-leader-at -1, --heal-at -1: faults[0] (crash): node is "b4", an unknown node; allowed: b1, b2, b3',
    ])
    expect(problemsOf(kafkaAcks, ["--faults", '{"faults":[],"healAt":100}'])).toEqual([
      'contradictory flags --faults {"faults":[],"healAt":100}, --crash-leader-at 600, --restart-at 15000, --partition-leader-at -1, ' +
        "--heal-at -1: faults[0] (crash): at is 600; allowed: before the plan's healAt 100 (faults[0..0] come from --crash-leader-at/--partition-leader-at)",
    ])
  })
})
