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
import { type FlagSpecs, formatCount, type SimDefinition } from "../../src/cli/index.ts"
import { fromHex, HpackDecoder } from "../../src/models/http2/index.ts"
import { runCaptured, runCapturedOnce } from "../cli/run-captured.ts"
import { runTextAndJson } from "./lesson-run.ts"

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

/**
 * The run of `args` in text and in JSON: as the command line runs them (two runs, shared with the
 * sim's own test file when the same worker ran it: runCapturedOnce), or from one run.
 */
async function runBoth(sim: SimDefinition<FlagSpecs>, args: readonly string[], twice: boolean): Promise<Run> {
  if (!twice) {
    const once = await runTextAndJson(sim, args)
    return { args, text: once.text, report: JSON.parse(once.json) as Report }
  }
  const text = await runCapturedOnce(sim, args)
  const json = await runCapturedOnce(sim, [...args, "--json"])
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

/**
 * Runs the bare command (as the command line does, in text and in JSON), every Try line and `extra`
 * (each once, rendered both ways: lesson-run.ts), checking the common rules and then `claims`;
 * `timeoutMs` for sims whose runs take seconds each (default 120 s).
 */
function lessonSuite(name: string, extra: readonly string[], claims: (run: Run) => void, timeoutMs = 120_000): void {
  describe(`sim ${name}: the lesson matches the run`, () => {
    it(
      "on the bare run, every Try line and several seeds",
      async () => {
        const sim = await load(name)
        const bare = await runBoth(sim, [], true)
        // One run rendered both ways is what the command line prints for two runs (checked on the bare run).
        expect(await runTextAndJson(sim, [])).toEqual({ text: bare.text, json: `${JSON.stringify(bare.report)}\n` })
        for (const args of commands(sim, extra)) {
          const run = args.length === 0 ? bare : await runBoth(sim, args, false)
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

// --- bankers: the safe sequence, its count and each request's verdict the lesson names are the run's ---

const VERDICT_WORDS: Record<string, string> = {
  granted: "was granted",
  "wait-unavailable": "must wait: the instances are not free",
  "wait-unsafe": "must wait although the instances are free",
  "error-exceeds-claim": "is an error, not a wait",
}

function bankersClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { metrics } = run.report
  if (metrics.safe) {
    expect(lesson).toContain(`T0 is safe: ${metrics.safeSequenceCount} orders`)
    expect(lesson).toContain(`prints <${metrics.safeSequence.join(", ")}>`)
  } else expect(lesson).toContain("T0 is unsafe")
  const told = [...lesson.matchAll(/Request (\d+) \((P\d+) asks for \(([\d,]+)\)\) ([a-z ,:]+)/g)]
  expect(told.length).toBe(new Set(metrics.requests.map((r: { verdict: string }) => r.verdict)).size)
  for (const [, index, process, request, words] of told) {
    const made = metrics.requests[number(index!) - 1]
    expect([made.process, made.request.join(",")]).toEqual([process, request])
    expect(words).toContain(VERDICT_WORDS[made.verdict])
  }
  if (metrics.requests.length > 0)
    expect(lesson).toContain(
      metrics.finalState.safe
        ? `After the requests the state is safe (${metrics.finalState.safeSequenceCount} safe sequences)`
        : "After the requests the state is unsafe",
    )
  for (const name of ["resources-conserved", "allocation-within-max", "safe-sequences-valid", "safe-state-stays-safe"])
    expect(check(run, name).held).toBe(true)
}

lessonSuite(
  "bankers",
  ["--random-processes 5 --seed 2", "--random-processes 6 --seed 5", "--requests none", "--available 0,0,0"],
  bankersClaims,
)

// --- gc: the latency, pauses, peaks and leak the lesson names are the comparison table's and the JSON's ---

function gcClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { metrics, params } = run.report
  const rows = section(run.text, "The same workload under each collector")
    .slice(2)
    .map((line) => line.split(/\s{2,}/))
  const mine = rows.find((cells) => cells[0]!.includes("(this run)"))!
  expect(number(mine[1]!)).toBe(metrics.collections)
  expect(mine[2]).toBe(`${metrics.maxPauseMs.toFixed(2)} ms`)
  expect(mine[3]).toBe(`${metrics.p99LatencyMs.toFixed(2)} ms`)
  expect(lesson).toContain(`their p99 latency is ${metrics.p99LatencyMs.toFixed(2)} ms`)
  const row = (name: string): string[] => rows.find((cells) => cells[0]!.startsWith(name))!
  // Singular for one collection, and no claim about "each pause" when there was none (--live-mb 2000).
  const stwCount = number(row("stw")[1]!)
  if (stwCount === 0) expect(lesson).toContain("Stop-the-world: no collection in this run")
  else {
    expect(lesson).toContain(`Stop-the-world: ${row("stw")[1]} collection${stwCount === 1 ? "" : "s"},`)
    expect(lesson).toContain(`(max ${row("stw")[2]})`)
  }
  if (number(row("concurrent")[1]!) === 0) expect(lesson).toContain("Concurrent: no collection in this run")
  else expect(lesson).toContain(`Concurrent: pauses of at most ${row("concurrent")[2]} and p99 ${row("concurrent")[3]}`)
  const leaked = row("refcount")[5]!
  if (parseFloat(leaked) > 0) expect(lesson).toContain(`but ${leaked} of dead objects in cycles were never freed`)
  else expect(lesson).toContain("nothing leaked")
  expect(check(run, "no-leak").held).toBe(metrics.leakedBytes === 0)
  if (params.collector === "stw") expect(check(run, "heap-within-goal").held).toBe(true)
}

lessonSuite(
  "gc",
  [
    "--seed 2",
    "--collector refcount --cycle-percent 0 --seed 3",
    "--live-mb 5 --gogc 50",
    "--live-mb 2000",
    "--mark-mb-per-ms 0.000001",
  ],
  gcClaims,
)

// --- deadlock-detection: the deadlocked set, the order, the cycle and the victims the lesson names ---

function detectionClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { metrics } = run.report
  if (metrics.deadlocked.length === 0) {
    expect(lesson).toContain(`No process is deadlocked`)
    expect(lesson).toContain(`in the order <${metrics.order.join(", ")}>`)
  } else
    expect(lesson).toContain(
      `${metrics.deadlocked.join(", ")} ${metrics.deadlocked.length === 1 ? "is" : "are"} deadlocked`,
    )
  if (metrics.victims.length > 0)
    expect(lesson).toMatch(
      new RegExp(
        `victims in all: ${metrics.victims.join(", ")}\\.|aborted all ${metrics.victims.length} deadlocked processes \\(${metrics.victims.join(", ")}\\)`,
      ),
    )
  if (metrics.waitForGraph !== null) expect(lesson.includes("is a cycle")).toBe(metrics.waitForGraph.cycle.length > 0)
  expect(check(run, "detection-replays").held).toBe(true)
  expect(check(run, "recovery-ends-deadlock").held).toBe(true)
}

lessonSuite(
  "deadlock-detection",
  [
    "--random-processes 5 --seed 3",
    "--random-processes 6 --seed 5 --recovery preempt",
    "--random-processes 4 --random-resources 1 --seed 2",
  ],
  detectionClaims,
)

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

// --- paging: the counts the lesson quotes are the run's, and OPT's is the comparison table's --------

function pagingClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { metrics } = run.report
  const head = lesson.match(
    /^(\S+) with (\d+) frames: (\d+) hits and (\d+) misses in (\d+) references \(hit rate ([\d.]+)%\)/,
  )
  expect(head, lesson).not.toBeNull()
  expect(head![1]).toBe(run.report.params.policy)
  expect([number(head![3]!), number(head![4]!), number(head![5]!)]).toEqual([
    metrics.hits,
    metrics.misses,
    metrics.refs.length,
  ])
  expect(number(head![6]!)).toBeCloseTo(metrics.hitRate * 100, 2)
  const distinct = new Set(metrics.refs).size
  for (const m of lesson.matchAll(/(\d+) distinct pages/g)) expect(number(m[1]!)).toBe(distinct)
  const table = section(run.text, "Every policy on this string")
  const optRow = table.find((line) => /^opt\b/.test(line))!.split(/\s+/)
  const opt = number(optRow.at(-2)!)
  const optLine = lesson.match(/OPT, which knows the future, (?:also )?misses (\d+) times/)
  if (optLine !== null) expect(number(optLine[1]!)).toBe(opt)
  const more = lesson.match(/misses (\d+) more\./)
  if (more !== null) expect(number(more[1]!)).toBe(metrics.misses - opt)
  if (lesson.includes("does as well as possible")) expect(metrics.misses).toBe(opt)
  expect(opt).toBeLessThanOrEqual(metrics.misses)
  const sweep = section(run.text, "Misses per frame count")
  const policies = (sweep[0] ?? "").split(/\s+/).slice(1)
  const rows = new Map(
    sweep
      .slice(2)
      .filter((line) => /^\d/.test(line))
      .map((line) => {
        const cells = line.split(/\s+/)
        return [number(cells[0]!), cells.slice(1).map((cell) => number(cell.replace("*", "")))] as const
      }),
  )
  for (const m of run.text.matchAll(
    /Belady's anomaly: (\S+) misses (\d+) times with (\d+) frames but (\d+) with (\d+)\./g,
  )) {
    const column = policies.indexOf(m[1]!)
    expect(rows.get(number(m[3]!))![column]).toBe(number(m[2]!))
    expect(rows.get(number(m[5]!))![column]).toBe(number(m[4]!))
    expect(number(m[2]!)).toBeGreaterThan(number(m[4]!))
  }
  expect(check(run, "opt-is-a-lower-bound").held).toBe(true)
}

lessonSuite(
  "paging",
  [
    "--random-refs 30 --max-page 8 --seed 3 --policy clock",
    "--random-refs 25 --max-page 5 --seed 9 --policy lfu --frames-sweep 1..6",
    "--policy rand --refs 0,1,2,3,4,0,1,2,3,4,0,1,2,3,4 --frames 4 --seed 2",
  ],
  pagingClaims,
)

// --- malloc: the counts and the free list the lesson describes are the run's -----------------------

function mallocClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { metrics } = run.report
  const list = metrics.freeList as [number, number][]
  const head = lesson.match(
    /^After (\d+) operations \((\d+) allocations, (\d+) failed; (\d+) frees\): (\d+) bytes free in (\d+) blocks?, largest (\d+), fragmentation (\d+)%/,
  )
  expect(head, lesson).not.toBeNull()
  const free = list.reduce((sum, block) => sum + block[1], 0)
  const largest = Math.max(0, ...list.map((block) => block[1]))
  expect(head!.slice(1).map(number)).toEqual([
    metrics.ops.length,
    metrics.allocs,
    metrics.failedAllocs,
    metrics.frees,
    free,
    list.length,
    largest,
    Math.round(free === 0 ? 0 : (1 - largest / free) * 100),
  ])
  const failed = lesson.match(/ptr\[(\d+)\] needed (\d+) bytes and failed/)
  if (failed !== null) {
    const op = metrics.ops.find(
      (o: { kind: string; ptr: number }) => o.kind === "alloc" && o.ptr === number(failed[1]!),
    )
    expect(op.chunk).toBeNull()
  } else expect(metrics.failedAllocs).toBe(0)
  const sorted = [...list].sort((a, b) => a[0] - b[0])
  const touching = sorted.filter((block, i) => i > 0 && sorted[i - 1]![0] + sorted[i - 1]![1] === block[0]).length
  const pairs = lesson.match(/(\d+) pair\(s\) of free blocks/)
  expect(pairs === null ? 0 : number(pairs[1]!)).toBe(touching)
  expect(check(run, "heap-accounted").held).toBe(true)
}

lessonSuite(
  "malloc",
  [
    "--seed 4 --num-ops 30 --policy first",
    "--heap-size 40 --ops=+10,+10,+10,-0,-2,+15",
    "--seed 6 --num-ops 25 --list-order sizesort- --coalesce --max-size 20",
  ],
  mallocClaims,
)

// --- --seed does what --help says ------------------------------------------------------------------

describe("--seed affects exactly the flags --help names", () => {
  const cases: [string, string, string[]][] = [
    ["cpu-sched", "--random-jobs", ["--random-jobs", "5"]],
    ["mlfq", "--random-jobs", ["--random-jobs", "3"]],
    ["process-run", "--process-list", ["--process-list", "5:50,5:50"]],
    ["bankers", "--random-processes", ["--random-processes", "5"]],
    ["deadlock-detection", "--random-processes", ["--random-processes", "5"]],
    ["paging", "--random-refs", ["--random-refs", "10"]],
    ["hpack", "--random-requests", ["--random-requests", "5"]],
    ["http2-flow-control", "--jitter-ms", ["--jitter-ms", "2"]],
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

// --- http2-vs-http1: page load, connections, bytes, waits and stalls in the lesson are the run's ---

interface PageTiming {
  readonly neededAtMs: number
  readonly requestSentMs: number
  readonly firstByteMs: number
  readonly connection: number
  readonly stallMs: number
  readonly bodyBytes: number
}

function http2VsHttp1Claims(run: Run): void {
  const lesson = lessonOf(run)
  const m = run.report.metrics
  const count = (n: number): string => n.toLocaleString("en-US")
  const resources = m.resourceMs as PageTiming[]
  const bodies = resources.reduce((sum, r) => sum + r.bodyBytes, 0)
  expect(lesson).toContain(
    `The page (${count(resources.length)} resources, ${count(bodies)} bytes of bodies) loaded in ${ms(m.pageLoadMs)} over ${count(m.connections)} TCP connection(s), which carried ${count(m.bytesOnWire)} bytes both ways`,
  )
  expect(lesson).toContain(
    `${count(m.headerBytes.text)} bytes as HTTP/1.1 text, ${count(m.headerBytes.hpack)} with HPACK`,
  )
  expect(lesson).toContain(`this run used ${m.protocol === "h2" ? "HPACK" : "text"}.`)
  const rest = resources.slice(1)
  const queued = rest.filter((r) => r.requestSentMs > r.neededAtMs)
  if (m.protocol === "h1" && queued.length > 0)
    expect(lesson).toContain(`${count(queued.length)} of ${count(rest.length)} subresources waited for a connection`)
  if (m.protocol === "h2") {
    expect(m.connections).toBe(1)
    const firsts = rest.map((r) => r.firstByteMs)
    expect(lesson).toContain(`arrived within ${ms(Math.max(...firsts) - Math.min(...firsts))} of each other`)
    expect(lesson).toContain(`gave credit back with ${count(m.windowUpdates - 1)} more WINDOW_UPDATE frame(s)`)
    if (m.flowBlockedMs > 0)
      expect(lesson).toContain(`response streams waited ${ms(m.flowBlockedMs)} summed for credit`)
    else expect(lesson).toContain("no response ever waited for credit")
  }
  const stalled = resources.filter((r) => r.stallMs > 0)
  if (stalled.length === 0) {
    expect(m.stallMs).toBe(0)
    expect(lesson).toMatch(/No segment was lost/)
  } else {
    expect(lesson).toContain(`(a lost segment; ${count(m.retransmits)} retransmission(s))`)
    expect(lesson).toContain(`${count(stalled.length)} resources stalled, ${ms(m.stallMs)} summed`)
  }
}

lessonSuite(
  "http2-vs-http1",
  ["--seed 2 --loss 0.05", "--seed 3 --protocol h1-pipelined --loss 0.03 --resources 20", "--seed 4 --h2-window 16384"],
  http2VsHttp1Claims,
)

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

// 8 runs of 2-4 s of CPU each (text and JSON; each consumer reacts to every new batch since its
// fetching became Kafka's): more than the default timeout on a loaded machine.
lessonSuite("consumer-group", [], consumerGroupClaims, 300_000)

// --- hpack: the octets, indices, entries and evictions in words are the blocks' ---------------------

function hpackClaims(run: Run): void {
  const lesson = lessonOf(run)
  const blocks = run.report.metrics.blocks as { hex: string; table: unknown[] }[]
  const { totalBytes, totalPlainBytes } = run.report.metrics
  expect(lesson).toContain(
    `${formatCount(totalPlainBytes)} octets of names and values went out as ${formatCount(totalBytes)} octets`,
  )
  // Read the blocks back with a decoder of the run's table size to count what the lesson counts.
  const decoder = new HpackDecoder(run.report.params.tableSize as number)
  const representations = blocks.flatMap((block) => decoder.decode(fromHex(block.hex)).representations)
  const indexed = representations.filter((r) => r.kind === "indexed")
  const dynamic = indexed.filter((r) => r.index > 61).length
  if (indexed.length > 0)
    expect(lesson).toContain(
      `${indexed.length} field(s) were sent as a single index (${indexed.length - dynamic} into the static table, ${dynamic} into the dynamic table`,
    )
  const added = representations.filter((r) => r.kind === "literal-incremental").length
  const evicted = added - blocks.at(-1)!.table.length
  if (run.report.params.tableSize !== 0) {
    expect(lesson).toContain(`took ${formatCount(added)} entr`)
    expect(lesson).toContain(evicted === 0 ? "nothing was evicted" : `${formatCount(evicted)} of them were evicted`)
  }
  const huffman = run.report.params.huffman === true
  expect(lesson).toContain(
    huffman ? `take ${formatCount(totalBytes)} octets with it` : `take ${formatCount(totalBytes)} octets;`,
  )
  const never = representations.filter((r) => r.kind === "literal-never-indexed").length
  if (never > 0) expect(lesson).toContain(`${never} field(s) named in --never-index`)
}

lessonSuite("hpack", ["--random-requests 12 --seed 2", "--random-requests 40 --seed 3 --table-size 1024"], hpackClaims)

// --- kafka-backlog: lag, drain, latency, loss and idle consumers in words are the run's numbers ---

function kafkaBacklogClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { finalLag, maxLag, drainMs, latencyP99Ms, lost, duplicates } = run.report.metrics
  const where = run.args.join(" ")
  const lag = lesson.match(/ended at ([\d,]+) \(largest ([\d,]+)\)/)
  expect(lag, `${where}: no lag sentence`).not.toBeNull()
  expect([number(lag![1]!), number(lag![2]!)]).toEqual([finalLag, maxLag])
  // Printed to 0.1 ms: at most 0.05 off (18.75 prints as 18.8).
  if (lesson.includes("never drains")) expect(drainMs).toBeNull()
  else expect(Math.abs(number(lesson.match(/drains in ([\d,.]+)ms/)![1]!) - drainMs)).toBeLessThanOrEqual(0.05 + 1e-9)
  const p99 = lesson.match(/p99 latency reached ([\d,.]+)ms/)
  if (p99 !== null) expect(Math.abs(number(p99[1]!) - latencyP99Ms)).toBeLessThanOrEqual(0.05 + 1e-9)
  const lostWords = lesson.match(/([\d,]+) record\(s\) LOST/)
  expect(lostWords === null ? 0 : number(lostWords[1]!)).toBe(lost)
  expect(check(run, "no-message-lost").held).toBe(lostWords === null)
  const clean = lesson.match(/nothing lost, ([\d,]+) record\(s\) processed twice/)
  if (clean !== null) expect([lost, number(clean[1]!)]).toEqual([0, duplicates])
  const rows = section(run.text, "Consumers at the end").slice(2)
  const idleRows = rows.filter((row) => row.endsWith("idle")).map((row) => row.split(/\s+/)[0])
  const idle = lesson.match(/(c\d+(?:, c\d+)*) own no partition and sit idle/)
  expect(idle === null ? [] : idle[1]!.split(", ")).toEqual(idleRows)
  expect(Number(lesson.match(/(\d+) consumer\(s\) own partitions/)![1])).toBe(rows.length - idleRows.length)
}

// 22 runs of 1-2.5 s of CPU each (text and JSON): about 45 s alone, more inside the parallel suite.
lessonSuite("kafka-backlog", ["--seed 2", "--seed 3", "--seed 4", "--seed 5"], kafkaBacklogClaims, 300_000)

// --- relocation: the counts, registers and room for a base the lesson names are the run's ----------

function relocationClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { base, limit, translations, violations } = run.report.metrics
  const valid = translations.length - violations
  expect(lesson).toContain(
    `${valid} of ${translations.length} addresses are below the bounds ${limit} and translate by adding the base ${base}; ${violations} fault.`,
  )
  expect(check(run, "valid-inside-mapping").held).toBe(true)
  expect(check(run, "invalid-faults").held).toBe(true)
  const room = lesson.match(/Any base from 0 to (\d+) keeps \[base, base \+ (\d+)\) inside the (\d+) bytes/)
  if (room !== null) expect(number(room[1]!)).toBe(number(room[3]!) - limit)
  const whole = lesson.includes("no address can fault")
  expect(whole ? violations : 0).toBe(0)
}

lessonSuite("relocation", ["--seed 0", "--seed 7 --num-addresses 20", "--limit 2k --seed 3"], relocationClaims)

// --- segmentation: the counts per segment and the unmapped middle the lesson names are the run's ---

function segmentationClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { segments, translations, violations } = run.report.metrics
  const valid = (segment: number) =>
    translations.filter((t: { valid: boolean; segment: number }) => t.valid && t.segment === segment).length
  expect(lesson).toContain(
    `${valid(0) + valid(1)} of ${translations.length} addresses are valid: ${valid(0)} in segment 0 (below its limit ${segments[0].limit}), ${valid(1)} in segment 1`,
  )
  expect(lesson).toContain(`; ${violations} fault.`)
  const gap = lesson.match(/The (\d+) bytes of the address space between the two segments/)
  const asize = number(run.report.params.addressSpace === "1k" ? "1024" : String(run.report.params.addressSpace))
  if (gap !== null) expect(number(gap[1]!)).toBe(asize - segments[0].limit - segments[1].limit)
  expect(check(run, "valid-inside-mapping").held).toBe(true)
  expect(check(run, "invalid-faults").held).toBe(true)
}

lessonSuite("segmentation", ["--seed 5 --num-addresses 12", "--seed 9"], segmentationClaims)

// --- paging-translate: the split, the counts and the table size the lesson names are the run's ----

function pagingTranslateClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { pageTable, translations, invalid } = run.report.metrics
  const mapped = pageTable.filter((frame: number | null) => frame !== null).length
  expect(lesson).toContain(
    `${translations.length - invalid} of ${translations.length} addresses are on a valid page and translate; ${invalid} are on an invalid page and fault.`,
  )
  expect(lesson).toContain(`The table has ${pageTable.length} entries, ${mapped} of them valid`)
  const split = lesson.match(/a (\d+)-bit VPN/)
  expect(2 ** number(split![1]!)).toBe(pageTable.length)
  expect(check(run, "valid-inside-mapping").held).toBe(true)
  expect(check(run, "invalid-faults").held).toBe(true)
}

lessonSuite("paging-translate", ["--seed 3 --used 0", "--seed 8 --num-addresses 10"], pagingTranslateClaims)

// --- multilevel-paging: the faults per level and the table's pages the lesson names are the run's --

function multilevelPagingClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { pdbr, memory, translations, faults } = run.report.metrics
  const pde = translations.filter((t: { fault: string | null }) => t.fault === "pde").length
  const pte = translations.filter((t: { fault: string | null }) => t.fault === "pte").length
  expect(pde + pte).toBe(faults)
  expect(lesson).toContain(
    `${translations.length - faults} of ${translations.length} addresses translate; ${pde} fault at the page directory`,
  )
  expect(lesson).toContain(`and ${pte} at the page table.`)
  const directory = (memory[pdbr] as string).match(/../g)!.map((byte) => parseInt(byte, 16))
  const tables = directory.filter((byte) => byte >= 0x80).length
  expect(lesson).toContain(`takes ${tables} page(s) plus the directory: ${tables + 1} of the 33 pages`)
  expect(check(run, "valid-inside-mapping").held).toBe(true)
  expect(check(run, "invalid-faults").held).toBe(true)
}

