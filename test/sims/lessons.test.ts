/**
 * Lessons that tell the truth about the run they describe: every sim runs its bare command, each of
 * its "Try:" lines and a few seeds, and the sentences of its lesson are checked against the numbers
 * of the same run (its JSON metrics and checks, or the tables printed above the lesson).
 *
 * Also: every run has at least one check, and a check that holds without testing anything says so
 * ("vacuous"); contradictory configurations are refused; `--seed` does exactly what `--help` says.
 */
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import type { FlagSpecs, SimDefinition } from "../../src/cli/index.ts"
import { runCaptured } from "../cli/run-captured.ts"

const root = join(import.meta.dirname, "..", "..")

interface Check {
  name: string
  held: boolean
  detail: string
}

interface Report {
  params: Record<string, unknown>
  metrics: Record<string, any>
  checks: Check[]
  traceHash: string
}

/** One run, in text and in JSON. */
interface Run {
  readonly args: readonly string[]
  readonly text: string
  readonly report: Report
}

async function load(name: string): Promise<SimDefinition<FlagSpecs>> {
  return (await import(join(root, "sims", `${name}.ts`))).default
}

function parseArgs(command: string): string[] {
  return [...command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) =>
    m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!,
  )
}

async function runBoth(sim: SimDefinition<FlagSpecs>, args: readonly string[]): Promise<Run> {
  const text = await runCaptured(sim, args)
  const json = await runCaptured(sim, [...args, "--json"])
  expect(text.code, `${args.join(" ")}: ${text.stderr}`).toBe(0)
  expect(json.code, `${args.join(" ")}: ${json.stderr}`).toBe(0)
  return { args, text: text.stdout, report: JSON.parse(json.stdout) as Report }
}

/** The lines of a titled text section (title line up to the next blank line), unindented. */
function section(text: string, title: string): string[] {
  const lines = text.split("\n")
  const start = lines.findIndex((line) => line === title || line.startsWith(`${title} (`))
  if (start < 0) return []
  const end = lines.findIndex((line, i) => i > start && line.trim() === "")
  return lines.slice(start + 1, end < 0 ? undefined : end).map((line) => line.trim())
}

function lessonOf(run: Run): string {
  const lesson = section(run.text, "Lesson").join(" ")
  expect(lesson, `${run.args.join(" ")}: no Lesson section`).not.toBe("")
  return lesson
}

/** The "Try:" lines of a sim (without --quiz and --json, which print no lesson), the bare run, and extra runs. */
function commands(sim: SimDefinition<FlagSpecs>, extra: readonly string[]): string[][] {
  const tries = sim.header.try.map((line) => parseArgs(line).filter((arg) => arg !== "--quiz" && arg !== "--json"))
  return [[], ...tries, ...extra.map(parseArgs)]
}

/** Runs the bare command, every Try line and `extra`, checking the common rules and then `claims`. */
function lessonSuite(name: string, extra: readonly string[], claims: (run: Run) => void, timeoutMs = 120_000): void {
  describe(`sim ${name}: the lesson matches the run`, () => {
    it(
      "on the bare run, every Try line and several seeds",
      async () => {
        const sim = await load(name)
        for (const args of commands(sim, extra)) {
          const run = await runBoth(sim, args)
          expect(run.report.checks.length, `${name} ${args.join(" ")}: no check`).toBeGreaterThan(0)
          claims(run)
        }
      },
      timeoutMs,
    )
  })
}

function check(run: Run, name: string): Check {
  const found = run.report.checks.find((c) => c.name === name)
  expect(found, `${run.args.join(" ")}: no check ${name}`).toBeDefined()
  return found!
}

const number = (text: string): number => Number(text.replace(/,/g, ""))

// --- cpu-sched: the rank the lesson states is the rank in the comparison table above it ----------

const METRIC_COLUMN: Record<string, number> = { "average response": 1, "average turnaround": 2, "average wait": 3 }

