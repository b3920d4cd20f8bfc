/**
 * The judges of the like-counter scenario, reading only its typed events (`counter-events.ts`)
 * and the final counts: the {@link DeltaLedger} (what the clients had acknowledged), the online
 * {@link LostUpdateDetector} (lost updates as they happen, for the timeline and the `conflicts`
 * metric) and the checker `no-lost-counts`.
 *
 * `no-lost-counts`: every counter ends equal to the sum of its acknowledged deltas. Per article and
 * counter kind: `expected` is the sum of the acknowledged deltas, `final` the count the article
 * query returns at the end, `lost = expected − final`. A delta whose call timed out is
 * unacknowledged: it may or may not have been applied, so the check allows `final` anywhere between
 * `expected + (unacknowledged negative deltas)` and `expected + (unacknowledged positive deltas)`.
 * Without faults every delta is acknowledged and `final` must equal `expected` exactly.
 *
 * Left out: checking the counts seen during the run (the cache may be stale within a TTL).
 *
 * `no-lost-like/<strategy>` (the smallest race): every schedule of the race ends with one like per
 * client; the detail counts the schedules that do not and lists the final states reached.
 *
 * `matches-cost-model` (the batch writer): every writer took `rows × rowMs + ⌈rows / batchSize⌉`
 * flushes of `(1 ± fsyncJitter) × fsyncMs`, up to floating-point rounding.
 */
import { type CheckResult, fails, holds } from "../../check/core/index.ts"
import type { Traced } from "../../kernel/index.ts"
import type { BatchCommitResult, BatchCommitScenarioOptions } from "./batch-commit.ts"
import { predictedBatchMs } from "./batch-commit.ts"
import type { StrategyReport } from "./lost-update-race.ts"
import { cacheCommandOf } from "./counter-cache.ts"
import { articleOfKey, type LikeCounterEvent, type LostUpdateSeen } from "./counter-events.ts"
import { COUNTER_KINDS, type CounterKind } from "./sql-store.ts"

/** A check's verdict (the shared `CheckResult`); the name is kept for existing callers. */
export type CounterVerdict = CheckResult

/** Per article and kind: what the checker reads. */
export interface CounterTally {
  readonly article: number
  readonly kind: CounterKind
  /** Sum of acknowledged deltas. */
  readonly expected: number
  /** The count at the end. */
  readonly final: number
  /** Sum of the unacknowledged positive deltas (each may or may not have applied). */
  readonly unacknowledgedUp: number
  /** Sum of the unacknowledged negative deltas (each may or may not have applied). */
  readonly unacknowledgedDown: number
}

/** What `no-lost-counts` reads: the tallies, and the deltas sent and acknowledged. */
export interface CounterHistory {
  readonly tallies: readonly CounterTally[]
  /** Deltas the clients began to apply. */
  readonly deltas: number
  /** Of those, the ones whose write was not acknowledged. */
  readonly unacknowledged: number
  /** Sum of `expected` over every counter. */
  readonly expected: number
  /** Sum of `final` over every counter. */
  readonly final: number
}

interface Sums {
  expected: number
  up: number
  down: number
}

/** Sums of the deltas per counter, from `DeltaStarted` and `DeltaAcknowledged` events. */
export class DeltaLedger {
  /** Deltas started. */
  started = 0
  /** Deltas acknowledged. */
  acknowledged = 0
  private readonly sums = new Map<string, Sums>()

  /** Takes one event into account (others are ignored). */
  observe(event: LikeCounterEvent): void {
    if (event.type !== "DeltaStarted" && event.type !== "DeltaAcknowledged") return
    const sums = this.sumsOf(event.article, event.kind)
    const unacknowledged = event.type === "DeltaStarted" ? 1 : -1
    if (event.delta > 0) sums.up += unacknowledged * event.delta
    else sums.down += unacknowledged * event.delta
    if (event.type === "DeltaStarted") this.started++
    else {
      this.acknowledged++
      sums.expected += event.delta
    }
  }

  /** The tallies of articles `1..articles`, each kind in {@link COUNTER_KINDS} order, with their final counts. */
  tallies(articles: number, finalOf: (article: number, kind: CounterKind) => number): CounterTally[] {
    const tallies: CounterTally[] = []
    for (let article = 1; article <= articles; article++) {
      for (const kind of COUNTER_KINDS) {
        const sums = this.sums.get(`${article}/${kind}`) ?? { expected: 0, up: 0, down: 0 }
        const final = finalOf(article, kind)
        tallies.push({
          article,
          kind,
          expected: sums.expected,
          final,
          unacknowledgedUp: sums.up,
          unacknowledgedDown: sums.down,
        })
      }
    }
    return tallies
  }

