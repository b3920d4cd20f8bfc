/**
 * Deadlock detection: which processes can never finish, and what does recovery cost?
 * Covers: multi-instance detection (Request against Work), the wait-for graph and its cycle for
 *   single-instance resources, recovery by abort-all, abort-one or preempt
 * Scenario: Silberschatz's detection example (A=7, B=2, C=6; P0..P4; nothing free): not deadlocked;
 *   one more C for P2 deadlocks P1..P4. --seed draws a snapshot only with --random-processes N; the
 *   default and the given rows do not depend on it
 * Try: --request 0,0,0:2,0,2:0,0,1:1,0,0:0,0,2; --request 0,0,0:2,0,2:0,0,1:1,0,0:0,0,2 --recovery
 *   abort-all; --request 0,0,0:2,0,2:0,0,1:1,0,0:0,0,2 --recovery preempt; --available 0,0,0
 *   --allocation 1,0,0:0,1,0:0,0,1 --request 0,1,0:0,0,1:1,0,0; --random-processes 5 --seed 4
 */
import {
  defineSim,
  type EstimateContext,
  flag,
  fromSimulation,
  type Params,
  renderTable,
  runMain,
  type TextSection,
  type WorkEstimate,
  workEstimate,
} from "../src/cli/index.ts"
import { seededStream } from "../src/kernel/index.ts"
import {
  type DetectionRunResult,
  DetectionScenario,
  type DetectionState,
  detectionChecks,
  firstExcess,
  MAX_PROCESSES,
  MAX_RESOURCES,
  parseMatrix,
  parseVector,
  processName,
  randomDetectionSnapshot,
  RECOVERIES,
  type Recovery,
  recover,
  resourceName,
  shapeProblem,
  addVectors,
  totalOf,
  vectorText,
  vectorTotal,
} from "../src/models/deadlock/index.ts"
import { availableFlag, type Built, matrixFlag, randomSnapshotFlags } from "./shared/snapshot-flags.ts"
import { scanTable, SnapshotConstraint, snapshotQuiz, stepSample, stepTimeline } from "./shared/snapshot-flags.ts"

const flags = {
  available: availableFlag("0,0,0"),
  allocation: matrixFlag({
    name: "Allocation",
    description: "what each process holds (Allocation), one row per process P0, P1, ... separated by ':'",
    default: "0,1,0:2,0,0:3,0,3:2,1,1:0,0,2",
    allowed: `rows of counts like 0,1,0:2,0,0 (at most ${MAX_PROCESSES} rows, ${MAX_RESOURCES} counts each)`,
  }),
  request: matrixFlag({
    name: "Request",
    description:
      "what each process waits for now (Request), rows as --allocation; Allocation + Request may not exceed the Total of a type",
    default: "0,0,0:2,0,2:0,0,0:1,0,0:0,0,2",
    allowed: "rows of counts like 0,0,0:2,0,2, one per row of --allocation",
  }),
  recovery: flag.choice({
    description:
      "how to break a deadlock: abort-one aborts the deadlocked process with the lowest total allocation (ties: lowest index) and re-runs detection until none is deadlocked; abort-all aborts every deadlocked process; preempt picks its victim as abort-one does but rolls it back: all it holds returns to Available and it stays, holding nothing and requesting what it held plus its request",
    choices: RECOVERIES,
    default: "abort-one",
  }),
  ...randomSnapshotFlags(
    "draw a fresh snapshot of N processes from the seed; 0 = use the rows given; overrides --available, --allocation, --request",
  ),
}

type DetectionParams = Params<typeof flags>

/** The snapshot the params describe, or what is wrong with it. */
function snapshotOf(params: DetectionParams, seed: number): Built<DetectionState> {
  if (params.randomProcesses > 0) {
    const random = seededStream(seed, "snapshot")
    return { ok: true, value: randomDetectionSnapshot(random, params.randomProcesses, params.randomResources) }
  }
  const available = parseVector(params.available, "Available")
  const allocation = parseMatrix(params.allocation, "Allocation")
  const request = parseMatrix(params.request, "Request")
  if (!available.ok) return available
  if (!allocation.ok) return allocation
  if (!request.ok) return request
  const n = allocation.value.length
  const m = available.value.length
  const state = { available: available.value, allocation: allocation.value, request: request.value }
  const problem =
    shapeProblem(allocation.value, "--allocation", n, m) ??
    shapeProblem(request.value, "--request", n, m) ??
    overTotal(state)
  return problem === undefined ? { ok: true, value: state } : { ok: false, error: problem }
}