lessonSuite(
  "multilevel-paging",
  ["--seed 4 --allocated 20 --num-addresses 15", "--seed 0 --allocated 95"],
  multilevelPagingClaims,
)

// --- kafka-commit: the counts, the resume offset and the lost/duplicated offsets named are the run's --

function kafkaCommitClaims(run: Run): void {
  const lesson = lessonOf(run)
  const m = run.report.metrics
  const count = (n: number) => n.toLocaleString("en-US")
  expect(lesson).toContain(
    `Processed ${count(m.processed)} of ${count(m.acknowledged)} acknowledged records; lost ${count(m.lost)}; ` +
      `processed twice ${count(m.duplicates)}; not reached by the end ${count(m.pending)}.`,
  )
  if (m.resumedAtOffset >= 0)
    expect(lesson).toContain(`c1 resumed at offset ${m.resumedAtOffset}, the committed offset`)
  else expect(lesson).not.toContain("c1 resumed at offset")
  expect(check(run, "no-message-lost").held).toBe(m.lost === 0)
  if (lesson.includes("Here it happened")) expect(m.lost).toBeGreaterThan(0)
  if (lesson.includes("nothing lost (other seeds lose)")) expect(m.lost).toBe(0)
  const explained = section(run.text, "Lost and processed twice").join(" ")
  expect(explained).toContain(`Committed offset at the end: ${m.committedOffset} `)
  for (const [tp, ranges] of Object.entries(m.lostOffsets as Record<string, string>))
    for (const range of ranges.split(",")) expect(explained).toMatch(new RegExp(`${tp} offsets? ${range} lost`))
  for (const [tp, ranges] of Object.entries(m.duplicateOffsets as Record<string, string>))
    for (const range of ranges.split(","))
      expect(explained).toMatch(new RegExp(`${tp} offsets? ${range} processed twice`))
  if (m.lost === 0) expect(explained).toContain("Lost: none.")
  if (m.duplicates === 0) expect(explained).toContain("Processed twice: none.")
  retryClaims(lesson, m, explained)
}

