/**
 * The counters model's events in words, one line per record: statements as a client sent them
 * (`c3 UPDATE article:1 SET read = 1 (it read 0; the row holds 1)`), cache commands in Redis's
 * own words (`c3> HINCRBY article:1 like 1  →  (integer) 5`, from `redis-timeline.ts`), expiries,
 * lost updates with their cause, commits of the batch writer; faults in the network layer's voice
 * (`describeFaultEvent`). Messages, cache reads (`HGETALL`) and the clients' own bookkeeping
 * (deltas started and acknowledged) get no line: they would drown the story.
 */
import { formatCount, type Traced } from "../../kernel/index.ts"
import { describeFaultEvent, isFaultEvent, isNetEvent, type NetEvent } from "../../net/index.ts"
import { type CommandExecuted, redisTimeline } from "../redis/index.ts"
import { cacheCommandOf } from "./counter-cache.ts"
import type { Strategy } from "./counter-client.ts"
import type { CounterEvent, LostUpdateSeen } from "./counter-events.ts"
import { raceActorOf, type RaceRun, raceStartsCached, type RaceStep } from "./lost-update-race.ts"
import { COUNTER_KINDS, type Counts } from "./sql-store.ts"

/** The timeline line of a record, or undefined when the timeline leaves it out. */
export function counterTimelineLine(record: Traced<CounterEvent | NetEvent>): string | undefined {
  if (isNetEvent(record)) return isFaultEvent(record) ? describeFaultEvent(record) : undefined
  switch (record.type) {
    case "CommandExecuted":
      return cacheCommandOf(record)?.op === "read" ? undefined : redisTimeline(record)
    case "KeyExpired":
    case "KeyspaceLost":
      return redisTimeline(record)
    default:
      return describeCounterEvent(record)
  }
}

/** The words for one counters event (without its time), or undefined for an event left out. */
export function describeCounterEvent(event: CounterEvent): string | undefined {
  switch (event.type) {
    case "RowSelected":
      return `${event.client} SELECT ${event.key}: ${event.counts === null ? "no row" : countsText(event.counts)}`
    case "CountOverwritten": {
      const { client, key, kind, value } = event
      return `${client} UPDATE ${key} SET ${kind} = ${value} (it read ${event.read}; the row holds ${event.previous})`
    }
    case "CountAdded": {
      const { client, key, kind } = event
      const rows = event.value === null ? 0 : 1
      const operator = `${event.delta >= 0 ? "+" : "-"} ${Math.abs(event.delta)}`
      return `${client} UPDATE ${key} SET ${kind} = ${kind} ${operator}: ${rows} row${rows === 1 ? "" : "s"}`
    }
    case "RowInserted": {
      const { client, key, kind, value } = event
      return `${client} INSERT ${key} ${kind} = ${value}: ${event.duplicate ? "duplicate key" : "ok"}`
    }
    case "CountUpserted": {
      const { client, key, kind, delta } = event
      return `${client} UPSERT ${key} ${kind} ${sign(delta)}: ${event.inserted ? "inserted" : "updated"}`
    }
    case "CommandExecuted":
      return cacheCommandOf(event)?.op === "read" ? undefined : redisTimeline({ t: 0, seq: 0, ...event })
    case "KeyExpired":
    case "KeyspaceLost":
      return redisTimeline({ t: 0, seq: 0, ...event })
    case "LostUpdateSeen":
      return `LOST: ${explainLostUpdate(event)}`
    case "ClientFinished":
      return `${event.client} finished its operations`
    case "TransactionCommitted": {
      if (event.batchSize === 1) return `one commit per row: commit ${event.commit} (1 row)`
      const rows = `${formatCount(event.rows)} row${event.rows === 1 ? "" : "s"}`
      return `batches of ${event.batchSize}: commit ${event.commit} (${rows})`
    }
    case "ScheduleSampled":
      return `${event.strategy}: a random schedule ended with ${event.final}${event.lost ? ", a like lost" : ""}`
    case "DeltaStarted":
    case "DeltaAcknowledged":
      return undefined
    default:
      return unreachable(event)
  }
}