/** The first process whose Allocation + Request exceeds the Total of a type, named, or undefined. */
function overTotal(state: DetectionState): string | undefined {
  const total = totalOf(state)
  for (const [i, held] of state.allocation.entries()) {
    const excess = firstExcess(addVectors(held, state.request[i]!), total)
    if (excess !== undefined)
      return `row ${processName(i)}: Allocation + Request (${vectorText(addVectors(held, state.request[i]!))}) exceeds the Total (${vectorText(total)}) in ${excess}; no process can wait for more instances than exist`
  }
  return undefined
}

const row = (vector: readonly number[]): string => vector.join(" ")
const seq = (order: readonly number[]): string => `<${order.map(processName).join(", ")}>`
const list = (processes: readonly number[]): string => processes.map(processName).join(", ")

/** Allocation and Request per process, then Available and Total. */
function snapshotSection(result: DetectionRunResult): TextSection {
  const { state } = result
  const names = state.available.map((_, j) => resourceName(j)).join(" ")
  const lines = renderTable(
    [
      { header: "process" },
      { header: `Allocation ${names}`, align: "right" },
      { header: `Request ${names}`, align: "right" },
    ],
    state.allocation.map((held, i) => [processName(i), row(held), row(state.request[i]!)]),
  )
  const kind =
    result.waitFor === undefined
      ? "several instances of some type: detection scans like the banker's safety algorithm"
      : "one instance of every type: the wait-for graph decides"
  return {
    title: "Snapshot",
    lines: [...lines, `Available (${state.available.join(",")}); Total (${result.total.join(",")}): ${kind}`],
  }
}

/** The detection scan's steps and its verdict. */
function detectionSection(result: DetectionRunResult): TextSection {
  const { detection } = result
  const idle =
    detection.idle.length === 0
      ? []
      : [`${list(detection.idle)} ${detection.idle.length === 1 ? "holds" : "hold"} nothing: finished before the scan.`]
  const verdict =
    detection.deadlocked.length === 0
      ? `No deadlock: finishing order ${seq(detection.order)}.`
      : `Deadlocked: ${list(detection.deadlocked)} (no pass satisfies their requests; Work stays (${detection.work.join(",")})).`
  const n = result.state.allocation.length
  return {
    title: `Detection (pass after pass over P0..P${n - 1}; Request <= Work)`,
    lines: [...idle, ...scanTable(detection.steps, "Request"), verdict],
  }
}

/** The cycle as a ring: `P0 → P1 → P2 ─┐` over a return line. */
function drawCycle(cycle: readonly number[]): string[] {
  const top = cycle.map(processName).join(" → ")
  return [`┌→ ${top} ─┐`, `└${"─".repeat(top.length + 4)}┘`]
}

function waitForSection(result: DetectionRunResult): TextSection[] {
  if (result.waitFor === undefined) return []
  const { edges, cycle } = result.waitFor
  const lines = edges.map(
    (edge) =>
      `${processName(edge.from)} → ${processName(edge.to)}  (${processName(edge.from)} waits for ${resourceName(edge.resource)}, held by ${processName(edge.to)})`,
  )
  if (edges.length === 0) lines.push("(no process waits for a resource another holds)")
  if (cycle === undefined) lines.push("No cycle: no deadlock.")
  else lines.push("The first cycle found (each waits for the next):", ...drawCycle(cycle))
  return [{ title: "Wait-for graph (Pi → Pj: Pi waits for a resource Pj holds)", lines }]
}

