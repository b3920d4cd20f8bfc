/**
 * Kafka commits: what does a consumer's crash lose or repeat?
 * Covers: committed offset vs position, auto-commit, commitSync/commitAsync, a worker pool's commit
 *   rules (max vs contiguous), resuming from the committed offset, seek
 * Scenario: 3 brokers; topic t0 with one partition; 3,000 records at 100/s; c0 reads t0p0 (8 ms per
 *   record on average), c1 stands by; c0 crashes silently at 12 s and c1 resumes from the committed
 *   offset
 * Try: --commit max --workers 4; --commit contiguous --workers 4; --commit sync; --commit async;
 *   --commit async --retry-async --request-timeout-ms 5000 --crash-at 17000
 */
import {
  type Constraint,
  defineSim,
  faultFlags,
  flag,
  formatCount,
  formatTime,
  fromSimulation,
  type Params,
  runMain,
  type TextSection,
  type TimelineEntry,
  type WorkEstimate,
  workEstimate,
} from "../src/cli/index.ts"
import type { Traced } from "../src/kernel/index.ts"
import {
  COMMIT_CHOICES,
  COMMIT_PARTITION,
  partitionKey,
  type CommitChoice,
  type KafkaCommitResult,
  KafkaCommitScenario,
  type MessageLossEvent,
  groupTimelineLine,
  type GroupEvent,
} from "../src/models/kafka/group/index.ts"
import { describeFaultPlanLines, isFaultEvent, isNetEvent, type NetEvent } from "../src/net/index.ts"

const TIME = { unit: "ms", decimals: 1 } as const
/** Commits shown in the timeline: the last ones before the crash and the first ones after the resume. */
const COMMITS_BEFORE = 3
const COMMITS_AFTER = 2
const NODES = ["b1", "b2", "b3", "c0", "c1"]

const FAULTS = faultFlags<never>({
  description: "more faults, as a JSON fault plan over the brokers b1..b3 and the consumers c0, c1",
  nodesText: "b1, b2, b3, c0, c1",
  nodes: NODES,
  example: '{"faults":[{"kind":"crash","node":"b1","at":20000,"restartAt":25000}]}',
  shorthand: [],
})

/** `--crash-at`: ms, or `none`. */
export function parseCrashAt(text: string): number | null | string {
  if (text.trim() === "none") return null
  const value = Number(text)
  if (text.trim() === "" || !Number.isFinite(value) || value < 0) return "a time in ms >= 0, or none"
  return value
}

