/**
 * Read history: can a new consumer group replay a topic without disturbing the one already reading
 *   it?
 * Covers: several consumer groups on one topic, auto.offset.reset earliest vs latest for a group
 *   with no committed offset, per-group positions and commits, replay and catch-up
 * Scenario: 3 brokers; topic t0 with 3 partitions; 100 records/s until 10 s before the end; group
 *   orders (o0, o1) reads from t=0; at 20 s group history (h0, h1) subscribes with
 *   auto.offset.reset=earliest and replays t0; 2 ms per record
 * Try: --reset latest; --join-at-ms 40000; --partitions 6 --consumers 3
 */
import {
  type Constraint,
  defineSim,
  flag,
  formatCount,
  formatTime,
  fromSimulation,
  type Params,
  renderTable,
  runMain,
  type TextSection,
  type TimelineEntry,
  type WorkEstimate,
  workEstimate,
} from "../src/cli/index.ts"
import type { Traced } from "../src/kernel/index.ts"
import {
  FIRST_GROUP,
  type GroupEvent,
  type GroupReading,
  groupTimelineLine,
  HISTORY_GROUP,
  producingMs,
  type ReadHistoryResult,
  ReadHistoryScenario,
} from "../src/models/kafka/group/index.ts"
import type { NetEvent } from "../src/net/index.ts"

const TIME = { unit: "ms", decimals: 1 } as const

const flags = {
  partitions: flag.integer({ description: "partitions of topic t0", unit: "partitions", default: 3, min: 1, max: 12 }),
  consumers: flag.integer({
    description: "consumers in each group (orders: o0.., history: h0..)",
    unit: "consumers",
    default: 2,
    min: 1,
    max: 6,
  }),
  rate: flag.number({
    description: "records produced per second, across the partitions (the producer stops 10 s before the end)",
    unit: "records/s",
    default: 100,
    greaterThan: 0,
    max: 2000,
  }),
  processingMs: flag.number({
    description: "processing time of each record, in both groups",
    unit: "ms",
    default: 2,
    min: 0,
    max: 100,
  }),
  joinAtMs: flag.number({
    description: "when the history group subscribes (its consumers start)",
    unit: "ms",
    default: 20_000,
    min: 0,
    max: 600_000,
  }),
  reset: flag.choice({
    description:
      "auto.offset.reset of the history group, which has no committed offset: earliest replays t0 from its first offset, latest starts at the log end",
    choices: ["earliest", "latest"] as const,
    default: "earliest",
  }),
  durationMs: flag.number({
    description: "simulated time to run",
    unit: "ms",
    default: 60_000,
    greaterThan: 0,
    max: 600_000,
  }),
}

type HistoryParams = Params<typeof flags>

const joinConstraint: Constraint<HistoryParams> = {
  params: ["joinAtMs", "durationMs"],
  holds: (params) => params.joinAtMs < producingMs(params.durationMs),
  message:
    "--join-at-ms must fall while records are still produced; allowed: a time below --duration-ms minus 10000 (minus half of it when shorter than 20000)",
}

/**
 * Events per record and per simulated second and consumer, measured: the bare run simulated
 * 182,000 events (5,000 records, each produced, replicated, then fetched and processed by two
 * groups, plus heartbeats and parked fetches), and about 100,000 more in the run without the
 * history group that `first-group-untouched` compares with; at 2000 records/s for 600,000 ms
 * (1,180,000 records) the run simulated 2,805,155 events, 2.4 a record (fetches carry what arrived
 * since the last one), both runs together about twice that (2026-12-07).
 */
const EVENTS_PER_RECORD = 3
const EVENTS_PER_SIM_SECOND = 2500
/**
 * Events per second of CPU and bytes kept per record (the logs and the processed records of both
 * groups), measured on 2026-12-07 (load average 11-14) at 2000 records/s for 600,000 ms (the
 * flag's largest): 20.4 s of CPU and 744 MB peak with the JSON report, 15.7 s and 872 MB in text,
 * about 230,000 events a second after the ~2.3 s of start-up and 600 B a record beyond it.
 */
const EVENTS_PER_SECOND = 200_000
const BYTES_PER_RECORD = 800

function estimate(params: HistoryParams): WorkEstimate {
  const records = (params.rate * producingMs(params.durationMs)) / 1000
  const perSecond = EVENTS_PER_SIM_SECOND * params.consumers
  return workEstimate({
    events: records * EVENTS_PER_RECORD + (params.durationMs / 1000) * perSecond + 5000,
    eventsPerSecond: EVENTS_PER_SECOND,
    keptBytes: records * BYTES_PER_RECORD,
    simTime: params.durationMs,
    advice: "lower --rate or --duration-ms",
  })
}

function isStory(record: Traced): boolean {
  return record.type === "PartitionsAssigned" || record.type === "PartitionsRevoked" || record.type === "PartitionsLost"
}

/** The timeline: each group's assignments, the first record each consumer processed, and when history caught up. */
function timelineOf(result: ReadHistoryResult): { title: string; entries: TimelineEntry[] } {
  const entries: TimelineEntry[] = []
  const seen = new Set<string>()
  for (const record of result.events) {
    let text: string | undefined
    if (isStory(record)) text = groupTimelineLine(record as Traced<GroupEvent | NetEvent>)
    else if (record.type === "ProcessingStarted" && !seen.has(record.consumer)) {
      seen.add(record.consumer)
      text = `${record.consumer} (${record.group}) starts processing: t0p${record.partition.partition} offset ${record.fromOffset}`
    }
    if (text !== undefined) entries.push({ t: record.t, text })
  }
  const history = result.summary().history
  if (history.caughtUpAtMs > 0)
    entries.push({ t: history.caughtUpAtMs, text: "history has processed every record written before it joined" })
  entries.sort((a, b) => a.t - b.t)
  return { title: "Timeline", entries }
}