  private sumsOf(article: number, kind: CounterKind): Sums {
    const id = `${article}/${kind}`
    let sums = this.sums.get(id)
    if (sums === undefined) {
      sums = { expected: 0, up: 0, down: 0 }
      this.sums.set(id, sums)
    }
    return sums
  }
}

/** The first update lost as it happened, with the steps that show it. */
export interface Conflict {
  readonly article: number
  readonly kind: CounterKind
  /** The client whose write lost the others' updates. */
  readonly client: string
  /** Counts the write destroyed. */
  readonly lostCounts: number
  /**
   * The steps on this counter from the losing client's read (or check) to its write, in order: all
   * of them when they are at most `keepSteps`, else the read and the last `keepSteps − 1`.
   */
  readonly steps: readonly Traced<LikeCounterEvent>[]
  /** How many steps there were from the read to the write. */
  readonly totalSteps: number
  /** The event that reported it. */
  readonly lost: Traced<LostUpdateSeen>
}

/** Options of a {@link LostUpdateDetector}. */
export interface LostUpdateDetectorOptions {
  /** Steps of the first conflict kept (see {@link Conflict.steps}). Default 16, at least 2. */
  readonly keepSteps?: number
}

/**
 * A step on a counter (a statement, a cache command that touches the article, an expiry): the
 * counter kind it touches, null for a step that concerns every kind of the article (a read, a
 * fill, a check, an expiry), undefined for an event that is no step (cache reads included).
 */
export function stepKind(event: LikeCounterEvent): CounterKind | null | undefined {
  switch (event.type) {
    case "RowSelected":
    case "KeyExpired":
      return null
    case "CountOverwritten":
    case "CountAdded":
    case "RowInserted":
    case "CountUpserted":
      return event.kind
    case "CommandExecuted": {
      const command = cacheCommandOf(event)
      if (command === undefined || command.op === "read") return undefined
      return command.op === "incr" || command.op === "script" ? command.kind : null
    }
    default:
      return undefined
  }
}

/** The article key a step concerns ("" for none). */
function stepKey(event: LikeCounterEvent): string {
  if (event.type === "CommandExecuted") return cacheCommandOf(event)?.key ?? ""
  return "key" in event ? event.key : ""
}

/** Per article: steps seen per kind, and the last few steps of each kind. */
interface ArticleSteps {
  readonly seen: number[]
  readonly recent: Traced<LikeCounterEvent>[][]
}

/** A client's last read or check, with the article's step counts just before it. */
interface LastRead {
  readonly record: Traced<LikeCounterEvent>
  readonly key: string
  readonly seenBefore: readonly number[]
}

/**
 * Spots lost updates as they happen, from the events alone: a `CountOverwritten` whose `read` is
 * not the `previous` value (the client's read was stale), and an `HINCRBY` that created its key
 * right after the same client's `EXISTS` said it existed (the entry expired, or the cache lost it
 * in a crash, between the check and the increment; the database's count then, followed from the
 * statements' events, is what the key should hold). Whether a key exists is followed from the
 * cache's own events (commands and their replies, expiries, a keyspace lost). It keeps the
 * database's counts per counter, the live cache keys, each client's last read and a few recent
 * steps per counter, so its memory does not grow with the run.
 */
export class LostUpdateDetector {
  /** Lost updates seen. */
  conflicts = 0
  /** The first lost update, with its steps. */
  first: Conflict | undefined
  private readonly keepSteps: number
  private readonly database = new Map<string, number>()
  private readonly lastRead = new Map<string, LastRead>()
  private readonly articles = new Map<number, ArticleSteps>()
  /** The cache keys that exist, and why each absent key went away. */
  private readonly liveKeys = new Set<string>()
  private readonly goneBy = new Map<string, "ttl" | "crash">()

  constructor(options: LostUpdateDetectorOptions = {}) {
    this.keepSteps = options.keepSteps ?? 16
    if (!(Number.isInteger(this.keepSteps) && this.keepSteps >= 2))
      throw new RangeError(`keepSteps must be an integer >= 2, got ${this.keepSteps}`)
  }