/** One sentence: how the update was lost. */
export function explainLostUpdate(event: LostUpdateSeen): string {
  const { client, key, value, basis, lostCounts } = event
  if (event.cause === "stale-read") {
    const updates = `${lostCounts} update${Math.abs(lostCounts) === 1 ? "" : "s"}`
    return `${client} computed ${value} from a stale read of ${basis}: its write erased ${updates} made since`
  }
  const holding = `the key is back holding ${value} instead of ${basis}, with no TTL, so it never heals`
  const gone = event.cause === "key-lost" ? "was lost in the cache's crash" : "expired"
  return `${key} ${gone} between ${client}'s EXISTS and its HINCRBY: ${holding}`
}

/**
 * A step of the smallest race (`lost-update-race.ts`) in the words of its lane, without the key
 * (there is one article) or the actor: `SELECT like → 0`. The write-through strategies' upsert
 * reads `UPSERT like + 1 (database)`; only the client-side check marks a key re-created by HINCRBY
 * (`created`: the key did not exist before that HINCRBY).
 */
export function describeRaceStep(step: RaceStep, strategy: Strategy, created = false): string {
  switch (step.type) {
    case "RowSelected":
      return `SELECT like → ${step.counts?.like ?? 0}`
    case "CountOverwritten":
      return `UPDATE SET ${step.kind} = ${step.value}`
    case "CountAdded":
      return `UPDATE ${step.kind} = ${step.kind} + ${step.delta} → ${step.value === null ? 0 : 1} row`
    case "RowInserted":
      return `INSERT ${step.kind} = ${step.value} → ${step.duplicate ? "duplicate key" : "ok"}`
    case "CountUpserted":
      return strategy === "upsert"
        ? `UPSERT ${step.kind} + ${step.delta} → ${step.inserted ? "inserted" : "updated"}`
        : `UPSERT ${step.kind} + ${step.delta} (database)`
    case "CommandExecuted":
      return describeRaceCommand(step, strategy, created)
    case "KeyExpired":
      return "the cache entry expires"
    default:
      return unreachable(step)
  }
}

function describeRaceCommand(step: CommandExecuted, strategy: Strategy, created: boolean): string {
  const command = cacheCommandOf(step)
  const delta = step.argv[step.argv[0] === "FCALL" ? 5 : 3]
  switch (command?.op) {
    case "check":
      return `EXISTS → ${command.exists ? "yes" : "no"}`
    case "script":
      return command.value === undefined
        ? "script: key absent, skipped"
        : `script: HINCRBY ${command.kind} ${delta} → ${command.value}`
    case "incr": {
      const recreated = strategy === "cache-check-then-incr" && created ? " (key re-created, no TTL)" : ""
      return `HINCRBY ${command.kind} ${delta} → ${command.value}${recreated}`
    }
    default:
      return redisTimeline({ t: 0, seq: 0, ...step }) ?? step.argv.join(" ")
  }
}

/** Each step of a race in words (see {@link describeRaceStep}), following whether the cache key exists. */
export function describeRaceSteps(run: RaceRun, strategy: Strategy): string[] {
  let live = raceStartsCached(strategy)
  return run.steps.map((step) => {
    const command = step.type === "CommandExecuted" ? cacheCommandOf(step) : undefined
    const created = command?.op === "incr" && !live
    if (step.type === "KeyExpired") live = false
    else if (command?.op === "incr" || (command?.op === "fill" && command.set)) live = true
    return describeRaceStep(step, strategy, created)
  })
}

/** A race's steps as `<actor>: <words>` lines, in order: `A: SELECT like → 0`. */
export function raceLog(run: RaceRun, strategy: Strategy): string[] {
  const words = describeRaceSteps(run, strategy)
  return run.steps.map((step, i) => `${raceActorOf(step)}: ${words[i]}`)
}

function countsText(counts: Counts): string {
  return COUNTER_KINDS.map((kind) => `${kind}=${counts[kind]}`).join(" ")
}

function sign(delta: number): string {
  return delta >= 0 ? `+${delta}` : `${delta}`
}

function unreachable(event: never): never {
  throw new Error(`no timeline line for ${JSON.stringify(event)}`)
}