/** The retry-reordering sentences: the offsets named went back, and the range said to be repeated was. */
function retryClaims(lesson: string, m: Record<string, unknown>, explained: string): void {
  const back = /the committed offset went back from (\d+) to (\d+)\./.exec(lesson)
  if (back !== null && explained.includes("moved it back"))
    expect(explained).toContain(`moved it back from ${back[1]} to ${back[2]})`)
  const repeated = /so c1 resumed at (\d+): offsets (\d+)-(\d+), committed once already, were processed again too/.exec(
    lesson,
  )
  if (repeated === null) return
  expect(m.resumedAtOffset).toBe(Number(repeated[1]))
  const [from, to] = (m.duplicateOffsets as Record<string, string>)["t0p0"]!.split("-").map(Number)
  expect(from).toBeLessThanOrEqual(Number(repeated[2]))
  expect(to).toBeGreaterThanOrEqual(Number(repeated[3]))
  expect(back).not.toBeNull()
  expect(repeated[2]).toBe(back![2])
  expect(Number(repeated[3])).toBe(Number(back![1]) - 1)
}

lessonSuite(
  "kafka-commit",
  [
    "--seed 2",
    "--seed 3",
    "--seed 4",
    "--seed 5",
    "--commit max --workers 4 --seed 7",
    "--commit async --retry-async --request-timeout-ms 5000 --crash-at 17000 --seed 3",
    "--commit async --retry-async --seed 2",
  ],
  kafkaCommitClaims,
)