const flags = {
  commit: flag.choice({
    description:
      "how the application commits: auto (enable.auto.commit: positions, inside poll, every --auto-commit-interval-ms), sync / async (the positions after each poll, commitSync / commitAsync), max / contiguous (a worker pool's commit rule, committed after each poll; needs --workers 2 or more)",
    choices: COMMIT_CHOICES as readonly CommitChoice[],
    default: "auto",
  }),
  workers: flag.integer({
    description: "worker threads processing records (1: in the poll thread)",
    unit: "workers",
    default: 1,
    min: 1,
    max: 64,
  }),
  crashAt: flag.string({
    description: "when c0 crashes silently (none: never)",
    unit: "ms",
    default: "12000",
    allowed: "a time in ms >= 0 below --duration-ms, or none",
    check: (value) => {
      const parsed = parseCrashAt(value)
      return typeof parsed === "string" ? parsed : undefined
    },
  }),
  autoCommitIntervalMs: flag.number({
    description: "auto.commit.interval.ms (with --commit auto)",
    unit: "ms",
    default: 5000,
    greaterThan: 0,
    max: 600_000,
  }),
  processingMs: flag.number({
    description:
      "mean processing time of a record; each record's time is drawn from the random stream 'processing': nine in ten quick (exponential, mean 0.2x), one in ten slow (exponential, mean 8.2x), so a worker pool finishes records out of order",
    unit: "ms",
    default: 8,
    min: 0,
    max: 1000,
  }),
  seek: flag.string({
    description: "the offset c0 seeks to on its first assignment (none: the committed offset, else the earliest)",
    unit: "offset",
    default: "none",
    allowed: "a whole number >= 0 up to --records, or none",
    check: (value) => (value === "none" || /^\d+$/.test(value) ? undefined : "a whole number >= 0, or none"),
  }),
  records: flag.integer({ description: "records produced", unit: "records", default: 3000, min: 1, max: 20_000 }),
  rate: flag.number({
    description: "records produced per second",
    unit: "records/s",
    default: 100,
    greaterThan: 0,
    max: 2000,
  }),
  durationMs: flag.number({
    description: "simulated time to run",
    unit: "ms",
    default: 60_000,
    greaterThan: 0,
    max: 300_000,
  }),
  sessionTimeoutMs: flag.number({
    description:
      "session.timeout.ms: silence after which the coordinator evicts c0 and c1 takes over (Kafka's default is 45000; shorter here so the lesson is quick)",
    unit: "ms",
    default: 10_000,
    min: 6000,
    max: 1_800_000,
  }),
  retryAsync: flag.boolean({
    description:
      "with --commit async: retry a failed commitAsync once, 100 ms after its failure (as a callback calling commitAsync again does); the coordinator's answer to c0's first commit is then lost (a one-message link fault), so c0 retries that offset after --request-timeout-ms, possibly after newer commits were accepted: the retry-reordering trap",
    default: false,
  }),
  requestTimeoutMs: flag.number({
    description:
      "request.timeout.ms of the consumers: how long c0 waits for a commit's answer before it counts as failed",
    unit: "ms",
    default: 30_000,
    min: 1000,
    max: 300_000,
  }),
  faults: FAULTS.faults,
}

type CommitParams = Params<typeof flags>

const workersConstraint: Constraint<CommitParams> = {
  params: ["commit", "workers"],
  holds: (params) => !(params.commit === "max" || params.commit === "contiguous") || params.workers >= 2,
  message:
    "--commit max and contiguous are commit rules of a worker pool; with one worker records finish in order and both commit the same offset; allowed: --workers 2 or more with them (or --commit auto|sync|async)",
}

const crashConstraint: Constraint<CommitParams> = {
  params: ["crashAt", "durationMs"],
  holds: (params) => {
    const at = parseCrashAt(params.crashAt)
    return at === null || (typeof at === "number" && at < params.durationMs)
  },
  message: "--crash-at must fall within the run; allowed: a time below --duration-ms, or none",
}

const seekConstraint: Constraint<CommitParams> = {
  params: ["seek", "records"],
  holds: (params) => params.seek === "none" || Number(params.seek) <= params.records,
  message: "--seek must be an offset of the topic; allowed: 0 up to --records, or none",
}

const retryConstraint: Constraint<CommitParams> = {
  params: ["retryAsync", "commit"],
  holds: (params) => !params.retryAsync || params.commit === "async",
  message: "--retry-async retries failed commitAsync calls; allowed: --retry-async with --commit async",
}

function crashAtOf(params: CommitParams): number | null {
  return parseCrashAt(params.crashAt) as number | null
}

/**
 * Events per record and per simulated second, measured: the bare run simulated 109,907 events for
 * 3,000 records in 60 s (2026-12-07, after the consumer kept a fetch in flight per leader: about
 * 30 per record: the produce path and replication, the consumer's fetches, processing and
 * commits; plus heartbeats over time).
 */
const EVENTS_PER_RECORD = 30
const EVENTS_PER_SIM_SECOND = 300
const EVENTS_PER_SECOND = 100_000

function estimate(params: CommitParams): WorkEstimate {
  return workEstimate({
    events: params.records * EVENTS_PER_RECORD + (params.durationMs / 1000) * EVENTS_PER_SIM_SECOND + 5000,
    eventsPerSecond: EVENTS_PER_SECOND,
    simTime: params.durationMs,
    advice: "lower --records or --duration-ms",
  })
}

