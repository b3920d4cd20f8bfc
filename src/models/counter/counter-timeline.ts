/**
 * The counters model's events in words, one line per record: statements and cache commands as a
 * client sent them (`c3 UPDATE article:1 SET read = 1 (it read 0; the row holds 1)`), expiries, lost
 * updates with their cause, commits of the batch writer; faults in the network layer's voice
 * (`describeFaultEvent`). Messages, cache reads and the clients' own bookkeeping (deltas started
 * and acknowledged) get no line: they would drown the story.
 */
import { formatCount, type Traced } from "../../kernel/index.ts"
import { describeFaultEvent, isFaultEvent, isNetEvent, type NetEvent } from "../../net/index.ts"
import type { Strategy } from "./counter-client.ts"
import type { CounterEvent, LostUpdateSeen } from "./counter-events.ts"
import { raceActorOf, type RaceRun, type RaceStep } from "./lost-update-race.ts"
import { COUNTER_KINDS, type Counts } from "./sql-store.ts"

/** The timeline line of a record, or undefined when the timeline leaves it out. */
export function counterTimelineLine(record: Traced<CounterEvent | NetEvent>): string | undefined {
  if (isNetEvent(record)) return isFaultEvent(record) ? describeFaultEvent(record) : undefined
  return describeCounterEvent(record)
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
    case "CacheFilled": {
      const { client, key, ttlMs } = event
      return `${client} fills ${key} (${countsText(event.counts)}) for ${ttlMs}ms: ${event.set ? "set" : "already there"}`
    }
    case "CacheKeyChecked":
      return `${event.client} EXISTS ${event.key}: ${event.exists ? "yes" : "no"}`
    case "CacheScriptRan": {
      const outcome =
        event.value === null ? "absent, skipped" : `HINCRBY ${event.kind} ${sign(event.delta)} = ${event.value}`
      return `${event.client} script: ${event.key} ${outcome}`
    }
    case "CacheIncremented": {
      const created = event.created ? " (key created, no TTL)" : ""
      return `${event.client} HINCRBY ${event.key} ${event.kind} ${sign(event.delta)} = ${event.value}${created}`
    }
    case "CacheEntryExpired":
      return `${event.key} expired (its TTL ran out at t=${Number(event.expiredAtMs.toFixed(1))}ms)`
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
    case "CacheRead":
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
  return `${key} expired between ${client}'s EXISTS and its HINCRBY: ${holding}`
}

/**
 * A step of the smallest race (`lost-update-race.ts`) in the words of its lane, without the key
 * (there is one article) or the actor: `SELECT like → 0`. The write-through strategies' upsert
 * reads `UPSERT like + 1 (database)`; only the client-side check marks a key re-created by HINCRBY.
 */
export function describeRaceStep(step: RaceStep, strategy: Strategy): string {
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
    case "CacheKeyChecked":
      return `EXISTS → ${step.exists ? "yes" : "no"}`
    case "CacheScriptRan":
      return step.value === null
        ? "script: key absent, skipped"
        : `script: HINCRBY ${step.kind} ${step.delta} → ${step.value}`
    case "CacheIncremented": {
      const recreated = strategy === "cache-check-then-incr" && step.created ? " (key re-created, no TTL)" : ""
      return `HINCRBY ${step.kind} ${step.delta} → ${step.value}${recreated}`
    }
    case "CacheEntryExpired":
      return "the cache entry expires"
    default:
      return unreachable(step)
  }
}

/** A race's steps as `<actor>: <words>` lines, in order: `A: SELECT like → 0`. */
export function raceLog(run: RaceRun, strategy: Strategy): string[] {
  return run.steps.map((step) => `${raceActorOf(step)}: ${describeRaceStep(step, strategy)}`)
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