function groupsTable(result: ReadHistoryResult): TextSection {
  const s = result.summary()
  const rows = [s.orders, s.history].map((g, i) => [
    i === 0 ? FIRST_GROUP : HISTORY_GROUP,
    formatTime(g.startedAtMs, TIME),
    offsets(g.startOffsets),
    `${formatCount(g.processed)} / ${formatCount(g.toRead)}`,
    offsets(g.committedOffsets),
    formatCount(g.lagAtEnd),
    caughtUp(g),
  ])
  const columns = [
    { header: "group" },
    { header: "started", align: "right" as const },
    { header: "first offsets" },
    { header: "processed", align: "right" as const },
    { header: "committed at the end" },
    { header: "lag", align: "right" as const },
    { header: "caught up", align: "right" as const },
  ]
  return { title: "Groups", lines: renderTable(columns, rows) }
}

function offsets(byPartition: Readonly<Record<string, number>>): string {
  const entries = Object.entries(byPartition)
  return entries.length === 0 ? "-" : entries.map(([tp, o]) => `${tp}@${o}`).join(" ")
}

function caughtUp(g: GroupReading): string {
  if (g.caughtUpAtMs === 0) return "nothing to replay"
  if (g.caughtUpAtMs < 0) return "not yet"
  return formatTime(g.caughtUpAtMs, TIME)
}

function lesson(params: HistoryParams, result: ReadHistoryResult): TextSection {
  const { orders, history } = result.summary()
  const lines: string[] = []
  const fromZero = Object.values(history.startOffsets).every((o) => o === 0)
  const started = `history subscribed at ${formatTime(params.joinAtMs, TIME)} with auto.offset.reset=${params.reset}`
  if (Object.keys(history.startOffsets).length === 0) lines.push(`${started}, and processed nothing within the run.`)
  else if (fromZero)
    lines.push(
      `${started}: with no committed offset it began every partition at offset 0 and replayed the topic,` +
        ` ${formatCount(history.processed)} of ${formatCount(history.toRead)} records` +
        (history.caughtUpAtMs > 0
          ? `; it had processed everything written before it joined by ${formatTime(history.caughtUpAtMs, TIME)}.`
          : "."),
    )
  else
    lines.push(
      `${started}: it began at the log end (${offsets(history.startOffsets)}) and never saw the` +
        ` ${formatCount(orders.toRead - history.toRead)} records written before; it processed ${formatCount(history.processed)} of the ${formatCount(history.toRead)} after.`,
    )
  const untouched = result.checks.find((c) => c.name === "first-group-untouched")
  lines.push(
    `orders processed ${formatCount(orders.processed)} of ${formatCount(orders.toRead)} records and ${formatCount(orders.commits)} commits were accepted for it;` +
      (untouched?.held === true
        ? " they are the same offsets at the same instants as in the same run without history: a group's positions and committed offsets are its own."
        : " they differ from the run without history (see the check)."),
  )
  if (result.checks.every((c) => c.held))
    lines.push(
      "Adding a reader is subscribing a new group: no change to the existing consumers, and each group received every record it was to read.",
    )
  lines.push("Compare: --reset latest (history skips the past), --join-at-ms 40000 (more to replay).")
  return { title: "Lesson", lines }
}

const readHistory = defineSim({
  name: "read-history",
  title: "Read history: can a new consumer group replay a topic without disturbing the one already reading it?",
  header: {
    covers:
      "several consumer groups on one topic, auto.offset.reset earliest vs latest for a group with no committed offset, per-group positions and commits, replay and catch-up",
    scenario:
      "3 brokers; topic t0 with 3 partitions; 100 records/s until 10 s before the end; group orders (o0, o1) reads from t=0; at 20 s group history (h0, h1) subscribes with auto.offset.reset=earliest and replays t0; 2 ms per record",
    try: ["--reset latest", "--join-at-ms 40000", "--partitions 6 --consumers 3"],
  },
  time: TIME,
  metrics: {
    orders: {
      description:
        "the first group: processed, toRead, duplicates, lost, committedOffsets (per partition, -1: none), lagAtEnd, startedAtMs, startOffsets, caughtUpAtMs (0: nothing to replay, -1: not within the run), commits",
      unit: "see fields (records, offsets, ms)",
    },
    history: {
      description: "the group added at --join-at-ms: the same fields",
      unit: "see fields (records, offsets, ms)",
    },
  },
  flags,
  estimate,
  constraints: [joinConstraint],
  quiz(params) {
    return [
      `Group orders reads t0 from t=0; at ${params.joinAtMs}ms group history subscribes with auto.offset.reset=${params.reset}.`,
      "1. At which offsets does history start, and does it ever see the records written before it joined?",
      "2. Does anything about orders (its positions, its commits) change when history arrives?",
    ].join("\n")
  },
  run(params, context) {
    const sim = context.simulation()
    const scenario = new ReadHistoryScenario(sim, {
      partitions: params.partitions,
      consumers: params.consumers,
      ratePerSecond: params.rate,
      processingMs: params.processingMs,
      joinAtMs: params.joinAtMs,
      reset: params.reset,
      durationMs: params.durationMs,
    })
    const result = scenario.run(context.advance)
    const text =
      context.output !== "text"
        ? {}
        : { timeline: timelineOf(result), sections: [groupsTable(result), lesson(params, result)] }
    return { ...fromSimulation(sim), metrics: result.summary(), checks: [...result.checks], ...text }
  },
})

export default readHistory

await runMain(readHistory, import.meta.url)