  /** Takes one event into account; returns the lost update it reveals, to be recorded (and observed) next. */
  observe(record: Traced<LikeCounterEvent>): LostUpdateSeen | undefined {
    if (record.type === "LostUpdateSeen") {
      this.noteLost(record)
      return undefined
    }
    const created = this.followCache(record)
    const kind = stepKind(record)
    if (kind === undefined) return undefined
    const key = stepKey(record)
    if (record.type === "RowSelected" || (record.type === "CommandExecuted" && record.argv[0] === "EXISTS")) {
      const steps = this.stepsOf(articleOfKey(key))
      this.lastRead.set(record.client, { record, key, seenBefore: [...steps.seen] })
    }
    this.remember(record, kind)
    return this.followDatabase(record) ?? (created ? this.recreatedKey(record) : undefined)
  }

  /** Follows which cache keys exist; true when the record is an HINCRBY that created its key. */
  private followCache(record: Traced<LikeCounterEvent>): boolean {
    if (record.type === "KeyExpired") {
      this.liveKeys.delete(record.key)
      this.goneBy.set(record.key, "ttl")
    } else if (record.type === "KeyspaceLost") {
      for (const key of this.liveKeys) this.goneBy.set(key, "crash")
      this.liveKeys.clear()
    } else if (record.type === "CommandExecuted") {
      const command = cacheCommandOf(record)
      if (command === undefined) return false
      const existed = this.liveKeys.has(command.key)
      const exists =
        command.op === "read"
          ? command.hit
          : command.op === "check"
            ? command.exists
            : command.op === "fill"
              ? existed || command.set
              : command.op === "incr"
                ? existed || command.value !== undefined
                : existed
      if (exists) this.liveKeys.add(command.key)
      else this.liveKeys.delete(command.key)
      return command.op === "incr" && !existed && exists
    }
    return false
  }

  private followDatabase(record: Traced<LikeCounterEvent>): LostUpdateSeen | undefined {
    switch (record.type) {
      case "CountOverwritten": {
        this.database.set(`${record.key}/${record.kind}`, record.value)
        if (record.previous === record.read) return undefined
        const { client, key, kind, value, read } = record
        return {
          type: "LostUpdateSeen",
          client,
          key,
          kind,
          cause: "stale-read",
          value,
          basis: read,
          lostCounts: record.previous - read,
        }
      }
      case "CountAdded":
      case "CountUpserted":
        if (record.value !== null) this.database.set(`${record.key}/${record.kind}`, record.value)
        return undefined
      case "RowInserted":
        if (!record.duplicate) this.database.set(`${record.key}/${record.kind}`, record.value)
        return undefined
      default:
        return undefined
    }
  }

  /** An HINCRBY that created its key: lost when the same client's last check said the key existed. */
  private recreatedKey(record: Traced<LikeCounterEvent>): LostUpdateSeen | undefined {
    const command = record.type === "CommandExecuted" ? cacheCommandOf(record) : undefined
    if (record.type !== "CommandExecuted" || command?.op !== "incr" || command.value === undefined) return undefined
    const read = this.lastRead.get(record.client)?.record
    if (read === undefined || read.type !== "CommandExecuted") return undefined
    const check = cacheCommandOf(read)
    if (check?.op !== "check" || !check.exists || check.key !== command.key) return undefined
    const { key, kind, value } = command
    const truth = this.database.get(`${key}/${kind}`) ?? 0
    return {
      type: "LostUpdateSeen",
      client: record.client,
      key,
      kind,
      cause: this.goneBy.get(key) === "crash" ? "key-lost" : "key-recreated",
      value,
      basis: truth,
      lostCounts: truth - value,
    }
  }

  private remember(record: Traced<LikeCounterEvent>, kind: CounterKind | null): void {
    const key = stepKey(record)
    const steps = this.stepsOf(articleOfKey(key))
    COUNTER_KINDS.forEach((k, i) => {
      if (kind !== null && kind !== k) return
      steps.seen[i]!++
      const recent = steps.recent[i]!
      recent.push(record)
      if (recent.length > this.keepSteps) recent.shift()
    })
  }

  private noteLost(record: Traced<LostUpdateSeen>): void {
    this.conflicts++
    if (this.first !== undefined) return
    const read = this.lastRead.get(record.client)
    const i = COUNTER_KINDS.indexOf(record.kind)
    const steps = this.stepsOf(articleOfKey(record.key))
    const totalSteps = read === undefined ? 1 : steps.seen[i]! - read.seenBefore[i]!
    const recent = steps.recent[i]!
    const shown =
      totalSteps <= this.keepSteps ? recent.slice(-totalSteps) : [read!.record, ...recent.slice(-(this.keepSteps - 1))]
    const article = articleOfKey(record.key)
    this.first = {
      article,
      kind: record.kind,
      client: record.client,
      lostCounts: record.lostCounts,
      steps: shown,
      totalSteps,
      lost: record,
    }
  }