function recoverySection(result: DetectionRunResult): TextSection[] {
  if (result.rounds.length === 0) return []
  const rows = result.rounds.map((round, k) => [
    String(k + 1),
    list(round.victims),
    `(${round.released.join(",")})`,
    `(${round.state.available.join(",")})`,
    round.detection.deadlocked.length === 0 ? "none" : list(round.detection.deadlocked),
  ])
  return [
    {
      title: `Recovery (${result.recovery})`,
      lines: [
        ...renderTable(
          [
            { header: "round", align: "right" },
            { header: result.recovery === "preempt" ? "rolled back" : "aborted" },
            { header: "released", align: "right" },
            { header: "Available after", align: "right" },
            { header: "deadlocked after" },
          ],
          rows,
        ),
        `Then every ${result.recovery === "preempt" ? "" : "remaining "}process finishes: ${seq(result.recoveredOrder)}.`,
      ],
    },
  ]
}

/** The recovery in words, with the other strategies' victims on the same snapshot for comparison. */
function recoveryLessons(result: DetectionRunResult): string[] {
  if (result.rounds.length === 0) return []
  const { state, detection, victims } = result
  const cost = (i: number): string => {
    const held = vectorTotal(state.allocation[i]!)
    return `${processName(i)} holds ${held} instance${held === 1 ? "" : "s"}`
  }
  const first = victims[0]!
  const lines: string[] = []
  if (result.recovery === "abort-all")
    lines.push(
      `abort-all aborted all ${victims.length} deadlocked processes (${list(victims)}): every one loses its work.`,
    )
  else
    lines.push(
      `${result.recovery} chose ${processName(first)} first (${cost(first)}, the fewest among the deadlocked; ties go to the lowest index), re-running detection after each victim; victims in all: ${list(victims)}.`,
    )
  if (result.recovery === "preempt")
    lines.push(
      `A rolled-back victim loses its work but not its place: it holds nothing, so it cannot block anyone, and restarts asking for all it held again; choosing the same victim every time would starve it.`,
    )
  for (const other of RECOVERIES.filter((r) => r !== result.recovery && r !== "preempt")) {
    const rounds = recover(state, detection, other)
    const theirs = rounds.flatMap((round) => round.victims)
    lines.push(`${other} on the same snapshot would abort ${theirs.length} (${list(theirs)}).`)
  }
  return lines
}

function lessonSection(result: DetectionRunResult): TextSection {
  const { detection, state } = result
  const nothingFree = state.available.every((count) => count === 0)
  const lines: string[] = []
  if (detection.deadlocked.length === 0)
    lines.push(
      `No process is deadlocked${nothingFree ? ", although nothing is free" : ""}: the free instances plus what each finishing process releases satisfy every Request, in the order ${seq(detection.order)}.`,
    )
  else
    lines.push(
      `${list(detection.deadlocked)} ${detection.deadlocked.length === 1 ? "is" : "are"} deadlocked: ${detection.order.length === 0 ? "no process can finish" : `after ${list(detection.order)} finish${detection.order.length === 1 ? "es" : ""}`}, Work is (${detection.work.join(",")}) and no remaining Request fits it.`,
    )
  lines.push(
    "Detection tests what each process waits for now (Request), not its maximum claim (Need) as the banker does: it finds a deadlock that has happened instead of preventing one.",
  )
  if (result.waitFor !== undefined) {
    const { cycle } = result.waitFor
    lines.push(
      cycle === undefined
        ? "With one instance of every type the wait-for graph decides, and it has no cycle."
        : `With one instance of every type the wait-for graph decides: ${[...cycle, cycle[0]!].map(processName).join(" → ")} is a cycle.`,
    )
  }
  lines.push(...recoveryLessons(result))
  return { title: "Lesson", lines }
}

/**
 * Steps per second: a run is at most (n + 1) detections of n + 3 steps (16 processes: 323).
 * Measured on 2026-12-07: 16 processes all deadlocked, aborted one by one in 15 rounds, took 2.4 s
 * of CPU as text, about what start-up alone takes; peak RSS 144 MB. 20,000 steps/s is far below it.
 */
const STEPS_PER_SECOND = 20_000