// --- read-history: the start offsets, counts and catch-up time the lesson names are the run's ----

function readHistoryClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { orders, history } = run.report.metrics as Record<
    "orders" | "history",
    { processed: number; toRead: number; commits: number; caughtUpAtMs: number; startOffsets: Record<string, number> }
  >
  const count = (n: number) => n.toLocaleString("en-US")
  const reset = run.args.includes("latest") ? "latest" : "earliest"
  expect(lesson).toContain(`with auto.offset.reset=${reset}`)
  const starts = Object.values(history.startOffsets)
  if (starts.length > 0 && starts.every((o) => o === 0)) {
    expect(lesson).toContain(`replayed the topic, ${count(history.processed)} of ${count(history.toRead)} records`)
    if (history.caughtUpAtMs > 0) expect(lesson).toContain(`by ${history.caughtUpAtMs.toFixed(1)}ms`)
  } else if (starts.length > 0) {
    expect(reset).toBe("latest")
    expect(lesson).toContain(`never saw the ${count(orders.toRead - history.toRead)} records written before`)
  }
  expect(lesson).toContain(
    `orders processed ${count(orders.processed)} of ${count(orders.toRead)} records and ${count(orders.commits)} commits`,
  )
  const untouched = check(run, "first-group-untouched").held
  expect(lesson.includes("the same offsets at the same instants")).toBe(untouched)
  const allHeld = run.report.checks.every((c) => c.held)
  expect(lesson.includes("each group received every record it was to read")).toBe(allHeld)
}