function cpuSchedClaims(run: Run): void {
  const lesson = lessonOf(run)
  const rows = section(run.text, "The same jobs under other policies")
    .slice(2)
    .filter((line) => !line.startsWith("("))
  const table = rows.map((line) => {
    const cells = line.split(/\s{2,}/)
    return {
      policy: cells[0]!.replace(" (this run)", ""),
      mine: cells[0]!.includes("(this run)"),
      values: cells.slice(1).map(number),
    }
  })
  const mine = table.find((row) => row.mine)!
  expect(mine.values[0]).toBeCloseTo(run.report.metrics.avgResponse, 2)
  expect(mine.values[2]).toBeCloseTo(run.report.metrics.avgWait, 2)
  const claims = [
    ...lesson.matchAll(
      /its (average \w+) is (tied for )?(the best|the worst|(\d+)\w\w best|the same as every other policy compared) (?:of the (\d+) policies compared )?\(([\d.]+)/g,
    ),
  ]
  expect(claims.length, lesson).toBeGreaterThan(0)
  for (const claim of claims) {
    const column = METRIC_COLUMN[claim[1]!]!
    const value = mine.values[column - 1]!
    const all = table.map((row) => row.values[column - 1]!)
    expect(number(claim[6]!)).toBeCloseTo(value, 2)
    if (claim[5] !== undefined) expect(number(claim[5])).toBe(table.length)
    const better = all.filter((v) => v < value - 1e-6).length
    const worse = all.filter((v) => v > value + 1e-6).length
    if (claim[3] === "the best") expect(better).toBe(0)
    else if (claim[3] === "the worst") expect(worse).toBe(0)
    else if (claim[4] !== undefined) expect(better + 1).toBe(number(claim[4]))
  }
  expect(lesson).not.toMatch(/RR is about the worst/)
  if (run.report.metrics.contextSwitches > 0)
    expect(lesson).toContain(`${run.report.metrics.contextSwitches} switches in this run`)
}

lessonSuite(
  "cpu-sched",
  [
    "--random-jobs 6 --seed 2",
    "--random-jobs 6 --seed 3 --policy rr --quantum 2",
    "--bursts 3,3,24 --policy rr --quantum 2 --context-switch 0.5",
  ],
  cpuSchedClaims,
)

// --- kafka-acks: crash or partition, followers, and no promise about another acks setting --------

function kafkaAcksClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { metrics } = run.report
  const acks = String(run.report.params.acks)
  expect(lesson).not.toContain("on the same seed")
  if (metrics.lost === 0)
    expect(lesson).toMatch(/^No (acknowledged )?record|^In this run|No record (sent|acknowledged|was)/)
  else expect(lesson).not.toMatch(/No (acknowledged )?record .*was lost/)
  const crashAt = run.report.params.crashLeaderAt as number
  const cutAt = run.report.params.partitionLeaderAt as number
  for (const m of lesson.matchAll(/b1 crashed at t=([\d,]+)ms/g)) expect(number(m[1]!)).toBe(crashAt)
  for (const m of lesson.matchAll(/b1 was cut off from [^ ]+(?: b\d)* at t=([\d,]+)ms/g)) {
    const faults = String(run.report.params.faults)
    expect(number(m[1]!) === cutAt || faults.includes(`"at":${number(m[1]!)}`)).toBe(true)
  }
  if (run.report.params.replicationFactor === 1)
    expect(lesson).not.toMatch(/before the replica that later led|followers fetched/)
  const lostCheck = check(run, acks === "0" ? "no-sent-write-lost" : "no-acked-write-lost")
  expect(lostCheck.held).toBe(metrics.lost === 0)
  if (acks === "0") expect(lostCheck.detail).not.toMatch(/\backnowledged\b/)
  if (metrics.acknowledged === 0) expect(lostCheck.detail).toContain("vacuous")
}

lessonSuite(
  "kafka-acks",
  [
    "--acks 1 --seed 2",
    "--acks 1 --seed 3",
    "--acks 1 --partition-leader-at 200 --crash-leader-at -1",
    "--replication-factor 1 --acks 1",
    "--acks 0 --seed 4",
  ],
  kafkaAcksClaims,
)

describe("sim kafka-acks: contradictory configurations", () => {
  it("refuses --min-insync above the replication factor with acks=all (exit 2), and accepts it with acks=1", async () => {
    const sim = await load("kafka-acks")
    const refused = await runCaptured(sim, ["--min-insync", "4"])
    const acks1 = await runCaptured(sim, ["--min-insync", "4", "--acks", "1", "--json"])

    expect(refused.code).toBe(2)
    expect(refused.stdout).toBe("")
    expect(refused.stderr).toContain("--min-insync 4")
    expect(refused.stderr).toContain("--replication-factor 3")
    expect(acks1.code).toBe(0)
  })
})