/** The records the timeline shows: the story, the last commits before the crash, the resume and its first commits. */
function timelineOf(result: KafkaCommitResult): { title: string; entries: TimelineEntry[] } {
  const events = result.events
  const crash = events.find((e) => e.type === "NodeCrashed" && e.node === "c0")
  const crashT = crash?.t ?? Infinity
  const commits = events.filter((e) => e.type === "OffsetsCommitted")
  const before = commits.filter((e) => e.t <= crashT).slice(-COMMITS_BEFORE)
  const resume = events.find((e) => e.type === "ProcessingStarted" && e.consumer !== "c0" && e.t > crashT)
  const after = commits.filter((e) => e.t > crashT).slice(0, COMMITS_AFTER)
  const picked = new Set<Traced<MessageLossEvent>>([...before, ...after, ...(resume === undefined ? [] : [resume])])
  const shown = events.filter((e) => picked.has(e) || isStory(e))
  const entries = shown.flatMap((record) => {
    const text = groupTimelineLine(record as Traced<GroupEvent | NetEvent>, { commitsAndProcessing: true })
    return text === undefined ? [] : [{ t: record.t, text }]
  })
  const title =
    commits.length > before.length + after.length
      ? `Timeline (commits: the last ${before.length} before the crash and the first ${after.length} after it, of ${formatCount(commits.length)})`
      : "Timeline"
  return { title, entries }
}

function isStory(record: Traced<MessageLossEvent>): boolean {
  switch (record.type) {
    case "PartitionsAssigned":
    case "PartitionsRevoked":
    case "PartitionsLost":
    case "MemberRemoved":
    case "OffsetCommitRejected":
      return true
    case "ProcessingFinished":
      return !record.completed
    default:
      return isNetEvent(record) && isFaultEvent(record)
  }
}

function ruleLines(params: CommitParams, result: KafkaCommitResult): string[] {
  const s = result.summary()
  switch (params.commit) {
    case "auto":
      return params.workers === 1
        ? [
            "Auto-commit commits, inside poll, every --auto-commit-interval-ms, the positions of the records the previous poll returned:",
            "processed in the poll thread, they are done by then, so a crash repeats what came after the last auto-commit (duplicates), never skips.",
          ]
        : [
            `Auto-commit commits the positions, but ${params.workers} workers process outside the poll thread: a position can run ahead of`,
            `unfinished records, and a crash then skips them${s.lost > 0 ? " (here it did)" : " (not on this run: no commit passed an unfinished record before the crash)"}.`,
          ]
    case "async":
      if (params.retryAsync) return retryLines(params, result)
      return asyncOrSyncLines(params, s)
    case "sync":
      return asyncOrSyncLines(params, s)
    case "max":
      return [
        "The max rule commits the highest finished offset + 1: a slow record still running below it is skipped if the consumer crashes.",
        s.lost > 0
          ? "Here it happened: see the offsets lost above."
          : "On this run no record was running below the committed offset when c0 crashed: nothing lost (other seeds lose).",
      ]
    case "contiguous":
      return [
        "The contiguous rule commits the lowest unfinished offset: what was in flight at the crash is processed again",
        "(duplicates), nothing is skipped: at-least-once.",
      ]
  }
}

function asyncOrSyncLines(params: CommitParams, s: ReturnType<KafkaCommitResult["summary"]>): string[] {
  return [
    `${params.commit === "sync" ? "commitSync" : "commitAsync"} after each poll commits the positions once the poll's records are ${params.workers === 1 ? "processed" : "handed to the workers (not necessarily finished)"}:`,
    params.workers === 1
      ? "a crash repeats only what c0 finished of the poll under way."
      : `with a pool the positions can pass unfinished records${s.lost > 0 ? ", and here a crash skipped some" : "; not on this run"}.`,
  ]
}

