/**
 * TCP rounds: how do Tahoe and Reno set cwnd round by round, and which rounds are slow start?
 * Covers: the per-round idealisation of TCP congestion control: slow start, congestion avoidance,
 *   ssthresh on a loss, Tahoe against Reno's fast recovery
 * Scenario: Kurose & Ross's Figure 3.52: ssthresh 8, cwnd 1, a triple duplicate ACK at the end of
 *   round 8, 15 rounds under Reno. Nothing is random: --seed does not change the run
 * Try: --algorithm tahoe; --ssthresh 32 --events 16:dup,22:timeout --rounds 26; --algorithm tahoe
 *   --ssthresh 32 --events 16:dup,22:timeout --rounds 26; --ssthresh 32 --events
 *   16:dup,22:timeout,26:dup --rounds 27
 */
import {
  type Constraint,
  defineSim,
  flag,
  formatCount,
  fromSimulation,
  type Params,
  renderTable,
  runMain,
  type TextSection,
  workEstimate,
} from "../src/cli/index.ts"
import { TraceSample, type Traced } from "../src/kernel/index.ts"
import {
  type LossEvent,
  parseLossEvents,
  ROUNDS_ALGORITHMS,
  type Round,
  type RoundPhase,
  tcpRounds,
} from "../src/models/tcp/tcp-rounds.ts"
import type { TcpRoundsEvent } from "../src/models/tcp/tcp-rounds-events.ts"
import { tcpRoundsChecks } from "../src/models/tcp/tcp-rounds-checks.ts"
import { type TcpRoundsResult, TcpRoundsScenario } from "../src/models/tcp/tcp-rounds-scenario.ts"
import { lossWords, phaseWords, tcpRoundsTimelineLine } from "../src/models/tcp/tcp-rounds-timeline.ts"

/** Most rounds a run computes (the table prints every one). */
const MAX_ROUNDS = 1000
/** Largest initial ssthresh and cwnd, in segments. */
const MAX_SEGMENTS = 1_000_000
/** Timeline lines shown (phase changes and losses). */
const TIMELINE_MAX = 40
/** Rows of the chart. */
const CHART_ROWS = 16
/** Columns of the chart's plot area. */
const CHART_COLUMNS = 80

const flags = {
  algorithm: flag.choice({
    description: "the loss response: tahoe (always back to cwnd 1) or reno (fast recovery on a triple dup ACK)",
    choices: ROUNDS_ALGORITHMS,
    default: "reno",
  }),
  ssthresh: flag.integer({
    description: "the initial slow-start threshold",
    unit: "segments",
    default: 8,
    min: 1,
    max: MAX_SEGMENTS,
  }),
  events: flag.string({
    description: "losses, each detected at the end of its round: dup (three duplicate ACKs) or timeout",
    default: "8:dup",
    allowed: "none, or <round>:dup|timeout,... (rounds from 1 up to --rounds, at most one event per round)",
    check: (value) => {
      const parsed = parseLossEvents(value)
      return typeof parsed === "string" ? parsed : undefined
    },
  }),
  rounds: flag.integer({
    description: "transmission rounds (RTTs) to show",
    unit: "rounds",
    default: 15,
    min: 1,
    max: MAX_ROUNDS,
  }),
  initialCwnd: flag.integer({
    description: "cwnd in round 1",
    unit: "segments",
    default: 1,
    min: 1,
    max: MAX_SEGMENTS,
  }),
}

type RoundsParams = Params<typeof flags>

function eventsOf(params: RoundsParams): LossEvent[] {
  return parseLossEvents(params.events) as LossEvent[]
}

const constraints: Constraint<RoundsParams>[] = [
  {
    params: ["events", "rounds"],
    holds: (params) => {
      const events = parseLossEvents(params.events)
      return typeof events === "string" || events.every((e) => e.round <= params.rounds)
    },
    message: "every event's round must be at most --rounds (a loss is detected at the end of a round that is shown)",
  },
]

function tableSection(result: TcpRoundsResult): TextSection {
  const rows = result.rounds.map((r) => [
    String(r.round),
    formatCount(r.cwnd),
    formatCount(r.ssthresh),
    phaseWords(r.phase),
    formatCount(r.sentThrough),
    r.loss === undefined ? "" : lossWords(r.loss),
  ])
  return {
    title: "Rounds (cwnd and ssthresh in segments, in force during the round)",
    lines: renderTable(
      [
        { header: "round", align: "right" },
        { header: "cwnd", align: "right" },
        { header: "ssthresh", align: "right" },
        { header: "phase" },
        { header: "sent so far", align: "right" },
        { header: "loss at its end" },
      ],
      rows,
    ),
  }
}

/** Rounds per chart column and columns per round: the chart fits {@link CHART_COLUMNS}. */
function chartLayout(rounds: number): { perColumn: number; width: number } {
  if (rounds * 3 <= CHART_COLUMNS) return { perColumn: 1, width: 3 }
  if (rounds * 2 <= CHART_COLUMNS) return { perColumn: 1, width: 2 }
  return { perColumn: Math.ceil(rounds / CHART_COLUMNS), width: 1 }
}