lessonSuite(
  "read-history",
  ["--seed 2", "--seed 3 --reset latest", "--rate 400 --processing-ms 4 --seed 4"],
  readHistoryClaims,
)

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

// --- alternate-printers: the schedule counts in words are the metrics -------------------------------

function alternatePrintersClaims(run: Run): void {
  const lesson = lessonOf(run)
  const m = run.report.metrics
  const counts = lesson.match(
    /Every schedule \(([\d,]+)\): ([\d,]+) right, ([\d,]+) out of order or cut short by main, ([\d,]+) leaving a goroutine blocked forever, ([\d,]+) deadlocked/,
  )
  if (run.report.params.explore === true) {
    expect(counts, lesson).not.toBeNull()
    expect(counts!.slice(1).map(number)).toEqual([
      m.schedules,
      m.correct,
      m.outOfOrder,
      m.leakedGoroutines,
      m.deadlocked,
    ])
  } else expect(counts).toBeNull()
  expect(check(run, "prints-in-order").held).toBe(m.correct === m.schedules)
  if (lesson.includes("the order and the end do not depend on timing")) expect(m.correct).toBe(m.schedules)
  if (lesson.includes("main's sleep is a guess")) expect(m.correct).toBeLessThan(m.schedules)
}

lessonSuite("alternate-printers", ["--seed 2", "--explore false --seed 3 --items 6"], alternatePrintersClaims)

// --- goroutine-leak: the counts, rates and sizes in the lesson are the run's -------------------------

const MIB = 2 ** 20

/** A size the lesson prints ("17.9 MiB", "90.6 KiB") in bytes. */
function sizeOf(text: string): number {
  const [value, unit] = text.split(" ") as [string, string]
  return number(value) * (unit === "MiB" ? MIB : 1024)
}