// --- kafka-ordering: one partition is in send order only when the log says so ---------------------

function kafkaOrderingClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { metrics } = run.report
  if (metrics.partitionsUsed === 1) {
    if (metrics.partitionOrderInversions > 0) {
      expect(lesson).not.toContain("its order is send order")
      expect(lesson).toContain(`${metrics.partitionOrderInversions} record(s) were stored after a record sent later`)
    } else {
      expect(lesson).toContain("its order is send order")
    }
  }
  expect(lesson).not.toContain("global order = send order")
  expect(check(run, "per-key-order").held).toBe(metrics.reorderedKeys === 0)
  if (metrics.reorderedKeys > 0) expect(lesson).toContain(`${metrics.reorderedKeys} key(s) reordered`)
  if (metrics.duplicates > 0) expect(lesson).toContain(`${metrics.duplicates} record(s) were stored twice`)
  const retried = lesson.match(/(\d+) failed attempt\(s\)/)
  if (lesson.includes("no attempt failed")) expect(run.report.params.loss === 0 || retried === null).toBe(true)
}

lessonSuite(
  "kafka-ordering",
  ["--partitions 1 --idempotent false", "--partitions 1 --idempotent false --seed 2", "--seed 3", "--messages 3"],
  kafkaOrderingClaims,
)

// --- kafka-batching: this run's numbers in the lesson are the table's, and delivery is checked -----

function kafkaBatchingClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { metrics } = run.report
  const mine = lesson.match(
    /^This run \(linger\.ms=([\d.]+), batch\.size=([\d,]+) bytes\): ([\d.]+) records per request, p50 ([\d.]+)ms, p99 ([\d.]+)ms/,
  )
  expect(mine, lesson).not.toBeNull()
  expect(number(mine![3]!)).toBeCloseTo(metrics.recordsPerRequest, 1)
  expect(number(mine![4]!)).toBeCloseTo(metrics.latencyP50Ms, 1)
  const all = check(run, "all-acknowledged")
  const messages = run.report.params.messages as number
  expect(all.held).toBe(metrics.acknowledged === messages)
  if (metrics.acknowledged < messages) expect(lesson).toContain("Only ")
  for (const m of lesson.matchAll(/linger\.ms=([\d.]+) gave ([\d.]+) records per request, p50 ([\d.]+)ms/g)) {
    const point = metrics.sweep.find(
      (p: { lingerMs: number; batchSizeBytes: number }) =>
        p.lingerMs === number(m[1]!) && p.batchSizeBytes === run.report.params.batchSize,
    )
    expect(point).toBeDefined()
    expect(number(m[2]!)).toBeCloseTo(point.recordsPerRequest, 1)
  }
}

lessonSuite(
  "kafka-batching",
  ["--batch-size 0 --messages 4000 --sweep=false", "--seed 2 --messages 4000 --sweep=false"],
  kafkaBatchingClaims,
)

// --- failure-detector: detection times are of real detections; the pause is blamed only for its share

function failureDetectorClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { metrics } = run.report
  const detected = lesson.match(/Crashes were detected after ((?:[\d.]+ms(?:, )?)+)\./)
  if (metrics.detectionTimesMs.length === 0) expect(detected).toBeNull()
  else
    expect(detected![1]!.split(", ").map((t) => Number(t.replace("ms", "")))).toEqual(
      metrics.detectionTimesMs.map((t: number) => Number(t.toFixed(1))),
    )
  expect(lesson).not.toMatch(/detected after 0\.0ms/)
  const stalled = lesson.match(/n1 stalled for ([\d.]+)ms: the monitor heard nothing from it for ([\d.]+)ms at most/)
  if (stalled !== null) {
    const params = run.report.params as Record<string, number>
    expect(number(stalled[2]!)).toBeLessThanOrEqual(
      params.pauseMs! + params.heartbeatMs! + params.latencyMs! * 1.5 + 1e-9,
    )
  }
  expect(check(run, "no-false-suspicion").held).toBe(metrics.falseSuspicions === 0)
  const crash = check(run, "crash-detected-within-timeout")
  if (crash.held && metrics.detectionTimesMs.length === 0) expect(crash.detail).toContain("vacuous")
}