/** The largest of `values` over each group of `size`. */
function groupMax(values: readonly number[], size: number): number[] {
  const groups: number[] = []
  for (let i = 0; i < values.length; i += size) groups.push(Math.max(...values.slice(i, i + size)))
  return groups
}

function chartSection(result: TcpRoundsResult): TextSection {
  const { perColumn, width } = chartLayout(result.rounds.length)
  const cwnd = groupMax(
    result.rounds.map((r) => r.cwnd),
    perColumn,
  )
  const ssthresh = groupMax(
    result.rounds.map((r) => r.ssthresh),
    perColumn,
  )
  const top = Math.max(...cwnd, ...ssthresh)
  const rows = Math.min(CHART_ROWS, top)
  const height = (value: number): number => Math.max(1, Math.round((value * rows) / top))
  const label = (row: number): string => formatCount(Math.round((top * row) / rows)).padStart(formatCount(top).length)
  const lines: string[] = []
  for (let row = rows; row >= 1; row--) {
    const cells = cwnd.map((c, i) => {
      if (height(c) >= row) return "█".repeat(width - (width > 1 ? 1 : 0)) + (width > 1 ? " " : "")
      return height(ssthresh[i]!) === row ? "-".repeat(width) : " ".repeat(width)
    })
    lines.push(`${label(row)} |${cells.join("")}`.trimEnd())
  }
  const pad = " ".repeat(formatCount(top).length)
  lines.push(`${pad} +${"-".repeat(cwnd.length * width)}`)
  const marks = groupLosses(result.rounds, perColumn).map((kind) => (kind ?? " ").padEnd(width))
  if (result.losses.length > 0) lines.push(`${pad}  ${marks.join("")}`.trimEnd())
  lines.push(`${pad}  ${roundAxis(cwnd.length, perColumn, width)}`.trimEnd())
  const unit = perColumn === 1 ? "one column per round" : `each column ${perColumn} rounds, their largest values`
  return {
    title: `cwnd per round (█), ssthresh (-) where above it; d = triple dup ACK, t = timeout; rounds below (${unit})`,
    lines,
  }
}

/** The round numbers under the chart: 1 and every fifth round (every tenth column's first round when grouped). */
function roundAxis(columns: number, perColumn: number, width: number): string {
  let axis = ""
  for (let c = 0; c < columns; c++) {
    const round = c * perColumn + 1
    const labelled = perColumn === 1 ? round === 1 || round % 5 === 0 : c % 10 === 0
    if (labelled && axis.length <= c * width) axis = axis.padEnd(c * width) + String(round)
  }
  return axis
}

/** The loss mark of each chart column: `t` when a timeout ended one of its rounds, else `d`, else none. */
function groupLosses(rounds: readonly Round[], size: number): (string | undefined)[] {
  const marks: (string | undefined)[] = []
  for (let i = 0; i < rounds.length; i += size) {
    const kinds = rounds.slice(i, i + size).map((r) => r.loss)
    marks.push(kinds.includes("timeout") ? "t" : kinds.includes("dup") ? "d" : undefined)
  }
  return marks
}

/** Maximal runs of rounds in `phases`, as "1-4, 9-12". */
function spans(rounds: readonly Round[], phases: readonly RoundPhase[]): string {
  const out: string[] = []
  let start: number | undefined
  for (const [i, r] of rounds.entries()) {
    const inside = phases.includes(r.phase)
    if (inside && start === undefined) start = r.round
    const next = rounds[i + 1]
    if (inside && (next === undefined || !phases.includes(next.phase))) {
      out.push(start === r.round ? String(r.round) : `${start}-${r.round}`)
      start = undefined
    }
  }
  return out.length === 0 ? "none" : out.join(", ")
}