function goroutineLeakClaims(run: Run): void {
  const lesson = lessonOf(run)
  const m = run.report.metrics
  const size = String.raw`([\d,.]+ [KM]iB)`
  const late = lesson.match(/^([\d,]+) of ([\d,]+) requests \([\d.]+%\) hit the ([\d,]+) ms deadline/)
  expect(late, lesson).not.toBeNull()
  expect([number(late![1]!), number(late![2]!), number(late![3]!)]).toEqual([
    m.timedOut,
    m.requests,
    run.report.params.timeoutMs,
  ])
  const mean = lesson.match(new RegExp(String.raw`\(mean ${size}/s\)`))
  expect(mean, lesson).not.toBeNull()
  expect(Math.abs(sizeOf(mean![1]!) - m.allocBytesPerSec)).toBeLessThanOrEqual(0.05 * MIB)
  expect(check(run, "goroutines-bounded").held).toBe(m.blockedGoroutines === 0)
  if (m.blockedGoroutines > 0) {
    const blocked = lesson.match(/([\d,]+) workers? (?:are|is) blocked at the end(?:; ([\d,]+) more still computing)?/)
    const grew = lesson.match(
      new RegExp(
        String.raw`grew ([\d.]+) per second \(theory: .* = ([\d.]+)\) to ([\d,]+), and the heap in use to ${size}`,
      ),
    )
    expect(blocked && grew, lesson).toBeTruthy()
    expect(number(blocked![1]!)).toBe(m.blockedGoroutines)
    expect(number(blocked![2] ?? "0")).toBe(m.timedOut - m.blockedGoroutines)
    expect(number(grew![1]!)).toBeCloseTo(m.leakRatePerSec, 1)
    expect(number(grew![2]!)).toBeCloseTo(m.predictedLeakRatePerSec, 1)
    expect(number(grew![3]!)).toBe(m.goroutinesAtEnd)
    expect(Math.abs(sizeOf(grew![4]!) - m.heapInUseBytes)).toBeLessThanOrEqual(0.05 * MIB)
    const profile = section(run.text, "Heap profile at the end, as go tool pprof -top prints it")
    const top = profile[profile.findIndex((line) => line.startsWith("flat")) + 1]!
    expect(lesson).toContain(`its profile points at ${top.split(/\s+/).at(-1)}.`)
  } else {
    const end = lesson.match(
      new RegExp(String.raw`Live goroutines end at ([\d,]+) \(peak ([\d,]+):.*heap in use at ${size}`),
    )
    expect(end, lesson).not.toBeNull()
    expect([number(end![1]!), number(end![2]!)]).toEqual([m.goroutinesAtEnd, m.peakGoroutines])
    expect(Math.abs(sizeOf(end![3]!) - m.heapInUseBytes)).toBeLessThanOrEqual(0.05 * 1024)
  }
}

lessonSuite(
  "goroutine-leak",
  ["--seed 2 --duration-s 20", "--seed 3 --fix context --rps 300 --duration-s 10", "--duration-s 0.2"],
  goroutineLeakClaims,
)

// --- tcp-rounds: the phases, the loss arithmetic and the segment totals in words are the rounds' ---

/** Segments sent in all rounds, recomputed here from the textbook's rules (independently of the model). */
function roundsSent(params: Record<string, unknown>, algorithm: string): number {
  const events = params.events === "none" ? [] : String(params.events).split(",")
  const loss = new Map(events.map((e) => [Number(e.split(":")[0]), e.split(":")[1]]))
  let [cwnd, ssthresh, sent] = [params.initialCwnd as number, params.ssthresh as number, 0]
  for (let round = 1; round <= (params.rounds as number); round++) {
    sent += cwnd
    const kind = loss.get(round)
    if (kind !== undefined) {
      ssthresh = Math.max(Math.floor(cwnd / 2), 2)
      cwnd = algorithm === "reno" && kind === "dup" ? ssthresh + 3 : 1
    } else cwnd = cwnd < ssthresh ? Math.min(2 * cwnd, ssthresh) : cwnd + 1
  }
  return sent
}

/** The rounds (from 1) whose phase is one of `phases`, as maximal spans "1-4, 9-12" or "none". */
function phaseSpans(phases: readonly string[], wanted: readonly string[]): string {
  const spans: string[] = []
  phases.forEach((phase, i) => {
    if (!wanted.includes(phase) || (i > 0 && wanted.includes(phases[i - 1]!))) return
    let end = i
    while (end + 1 < phases.length && wanted.includes(phases[end + 1]!)) end++
    spans.push(end === i ? String(i + 1) : `${i + 1}-${end + 1}`)
  })
  return spans.length === 0 ? "none" : spans.join(", ")
}

function tcpRoundsClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { params } = run.report
  const { cwnd, ssthresh, phases, segmentsSent } = run.report.metrics as Record<
    "cwnd" | "ssthresh" | "phases" | "segmentsSent",
    any[]
  >
  expect(lesson).toContain(
    `Slow start (cwnd doubling, capped at ssthresh) in rounds ${phaseSpans(phases, ["slow-start"])};`,
  )
  expect(lesson).toContain(
    `congestion avoidance (+1 per round) in rounds ${phaseSpans(phases, ["congestion-avoidance"])}`,
  )
  const recovery = phases.includes("fast-recovery")
  expect(lesson.includes("answer keys count fast-recovery rounds as congestion avoidance")).toBe(recovery)
  if (recovery)
    expect(lesson).toContain(
      `congestion avoidance runs in rounds ${phaseSpans(phases, ["congestion-avoidance", "fast-recovery"])}.`,
    )
  const losses = [
    ...lesson.matchAll(
      /A (triple duplicate ACK|timeout) at the end of round (\d+) \(cwnd ([\d,]+)\): ssthresh = max\(floor\([\d,]+\/2\), 2\) = ([\d,]+)/g,
    ),
  ]
  expect(losses.map((m) => `${number(m[2]!)}:${m[1] === "timeout" ? "timeout" : "dup"}`).join(",") || "none").toBe(
    params.events,
  )
  for (const m of losses) {
    const round = number(m[2]!)
    expect(number(m[3]!)).toBe(cwnd[round - 1])
    expect(number(m[4]!)).toBe(Math.max(Math.floor(cwnd[round - 1] / 2), 2))
    if (round < cwnd.length) expect(number(m[4]!)).toBe(ssthresh[round])
  }
  const other = params.algorithm === "reno" ? "tahoe" : "reno"
  expect(lesson).toContain(
    `In ${formatCount(cwnd.length)} rounds the sender sent ${formatCount(segmentsSent.at(-1))} segments; ${other === "reno" ? "Reno" : "Tahoe"} with the same losses would have sent ${formatCount(roundsSent(params, other))} (--algorithm ${other}).`,
  )
  expect(segmentsSent.at(-1)).toBe(roundsSent(params, params.algorithm as string))
  for (const c of run.report.checks) expect(c.held, `${c.name}: ${c.detail}`).toBe(true)
}

lessonSuite(
  "tcp-rounds",
  [
    "--seed 2",
    "--events 3:timeout,9:dup,14:timeout --initial-cwnd 2",
    "--events none --rounds 40",
    "--algorithm tahoe --rounds 200 --ssthresh 64 --events 50:dup,120:timeout,121:dup",
    "--ssthresh 1 --events 1:dup --rounds 5",
  ],
  tcpRoundsClaims,
)