lessonSuite("failure-detector", ["--loss 1", "--loss 0.5 --seed 2", "--seed 3", "--pause-ms 0"], failureDetectorClaims)

// --- mm-queue: the error bar's cycles and the check's advice ---------------------------------------

function mmQueueClaims(run: Run): void {
  const { metrics } = run.report
  const measured = section(run.text, "Measured vs predicted (M/M/c steady state)").join(" ")
  if (metrics.stable) {
    expect(measured).toContain(`from ${metrics.regenerationCycles.toLocaleString("en-US")} regeneration cycle`)
    const erlang = check(run, "wait-matches-erlang-c")
    if (!erlang.held) expect(erlang.detail).toMatch(/rerun with --customers \d+|already at its maximum/)
  } else {
    expect(lessonOrInstability(run)).toContain("cannot keep up")
  }
  expect(check(run, "littles-law").held).toBe(true)
}

function lessonOrInstability(run: Run): string {
  return section(run.text, "No steady state").join(" ")
}

lessonSuite(
  "mm-queue",
  ["--servers 10 --arrival-rate 9", "--servers 10 --arrival-rate 9 --seed 2", "--seed 3 --customers 3000"],
  mmQueueClaims,
)

// --- like-counter: "nothing lost" only when nothing was lost ---------------------------------------

function likeCounterClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { metrics } = run.report
  if (metrics.lost === 0 && metrics.conflicts === 0) expect(lesson).toMatch(/^In this run nothing was lost/)
  else expect(lesson).toContain(`In this run ${metrics.lost.toLocaleString("en-US")} count(s) were lost in total`)
  expect(check(run, "no-lost-counts").held).toBe(metrics.lost === 0)
}

lessonSuite("like-counter", ["--seed 2", "--clients 2 --likes 5 --seed 3"], likeCounterClaims)

// --- lost-update-explorer: the lesson's counts are the checks' -------------------------------------

function explorerClaims(run: Run): void {
  const lesson = lessonOf(run)
  const naive = lesson.match(/Naive: (\d+) of (\d+) interleavings/)
  if (naive !== null)
    expect(check(run, "no-lost-like/naive").detail).toContain(`${naive[1]} of ${naive[2]} interleavings lose a like`)
}

lessonSuite("lost-update-explorer", ["--seed 2"], explorerClaims)

// --- batch-commit: the speed-up in words is the ratio of the times in words -------------------------

function batchCommitClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { metrics } = run.report
  const m = lesson.match(/≈ ([\d.]+)ms\. .*≈ ([\d.]+)ms: ([\d.]+)× faster/)
  expect(m, lesson).not.toBeNull()
  expect(number(m![1]!)).toBeCloseTo(metrics.perRowCommitMs, 2)
  expect(number(m![2]!)).toBeCloseTo(metrics.batchedMs, 2)
  expect(number(m![3]!)).toBeCloseTo(metrics.speedup, 1)
  const waits = lesson.match(/mean ([\d.]+)ms vs ([\d.]+)ms/)
  if (waits !== null && lesson.includes("rows even wait less"))
    expect(number(waits[1]!)).toBeLessThan(number(waits[2]!))
}

lessonSuite("batch-commit", ["--seed 2", "--seed 3 --batch-size 7"], batchCommitClaims)

// --- mlfq, process-run, thread-pool: the numbers quoted are the run's -----------------------------

function mlfqClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { metrics } = run.report
  const waited = lesson.match(/job (\d+) waited (\d+) ticks in a row/)
  if (waited !== null) expect(number(waited[2]!)).toBe(metrics.longestWait.ticks ?? metrics.longestWait)
  for (const m of lesson.matchAll(/Job (\d+) arrived at t=(\d+) and ran straight through \(turnaround (\d+)/g)) {
    const job = metrics.jobs.find((j: { id: number }) => j.id === number(m[1]!))
    expect(job.turnaround).toBe(number(m[3]!))
  }
}

lessonSuite("mlfq", ["--random-jobs 3 --seed 1", "--random-jobs 4 --seed 5 --boost 30"], mlfqClaims)

function processRunClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { metrics } = run.report
  const idle = lesson.match(/For (\d+) of (\d+) ticks/)
  if (idle !== null) {
    expect(number(idle[1]!)).toBe(metrics.idleWhileAllBlocked)
    expect(number(idle[2]!)).toBe(metrics.totalTime)
  }
  const utilisation = lesson.match(/utilisation (?:is only )?(\d+)%/)
  if (utilisation !== null) expect(number(utilisation[1]!)).toBe(Math.round(metrics.cpuUtilisation * 100))
  expect(check(run, "cpu-never-idle-while-ready").held).toBe(metrics.idleWhileReady === 0)
}

lessonSuite("process-run", ["--process-list 5:50,5:50 --seed 1", "--process-list 4:30,4:70 --seed 8"], processRunClaims)

function threadPoolClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { metrics } = run.report
  if (metrics.rejected === 0) expect(lesson).not.toMatch(/task \d+ was rejected/)
  for (const m of lesson.matchAll(/task (\d+) was rejected/g)) expect(metrics.rejectedTasks).toContain(number(m[1]!))
  const size = lesson.match(/the pool never grows past (?:core \()?(\d+)/)
  if (size !== null) expect(metrics.maxPoolSize).toBeLessThanOrEqual(number(size[1]!))
  const largest = lesson.match(/largest here: (\d+)/)
  if (largest !== null) expect(metrics.maxPoolSize).toBe(number(largest[1]!))
}

lessonSuite("thread-pool", ["--arrival-rate 4 --tasks 60 --keep-alive-ms 500 --seed 2"], threadPoolClaims)

// --- --seed does what --help says ------------------------------------------------------------------

describe("--seed affects exactly the flags --help names", () => {
  const cases: [string, string, string[]][] = [
    ["cpu-sched", "--random-jobs", ["--random-jobs", "5"]],
    ["mlfq", "--random-jobs", ["--random-jobs", "3"]],
    ["process-run", "--process-list", ["--process-list", "5:50,5:50"]],
    ["thread-pool", "--arrival-rate", ["--arrival-rate", "4", "--tasks", "30"]],
  ]
  for (const [name, flag, drawing] of cases) {
    it(`${name}: the default run is the same for every seed, ${flag} draws a fresh problem per seed, and --help says so`, async () => {
      const sim = await load(name)
      const hash = async (args: string[]): Promise<string> =>
        (JSON.parse((await runCaptured(sim, [...args, "--json"])).stdout) as Report).traceHash
      const help = (await runCaptured(sim, ["--help"])).stdout.replace(/\s+/g, " ") // lines wrap at --width

      expect(help).toMatch(new RegExp(`--seed draws [^.]* only with ${flag}`))
      expect(await hash(["--seed", "1"])).toBe(await hash(["--seed", "2"]))
      expect(await hash([...drawing, "--seed", "1"])).not.toBe(await hash([...drawing, "--seed", "2"]))
    })
  }
})

// --- lease-lock: the overlap, the stale writes and the final value the lesson names are the run's ---

/** A time as the sims print it in ms with one decimal (`513.3ms`), for comparing with a metric. */
const ms = (value: number): string => `${value.toFixed(1)}ms`

function leaseLockClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { overlapMs, staleWritesAccepted, staleWritesRejected, finalValue } = run.report.metrics
  if (overlapMs > 0) {
    expect(lesson).toContain(`For ${ms(overlapMs)} two clients believed they held the lock at once`)
    expect(check(run, "mutual-exclusion").held).toBe(false)
  } else {
    expect(lesson).toContain("No two clients believed they held the lock at once")
    expect(check(run, "mutual-exclusion").held).toBe(true)
  }
  const accepted = lesson.match(/The storage accepted (\d+) stale write\(s\)/)
  expect(accepted === null ? 0 : number(accepted[1]!)).toBe(staleWritesAccepted)
  expect(check(run, "no-stale-write-accepted").held).toBe(staleWritesAccepted === 0)
  const rejected = lesson.match(/Fencing rejected (\d+) stale write\(s\)/)
  expect(rejected === null ? 0 : number(rejected[1]!)).toBe(staleWritesRejected)
  expect(lesson).toContain(`Final value in the storage: ${finalValue}.`)
}