/** The retry-reordering trap, told from the run's commits: which retry moved the offset back, and what the crash then cost. */
function retryLines(params: CommitParams, result: KafkaCommitResult): string[] {
  const commits = result.events.filter((e) => e.type === "OffsetsCommitted")
  const offsetOf = (e: (typeof commits)[number]) =>
    e.type === "OffsetsCommitted" ? (e.offsets[partitionKey(COMMIT_PARTITION)] ?? -1) : -1
  const i = commits.findIndex((e, k) => k > 0 && offsetOf(e) < offsetOf(commits[k - 1]!))
  if (i < 0)
    return [
      "commitAsync with retries: no retried commit landed after a newer one on this run, so the committed offset never went back.",
    ]
  const [was, back] = [commits[i - 1]!, commits[i]!]
  const first = commits.find((e) => offsetOf(e) === offsetOf(back))!
  const answerLost = result.events.some((e) => e.type === "LinkFaultStarted" && e.to === "c0" && e.t === first.t)
  const retried = result.events.some((e) => e.type === "OffsetsCommitSent" && e.reason === "retry" && e.t <= back.t)
  if (!answerLost || !retried)
    return [
      `commitAsync with retries: an older commit of ${offsetOf(back)} landed at ${formatTime(back.t, TIME)}, after the commit of ${offsetOf(was)} at ${formatTime(was.t, TIME)}: the committed offset went back.`,
    ]
  const lines = [
    `commitAsync with retries: the coordinator applied c0's commit of ${offsetOf(back)} at ${formatTime(first.t, TIME)} but its answer was lost;`,
    `c0 counted it failed after --request-timeout-ms (${formatTime(params.requestTimeoutMs, TIME)}) and retried it, and the retry landed at ${formatTime(back.t, TIME)},`,
    `after the commit of ${offsetOf(was)} at ${formatTime(was.t, TIME)}: the committed offset went back from ${offsetOf(was)} to ${offsetOf(back)}.`,
  ]
  const next = commits[i + 1]
  const crash = result.events.find((e) => e.type === "NodeCrashed" && e.node === "c0")
  const s = result.summary()
  if (
    crash !== undefined &&
    crash.t > back.t &&
    (next === undefined || next.t > crash.t) &&
    s.resumedAtOffset === offsetOf(back)
  )
    lines.push(
      `c0 crashed at ${formatTime(crash.t, TIME)} before committing again, so c1 resumed at ${offsetOf(back)}: offsets ${offsetOf(back)}-${offsetOf(was) - 1}, committed once already, were processed again too.`,
      "Kafka's advice: do not retry commitAsync, or retry only if no newer commit was sent since (a sequence number); commitSync on close and revoke.",
    )
  else
    lines.push(
      next === undefined
        ? "No later commit corrected it before the end of the run."
        : `The next commit, at ${formatTime(next.t, TIME)}, moved it forward again before any crash: here the trap cost nothing.`,
    )
  return lines
}

function lesson(params: CommitParams, result: KafkaCommitResult): TextSection {
  const s = result.summary()
  const lines: string[] = []
  const crashAt = crashAtOf(params)
  if (crashAt === null) lines.push("No crash: c0 read the partition alone.")
  else if (s.resumedAtOffset < 0)
    lines.push(`c0 crashed at ${formatTime(crashAt, TIME)}; c1 did not take over within the run.`)
  else
    lines.push(
      `c0 crashed at ${formatTime(crashAt, TIME)}; after its session timed out c1 resumed at offset ${s.resumedAtOffset}, the committed offset.`,
    )
  lines.push(
    `Processed ${formatCount(s.processed)} of ${formatCount(s.acknowledged)} acknowledged records; lost ${formatCount(s.lost)}; processed twice ${formatCount(s.duplicates)}; not reached by the end ${formatCount(s.pending)}.`,
  )
  lines.push(ruleLines(params, result).join(" "))
  lines.push(
    "Compare: --commit max --workers 4 (loss), --commit contiguous --workers 4 (no loss), --commit sync, --commit async.",
  )
  return { title: "Lesson", lines }
}