// --- dining-philosophers: the run's meals and the schedule counts in words are the metrics ----------

function diningPhilosophersClaims(run: Run): void {
  const lesson = lessonOf(run)
  const m = run.report.metrics as Record<string, any>
  const meals = m.meals as number[]
  const n = m.philosophers as number
  const planned = run.report.params.meals as number
  const stopped = lesson.match(/stopped the program after (\d+) of (\d+) meals/)
  const fed = lesson.match(/every philosopher ate its (\d+) meal\(s\) by/)
  expect(stopped === null).not.toBe(fed === null)
  if (stopped !== null) {
    expect(stopped.slice(1).map(number)).toEqual([meals.reduce((a, b) => a + b, 0), n * planned])
    expect(meals.some((eaten) => eaten < planned)).toBe(true)
  } else expect(meals).toEqual(Array(n).fill(Number(fed![1])))
  if (lesson.includes(`all ${n} philosophers held their left fork`) && run.report.params.explore !== true)
    expect(m.firstDeadlock.cycle).toEqual(
      Array.from(
        { length: n },
        (_, p) => `P${p} holds fork ${p} and waits for fork ${(p + 1) % n}, held by P${(p + 1) % n}`,
      ),
    )
  const timeouts = lesson.match(/backed off (\d+) time\(s\)/)
  expect(timeouts === null ? 0 : number(timeouts[1]!)).toBe(run.report.params.fix === "timeout" ? m.timeouts : 0)
  const counts = lesson.match(/Every schedule \(([\d,]+)\): ([\d,]+) deadlocked/)
  const horizon = lesson.match(
    /Every schedule up to (\d+) ms \(([\d,]+)\): none deadlocked; ([\d,]+) had fed everyone and ([\d,]+) were still going/,
  )
  if (run.report.params.explore !== true) expect([counts, horizon, m.schedules]).toEqual([null, null, 1])
  else if (horizon !== null)
    expect(horizon.slice(1).map(number)).toEqual([m.horizonMs, m.schedules, m.schedules - m.unfinished, m.unfinished])
  else expect(counts!.slice(1).map(number)).toEqual([m.schedules, m.deadlocks])
  const livelock = lesson.match(
    /In ([\d,]+) of them no one had eaten and every philosopher had timed out at least twice/,
  )
  expect(livelock === null ? 0 : number(livelock[1]!)).toBe(m.livelocked)
  const smallest = lesson.match(/The smallest \((\d+) choice points\)/)
  if (smallest !== null) expect(number(smallest[1]!)).toBe(m.firstDeadlock.schedule.split(", ").length)
  expect(check(run, "no-deadlock").held).toBe(m.deadlocks === 0)
}

lessonSuite(
  "dining-philosophers",
  ["--seed 2", "--seed 5 --fix timeout --philosophers 4", "--philosophers 4 --meals 1 --explore --seed 3"],
  diningPhilosophersClaims,
)

// --- tcp-congestion: the windows, times, counts and shares the lesson names are the run's ---------