lessonSuite("lease-lock", ["--seed 2", "--seed 3 --service etcd --pause-ms 3000"], leaseLockClaims)

// --- hot-ranking: stale reads and staleness, accepted or rejected stale lists, as the run had them --

function hotRankingClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { staleReads, maxStalenessMs, doubleRuns } = run.report.metrics
  const reads = lesson.match(/Readers served (\d+) stale read\(s\); the oldest list served was (\d+)ms old/)
  if (reads !== null) expect([number(reads[1]!), number(reads[2]!)]).toEqual([staleReads, maxStalenessMs])
  if (lesson.includes("the storage ACCEPTED it")) {
    expect(check(run, "no-stale-write-accepted").held).toBe(false)
    expect(doubleRuns).toBeGreaterThan(0)
  }
  if (lesson.includes("the storage REJECTED it")) expect(check(run, "no-stale-write-accepted").held).toBe(true)
  if (lesson.includes("Fencing kept one job per period")) expect(check(run, "one-job-per-period").held).toBe(true)
}

lessonSuite("hot-ranking", ["--seed 2", "--seed 3 --fencing true"], hotRankingClaims)

// --- consumer-group: generations, stop-the-world and unowned time in words are the metrics ---------

function consumerGroupClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { rebalances, stopTheWorldMs, unownedPartitionMs } = run.report.metrics
  const unowned = Object.values(unownedPartitionMs as Record<string, number>).reduce((sum, v) => sum + v, 0)
  expect(lesson).toMatch(new RegExp(`\\((${rebalances}|\\d+) generation\\(s\\)\\)`))
  expect(lesson).toContain(`owner for ${ms(unowned)} summed`)
  if (lesson.includes("no partition had an owner for"))
    expect(lesson).toContain(`no partition had an owner for ${ms(stopTheWorldMs)} in all`)
  if (lesson.includes("a zombie")) expect(check(run, "no-concurrent-processing").held).toBe(false)
  if (!lesson.includes("a zombie")) expect(check(run, "no-concurrent-processing").held).toBe(true)
}

lessonSuite("consumer-group", [], consumerGroupClaims)

// --- prometheus-scrape: the peaks, the p99s and the alert's delay the lesson names are the run's --

function prometheusScrapeClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { trueRate, queries, exactP99, estimatedP99, alertFiredAtS, alertDelayS } = run.report.metrics as {
    trueRate: [number, number][]
    queries: { expr: string; value: number | string | null }[]
    exactP99: number
    estimatedP99: number
    alertFiredAtS: number | null
    alertDelayS: number | null
  }
  const peak = (expr: string): number =>
    Math.max(
      0,
      ...queries.filter((q) => q.expr.startsWith(expr) && typeof q.value === "number").map((q) => q.value as number),
    )
  expect(lesson).toContain(`The true rate peaked at ${Math.max(...trueRate.map(([, v]) => v)).toFixed(1)}/s`)
  expect(lesson).toContain(
    `at ${peak("sum (rate(http_request_duration_seconds_count").toFixed(1)}/s and irate() at ${peak("sum (irate(").toFixed(1)}/s`,
  )
  expect(lesson).toContain(
    `histogram_quantile put the run's p99 at ${(estimatedP99 * 1000).toFixed(1)} ms against an exact ${(exactP99 * 1000).toFixed(1)} ms`,
  )
  expect(lesson.includes("yet rate() never went below 0")).toBe(run.args.includes("--restart-at-s"))
  expect(check(run, "rate-never-negative").held).toBe(true)
  if (alertFiredAtS !== null && alertDelayS !== null) {
    expect(lesson).toContain(`HighErrorRatio fired ${alertDelayS.toFixed(1)} s after the errors began`)
    expect(check(run, "alert-fired").held).toBe(true)
  } else {
    expect(lesson).toMatch(/HighErrorRatio (never fired|did not fire)/)
    expect(check(run, "alert-fired").held).toBe(alertFiredAtS !== null)
  }
}

// Six runs of 30 simulated minutes, each twice (text and JSON): about 40 s of CPU.
lessonSuite("prometheus-scrape", ["--seed 2 --alert-for 10m"], prometheusScrapeClaims, 600_000)