  private stepsOf(article: number): ArticleSteps {
    let steps = this.articles.get(article)
    if (steps === undefined) {
      steps = { seen: COUNTER_KINDS.map(() => 0), recent: COUNTER_KINDS.map(() => []) }
      this.articles.set(article, steps)
    }
    return steps
  }
}

/** True when the tally's final count is one the acknowledged (and maybe-applied) deltas allow. */
export function tallyHolds(tally: CounterTally): boolean {
  return (
    tally.final >= tally.expected + tally.unacknowledgedDown && tally.final <= tally.expected + tally.unacknowledgedUp
  )
}

function describeTally(tally: CounterTally): string {
  const { expected, unacknowledgedUp: up, unacknowledgedDown: down } = tally
  const uncertain = up - down > 0 ? ` (allowed ${expected + down}..${expected + up}: unacknowledged deltas)` : ""
  const counts = `expected ${expected}, final ${tally.final}, lost ${expected - tally.final}`
  return `article ${tally.article} ${tally.kind}: ${counts}${uncertain}`
}

/** `no-lost-counts`: see the file header. */
export function checkNoLostCounts(history: CounterHistory): CounterVerdict {
  const name = "no-lost-counts"
  const counters = history.tallies.length
  const bad = history.tallies.filter((tally) => !tallyHolds(tally))
  if (bad.length === 0) {
    const acknowledged = history.deltas - history.unacknowledged
    return holds(
      name,
      `all ${counters} counters equal the sum of their acknowledged deltas (${acknowledged} acknowledged, ` +
        `${history.unacknowledged} unacknowledged): expected ${history.expected}, final ${history.final}`,
    )
  }
  const shown = bad.slice(0, 3).map(describeTally).join("; ")
  const more = bad.length > 3 ? `; and ${bad.length - 3} more counters` : ""
  return fails(name, `${bad.length} of ${counters} counters are off: ${shown}${more}`)
}

/** Measured and predicted totals of a batch writer agree up to floating-point rounding. */
const RELATIVE_TOLERANCE = 1e-9

/** The cost model's range for a batch size: rows × rowMs + commits × [1 − j, 1 + j] × fsyncMs, in ms. */
export function predictedBatchRange(options: BatchCommitScenarioOptions, batchSize: number): [number, number] {
  const { rows, rowMs, fsyncMs } = options
  const jitter = options.fsyncJitter ?? 0
  return [
    predictedBatchMs({ rows, batchSize, rowMs, fsyncMs: fsyncMs * (1 - jitter) }),
    predictedBatchMs({ rows, batchSize, rowMs, fsyncMs: fsyncMs * (1 + jitter) }),
  ]
}

/** `matches-cost-model`: see the file header. */
export function checkMatchesCostModel(result: BatchCommitResult, options: BatchCommitScenarioOptions): CheckResult {
  const name = "matches-cost-model"
  const off = result.results.filter((r) => {
    const [low, high] = predictedBatchRange(options, r.batchSize)
    const slack = RELATIVE_TOLERANCE * Math.max(1, high)
    return r.totalMs < low - slack || r.totalMs > high + slack
  })
  const first = off[0]
  if (first === undefined) {
    const flushes = `(1 ± ${options.fsyncJitter ?? 0}) × fsyncMs (${result.results.length} batch sizes)`
    return holds(name, `every run took rows × rowMs + ⌈rows / batchSize⌉ flushes of ${flushes}`)
  }
  const allowed = predictedBatchRange(options, first.batchSize).join("..")
  return fails(name, `batch size ${first.batchSize} took ${first.totalMs}ms, the model allows ${allowed}ms`)
}

/** `no-lost-like/<strategy>`: see the file header. */
export function checkNoLostLike(report: StrategyReport, clients: number): CheckResult {
  const name = `no-lost-like/${report.strategy}`
  const { schedules, violatingSchedules, states } = report.enumeration
  if (violatingSchedules === 0) return holds(name, `all ${schedules} interleavings end with like = ${clients}`)
  return fails(
    name,
    `${violatingSchedules} of ${schedules} interleavings lose a like (final states: ${states.join(", ")})`,
  )
}