const tcpRoundsSim = defineSim({
  name: "tcp-rounds",
  title: "TCP rounds: how do Tahoe and Reno set cwnd round by round, and which rounds are slow start?",
  header: {
    covers:
      "the per-round idealisation of TCP congestion control: slow start, congestion avoidance, ssthresh on a loss, Tahoe against Reno's fast recovery",
    scenario:
      "Kurose & Ross's Figure 3.52: ssthresh 8, cwnd 1, a triple duplicate ACK at the end of round 8, 15 rounds under Reno. Nothing is random: --seed does not change the run",
    try: [
      "--algorithm tahoe",
      "--ssthresh 32 --events 16:dup,22:timeout --rounds 26",
      "--algorithm tahoe --ssthresh 32 --events 16:dup,22:timeout --rounds 26",
      "--ssthresh 32 --events 16:dup,22:timeout,26:dup --rounds 27",
    ],
  },
  time: { unit: "", decimals: 0, unitName: "steps" },
  metrics: {
    cwnd: { description: "cwnd in force during each round, from round 1", unit: "segments per round" },
    ssthresh: { description: "ssthresh in force during each round, from round 1", unit: "segments per round" },
    phases: {
      description: "each round's phase: slow-start, congestion-avoidance or fast-recovery",
      unit: "phase per round",
    },
    segmentsSent: { description: "segments sent in rounds 1 to each round (cumulative)", unit: "segments per round" },
  },
  flags,
  constraints,
  estimate(params) {
    return workEstimate({
      events: 3 * params.rounds + 2,
      eventsPerSecond: 100_000,
      simTime: params.rounds,
      advice: "ask for fewer --rounds",
    })
  },
  quiz(params) {
    const events = eventsOf(params)
    const losses =
      events.length === 0
        ? "no loss"
        : events.map((e) => `a ${lossWords(e.kind)} at the end of round ${e.round}`).join(", ")
    return [
      `${params.algorithm === "reno" ? "Reno" : "Tahoe"}, ssthresh ${params.ssthresh}, cwnd ${params.initialCwnd} in round 1, ${params.rounds} rounds; ${losses}.`,
      "1. What is cwnd in each round?",
      "2. Which rounds are slow start, which congestion avoidance?",
      "3. What is ssthresh after each loss, and cwnd in the round after it?",
    ].join("\n")
  },
  run(params, context) {
    const sim = context.simulation()
    const options = {
      algorithm: params.algorithm,
      ssthresh: params.ssthresh,
      events: eventsOf(params),
      rounds: params.rounds,
      initialCwnd: params.initialCwnd,
    }
    const scenario = new TcpRoundsScenario(sim, options)
    const shown = context.output === "text" ? new TraceSample(sim.trace, phaseChangeOrLoss(), TIMELINE_MAX) : undefined
    const result = scenario.run(context.advance)
    const report = { ...fromSimulation(sim), metrics: result.summary(), checks: tcpRoundsChecks(result) }
    if (shown === undefined) return report
    return {
      ...report,
      timeline: {
        title:
          shown.total > TIMELINE_MAX
            ? `Timeline: phase changes and losses (the first ${TIMELINE_MAX} of ${shown.total})`
            : "Timeline: phase changes and losses",
        entries: shown.records.map((record) => ({
          t: record.t,
          text: tcpRoundsTimelineLine(record as Traced<TcpRoundsEvent>)!,
        })),
      },
      sections: [tableSection(result), chartSection(result), lesson(params, result)],
    }
  },
})

/** A predicate over the trace in order: losses, and each round whose phase differs from the round before. */
function phaseChangeOrLoss(): (record: Traced) => boolean {
  let last: RoundPhase | undefined
  return (record) => {
    const event = record as Traced<TcpRoundsEvent>
    if (event.type === "LossDetected") return true
    if (event.type !== "RoundSent" || event.phase === last) return false
    last = event.phase
    return true
  }
}

/** Sentences about the first slow start and each loss, from the run's rounds. */
function lossSentences(result: TcpRoundsResult): string[] {
  const lines: string[] = []
  for (const loss of result.losses) {
    const next = result.rounds[loss.round]
    const after =
      next === undefined
        ? `the run ends there (add rounds to see round ${loss.round + 1})`
        : loss.nextPhase === "fast-recovery"
          ? `Reno went on at ssthresh + 3 = ${formatCount(loss.nextCwnd)} in round ${next.round} (fast recovery), then +1 per round`
          : `${result.algorithm === "reno" ? "Reno" : "Tahoe"} went back to cwnd 1 in round ${next.round} and slow start`
    lines.push(
      `A ${lossWords(loss.kind)} at the end of round ${loss.round} (cwnd ${formatCount(loss.cwnd)}): ssthresh = max(floor(${formatCount(loss.cwnd)}/2), 2) = ${formatCount(loss.ssthresh)}; ${after}.`,
    )
  }
  return lines
}

function lesson(params: RoundsParams, result: TcpRoundsResult): TextSection {
  const last = result.rounds.at(-1)!
  const other = params.algorithm === "reno" ? "tahoe" : "reno"
  const otherRun = tcpRounds({ ...params, algorithm: other, events: eventsOf(params) })
  const otherSent = otherRun.rounds.at(-1)!.sentThrough
  const recovery = result.rounds.filter((r) => r.phase === "fast-recovery").map((r) => r.round)
  const lines = [
    `Slow start (cwnd doubling, capped at ssthresh) in rounds ${spans(result.rounds, ["slow-start"])}; congestion avoidance (+1 per round) in rounds ${spans(result.rounds, ["congestion-avoidance"])}${recovery.length === 0 ? "" : `; fast recovery in round(s) ${recovery.join(", ")}`}.`,
    ...lossSentences(result),
    ...(recovery.length === 0
      ? []
      : [
          `Kurose & Ross's answer keys count fast-recovery rounds as congestion avoidance (the idealisation deflates cwnd to ssthresh within the round): by that count, congestion avoidance runs in rounds ${spans(result.rounds, ["congestion-avoidance", "fast-recovery"])}.`,
        ]),
    `In ${formatCount(last.round)} rounds the sender sent ${formatCount(last.sentThrough)} segments; ${other === "reno" ? "Reno" : "Tahoe"} with the same losses would have sent ${formatCount(otherSent)} (--algorithm ${other}).`,
  ]
  return { title: "Lesson", lines }
}

export default tcpRoundsSim

await runMain(tcpRoundsSim, import.meta.url)