function tcpCongestionClaims(run: Run): void {
  const lesson = lessonOf(run)
  const { metrics, params } = run.report as { metrics: Record<string, any>; params: Record<string, any> }
  const holds = lesson.match(
    /The link holds ([\d.]+) segments in flight \(bandwidth × RTT\) and the queue ([\d,]+) more/,
  )
  expect(number(holds![1]!)).toBe(
    Number(((params.bandwidthMbps * 1000 * params.rttMs) / 8 / (params.mss + 40)).toFixed(1)),
  )
  expect(number(holds![2]!)).toBe(params.queuePackets)
  metrics.throughputMbps.forEach((_: number, i: number) => {
    const series = metrics.cwndSeries[i] as { t: number; cwnd: number; ssthresh: number | null }[]
    const first = lesson.match(
      new RegExp(
        `Flow ${i} \\(\\w+\\): slow start grew cwnd to (\\d+) segments before the first loss, noticed at t=([\\d.]+) s by (three duplicate ACKs|a timeout)\\.`,
      ),
    )
    if (first === null) {
      expect(lesson).toContain(`Flow ${i} (`)
      expect([metrics.drops[i], metrics.retransmits[i]]).toEqual([0, 0])
      return
    }
    const lossAt = series.find((point) => point.ssthresh !== null)!
    expect(number(first[2]!)).toBe(Number(lossAt.t.toFixed(3)))
    const before = series.filter((point) => point.ssthresh === null).map((point) => point.cwnd)
    expect(number(first[1]!)).toBe(Math.round(Math.max(...before)))
    const answered = lesson.match(
      new RegExp(
        `Flow ${i} .*?It answered ([\\d,]+) loss\\(es\\) with a fast retransmit and ([\\d,]+) with a timeout(?:, and resent ([\\d,]+) more)?`,
      ),
    )
    expect(number(answered![1]!) + number(answered![3] ?? "0")).toBe(metrics.fastRetransmits[i])
    expect(number(answered![2]!)).toBeLessThanOrEqual(metrics.timeouts[i])
  })
  const busy = lesson.match(/The link was busy ([\d.]+)% of the time/)
  // the metric is rounded to 4 decimals, the lesson's percentage from the unrounded value
  if (busy !== null) expect(Math.abs(number(busy[1]!) - metrics.utilisation * 100)).toBeLessThanOrEqual(0.05 + 1e-9)
  const jain = lesson.match(/Jain's index ([\d.]+)/)
  if (metrics.throughputMbps.length > 1) expect(number(jain![1]!)).toBe(metrics.jainFairness)
  for (const name of ["cwnd-at-least-one-mss", "in-flight-within-window", "ssthresh-after-loss"])
    expect(check(run, name).held).toBe(true)
}

lessonSuite(
  "tcp-congestion",
  [
    "--seed 2 --loss 0.02 --duration-s 5",
    "--flows tahoe,newreno,cubic --duration-s 5 --seed 3",
    "--mss 536 --duration-s 5",
  ],
  tcpCongestionClaims,
  300_000,
)

// --- concurrent-map: every number in the lesson is the JSON metrics' ----------------------------

function concurrentMapClaims(run: Run): void {
  const lesson = lessonOf(run)
  const m = run.report.metrics
  const strategy = String(run.report.params.strategy)
  const byStrategy: Record<string, any> = m.throughput === undefined ? { ...m } : { [strategy]: m }
  delete byStrategy.explored
  delete byStrategy.smallestLosingSchedule
  for (const name of ["racy", "check-then-act"]) {
    const lost = lesson.match(new RegExp(`${name} lost ([\\d,]+) of its`))
    if (lost !== null) expect(number(lost[1]!)).toBe(byStrategy[name].lostWrites)
    if (lesson.includes(`${name} lost no increment`) || lesson.includes(`even ${name} lost nothing`))
      expect(byStrategy[name].lostWrites).toBe(0)
  }
  const safe = Object.entries(byStrategy).filter(([name]) => name !== "racy" && name !== "check-then-act")
  const ranked = lesson.match(/The fastest: ([\w, -]+) at ([\d,]+) ops\/s; the slowest: ([\w, -]+) at ([\d,]+) ops\/s/)
  if (safe.length > 1) {
    expect(ranked, lesson).not.toBeNull()
    const throughputs = safe.map(([, s]) => s.throughput as number)
    const [fastest, slowest] = [Math.max(...throughputs), Math.min(...throughputs)]
    const named = (value: number) =>
      safe
        .filter(([, s]) => s.throughput === value)
        .map(([name]) => name)
        .join(", ")
    expect([ranked![1], number(ranked![2]!)]).toEqual([named(fastest), fastest])
    expect([ranked![3], number(ranked![4]!)]).toEqual([named(slowest), slowest])
    expect(lesson).toContain(`None of the ${safe.length} strategies whose increment is atomic lost one`)
    expect(safe.every(([, s]) => s.lostWrites === 0)).toBe(true)
  } else if (safe.length === 1) {
    const [name, s] = safe[0]!
    expect(lesson).toContain(`${name} lost none (${formatCount(s.throughput)} ops/s)`)
    expect(s.lostWrites).toBe(0)
  }
  const copies = [
    ...lesson.matchAll(
      /(cow-[\w]+) copied ([\d,]+) bytes(?: and retried ([\d,]+) times)? for [\d,]+ increments \(read p99 ([\d.]+) us\)/g,
    ),
  ]
  for (const copied of copies) {
    const s = byStrategy[copied[1]!]
    expect(number(copied[2]!)).toBe(s.bytesCopied)
    if (copied[3] !== undefined) expect(number(copied[3])).toBe(s.casRetries)
    expect(Number(copied[4])).toBeCloseTo(s.readP99Us, 2)
  }
  const cowWithWrites = Object.entries(byStrategy).filter(([name, s]) => name.startsWith("cow-") && s.bytesCopied > 0)
  expect(copies.length).toBe(cowWithWrites.length)
  if (run.report.params.explore === true) {
    for (const [name, e] of Object.entries(m.explored as Record<string, any>)) {
      const words =
        e.losing > 0
          ? `${name} loses an increment in ${formatCount(e.losing)} of ${formatCount(e.schedules)}`
          : `${name} in none of ${formatCount(e.schedules)}`
      expect(lesson).toContain(words)
    }
  } else expect(lesson).not.toContain("Every interleaving")
  const explored = Object.values((m.explored ?? {}) as Record<string, any>)
  const lost = Object.values(byStrategy).some((s) => s.lostWrites > 0) || explored.some((e) => e.losing > 0)
  expect(check(run, "no-lost-writes").held).toBe(!lost)
}

lessonSuite(
  "concurrent-map",
  ["--seed 2", "--strategy cow-mutex,cow-cas,syncmap --keys 1000", "--strategy racy --keys 2", "--strategy mutex"],
  concurrentMapClaims,
)

// --- http2-flow-control: the times, updates, negative windows and errors in words are the run's ---

function http2FlowControlClaims(run: Run): void {
  const lesson = lessonOf(run)
  const m = run.report.metrics
  const p = run.report.params as Record<string, number>
  const where = run.args.join(" ")
  if (m.transferMs !== null)
    expect(lesson, where).toContain(
      `uploaded ${formatCount(p.streams! * p.bytesPerStream!)} octets of data in ${ms(m.transferMs)}`,
    )
  else expect(lesson, where).toContain(`did not finish: ${m.completedStreams.length} of ${p.streams} stream(s)`)
  expect(lesson, where).toContain(`The server sent ${formatCount(m.windowUpdates)} WINDOW_UPDATE frame(s)`)
  const blocked = Object.values(m.blockedMs as Record<string, number>)
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0)
  if (sum(blocked) > 0) {
    expect(lesson, where).toContain(`for ${ms(Math.max(...blocked))} at most, ${ms(sum(blocked))} summed`)
    const onConnection = sum(Object.values(m.blockedOnConnectionMs as Record<string, number>))
    expect(lesson, where).toContain(`${ms(onConnection)} of it for the connection window`)
  }
  const series = m.windowSeries as { stream: number; window: number }[]
  const negative = Object.keys(m.bytesSent)
    .map(Number)
    .map((stream) => [stream, Math.min(...series.filter((q) => q.stream === stream).map((q) => q.window))])
    .filter(([, least]) => least! < 0)
  for (const [stream, least] of negative) expect(lesson, where).toContain(`stream ${stream} to ${formatCount(least!)}`)
  if (negative.length === 0) expect(lesson, where).not.toContain("windows went negative")
  const errors = m.errors as { by: string; scope: string; stream: number; error: string }[]
  for (const error of errors.filter((e) => e.by === "client")) {
    expect(lesson, where).toContain(
      error.scope === "stream"
        ? `reset stream ${error.stream} with RST_STREAM ${error.error}`
        : error.error === "FLOW_CONTROL_ERROR" && p.newInitialWindow! > 2 ** 31 - 1
          ? "a connection error FLOW_CONTROL_ERROR, so the client sent GOAWAY"
          : `sent GOAWAY ${error.error}`,
    )
  }
  const refused = errors.filter((e) => e.error === "REFUSED_STREAM").length
  if (refused > 0) expect(lesson, where).toContain(`refused ${refused} with REFUSED_STREAM`)
  expect(check(run, "stream-window-respected").held).toBe(true)
  expect(check(run, "connection-window-respected").held).toBe(true)
}

lessonSuite(
  "http2-flow-control",
  [
    "--jitter-ms 5 --seed 3",
    "--padding 50 --streams 3 --seed 2 --jitter-ms 1",
    "--bad-update overflow --bad-update-stream 3 --streams 3",
    "--new-initial-window 2147483648",
    "--update-threshold 1 --read-mbps 20",
  ],
  http2FlowControlClaims,
)