/** Steps: one detection per recovery round plus the first, each its processes plus three, and the graph. */
function estimate(params: DetectionParams, { seed }: EstimateContext): WorkEstimate {
  const built = snapshotOf(params, seed)
  const processes = built.ok ? built.value.allocation.length : MAX_PROCESSES
  const steps = (processes + 1) * (processes + 4) + 1
  return workEstimate({
    events: steps,
    eventsPerSecond: STEPS_PER_SECOND,
    simTime: steps,
    advice: "give fewer processes",
  })
}

function quizLines(params: DetectionParams, seed: number): string[] {
  const built = snapshotOf(params, seed)
  if (!built.ok) return [built.error]
  const { available, allocation, request } = built.value
  const names = available.map((_, j) => resourceName(j)).join(" ")
  return [
    ...renderTable(
      [
        { header: "process" },
        { header: `Allocation ${names}`, align: "right" },
        { header: `Request ${names}`, align: "right" },
      ],
      allocation.map((held, i) => [processName(i), row(held), row(request[i]!)]),
    ),
    `Available (${available.join(",")})`,
    "1. Which processes are deadlocked? In which order can the others finish?",
    `2. With --recovery ${params.recovery}, which processes are the victims?`,
  ]
}

const deadlockDetection = defineSim({
  name: "deadlock-detection",
  title: "Deadlock detection: which processes can never finish, and what does recovery cost?",
  header: {
    covers:
      "multi-instance detection (Request against Work), the wait-for graph and its cycle for single-instance resources, recovery by abort-all, abort-one or preempt",
    scenario:
      "Silberschatz's detection example (A=7, B=2, C=6; P0..P4; nothing free): not deadlocked; one more C for P2 deadlocks P1..P4. --seed draws a snapshot only with --random-processes N; the default and the given rows do not depend on it",
    try: [
      "--request 0,0,0:2,0,2:0,0,1:1,0,0:0,0,2",
      "--request 0,0,0:2,0,2:0,0,1:1,0,0:0,0,2 --recovery abort-all",
      "--request 0,0,0:2,0,2:0,0,1:1,0,0:0,0,2 --recovery preempt",
      "--available 0,0,0 --allocation 1,0,0:0,1,0:0,0,1 --request 0,1,0:0,0,1:1,0,0",
      "--random-processes 5 --seed 4",
    ],
  },
  time: { unit: "", decimals: 0, unitName: "steps" },
  metrics: {
    deadlocked: { description: "the deadlocked processes, in index order", unit: "process names" },
    order: {
      description: "the finishing order found: processes holding nothing first (index order), then the scan's takes",
      unit: "process names",
    },
    victims: {
      description: "the recovery's victims, in the order chosen ([] when none is deadlocked)",
      unit: "process names",
    },
    total: { description: "instances of each resource type: Available + ΣAllocation", unit: "instances" },
    waitForGraph: {
      description:
        "with one instance of every type: edges (Pi→Pj: Pi waits for what Pj holds) and the first cycle found ([] for none); else null",
      unit: "see fields",
    },
    recoveredOrder: {
      description:
        "the finishing order after recovery, without aborted processes (rolled-back ones hold nothing and open it)",
      unit: "process names",
    },
    availableAfterRecovery: { description: "Available after recovery", unit: "instances" },
  },
  flags,
  constraints: [new SnapshotConstraint<DetectionParams>(["available", "allocation", "request"], snapshotOf)],
  estimate,
  quiz: (params, seed?: number) => snapshotQuiz(params, seed, quizLines),
  run(params, context) {
    const built = snapshotOf(params, context.seed)
    if (!built.ok) throw new Error(`the constraints let an invalid snapshot through: ${built.error}`)
    const sim = context.simulation()
    const sample = stepSample(sim, context.output)
    const scenario = new DetectionScenario(sim, { ...built.value, recovery: params.recovery as Recovery })
    const result = scenario.run(context.advance)
    const sections: TextSection[] = [
      snapshotSection(result),
      detectionSection(result),
      ...waitForSection(result),
      ...recoverySection(result),
      lessonSection(result),
    ]
    return {
      ...fromSimulation(sim),
      metrics: result.summary(),
      checks: detectionChecks(result),
      timeline: stepTimeline(sample),
      sections: context.output === "text" ? sections : [],
    }
  },
})

export default deadlockDetection

await runMain(deadlockDetection, import.meta.url)