function lossSection(result: KafkaCommitResult): TextSection {
  const loss = result.loss
  const lines = [
    `Committed offset at the end: ${result.summary().committedOffset} (${formatCount(result.summary().commits)} commits accepted).`,
  ]
  if (loss.lost === 0) lines.push("Lost: none.")
  for (const line of loss.lostExplanations) lines.push(`${line}.`)
  if (loss.duplicates === 0) lines.push("Processed twice: none.")
  for (const line of loss.duplicateExplanations) lines.push(`${line}.`)
  return { title: "Lost and processed twice", lines }
}

const kafkaCommit = defineSim({
  name: "kafka-commit",
  title: "Kafka commits: what does a consumer's crash lose or repeat?",
  header: {
    covers:
      "committed offset vs position, auto-commit, commitSync/commitAsync, a worker pool's commit rules (max vs contiguous), resuming from the committed offset, seek",
    scenario:
      "3 brokers; topic t0 with one partition; 3,000 records at 100/s; c0 reads t0p0 (8 ms per record on average), c1 stands by; c0 crashes silently at 12 s and c1 resumes from the committed offset",
    try: [
      "--commit max --workers 4",
      "--commit contiguous --workers 4",
      "--commit sync",
      "--commit async",
      "--commit async --retry-async --request-timeout-ms 5000 --crash-at 17000",
    ],
  },
  time: TIME,
  metrics: {
    processed: { description: "acknowledged records processed at least once", unit: "records" },
    lost: { description: "acknowledged records never processed, below the final committed offset", unit: "records" },
    duplicates: { description: "extra processings (a record processed twice counts 1)", unit: "records" },
    committedOffset: { description: "the group's committed offset of t0p0 at the end (-1: none)", unit: "offset" },
    lostOffsets: { description: "per partition: the lost offsets as ranges (t0p0: 40-43)", unit: "offsets" },
    duplicateOffsets: {
      description: "per partition: the offsets processed more than once, as ranges",
      unit: "offsets",
    },
    acknowledged: { description: "records acknowledged to the producer (from the seek on)", unit: "records" },
    pending: { description: "acknowledged records the group had not reached by the end", unit: "records" },
    commits: { description: "commits the coordinator accepted", unit: "commits" },
    resumedAtOffset: { description: "where c1 started processing after the crash (-1: it did not)", unit: "offset" },
  },
  flags,
  estimate,
  constraints: [
    workersConstraint,
    crashConstraint,
    seekConstraint,
    retryConstraint,
    FAULTS.constraint<CommitParams>(() => ({})),
  ],
  quiz(params) {
    const crashAt = crashAtOf(params)
    return [
      `c0 commits with --commit ${params.commit} and ${params.workers} worker(s); ${crashAt === null ? "nobody crashes" : `it crashes at ${crashAt}ms`}; c1 resumes from the committed offset.`,
      "1. Which records are processed twice, and which never?",
      "2. What offset did the last commit before the crash carry, and why?",
    ].join("\n")
  },
  run(params, context) {
    const sim = context.simulation()
    const plan = FAULTS.plan(params, {})
    const scenario = new KafkaCommitScenario(sim, {
      commit: params.commit,
      workers: params.workers,
      crashAtMs: crashAtOf(params),
      autoCommitIntervalMs: params.autoCommitIntervalMs,
      processingMs: params.processingMs,
      seek: params.seek === "none" ? null : Number(params.seek),
      records: params.records,
      ratePerSecond: params.rate,
      durationMs: params.durationMs,
      sessionTimeoutMs: params.sessionTimeoutMs,
      retryAsyncCommits: params.retryAsync,
      loseFirstCommitAnswer: params.retryAsync,
      requestTimeoutMs: params.requestTimeoutMs,
      plan,
    })
    const result = scenario.run(context.advance)
    const text =
      context.output !== "text"
        ? {}
        : {
            timeline: timelineOf(result),
            sections: [
              ...(plan.faults.length === 0 ? [] : [{ title: "Fault plan", lines: describeFaultPlanLines(plan) }]),
              lossSection(result),
              lesson(params, result),
            ],
          }
    return { ...fromSimulation(sim), metrics: result.summary(), checks: [...result.checks], ...text }
  },
})

export default kafkaCommit

await runMain(kafkaCommit, import.meta.url)
