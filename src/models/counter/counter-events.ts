/**
 * What happens in the counters model, as typed trace events (past tense, one fact each): the
 * statements the SQL store ran, the deltas the clients sent and got acknowledged, the lost updates
 * an observer saw, the commits of the batch writer and the schedules the lost-update explorer drew.
 * The cache is the shared simulated Redis: its facts are its own events (`RedisEvent`: every command
 * with its reply, keys removed by their TTL, a keyspace lost in a crash). The timeline
 * (`counter-timeline.ts`) and the checks (`counter-checks.ts`) read these and nothing else; network
 * and fault records are `NetEvent`.
 *
 * `key` is an article's key (`article:<n>`), in the database and in Redis alike; `client` is the
 * node that sent the statement or command; values are the counts after the statement ran.
 */
import type { RedisEvent } from "../redis/index.ts"
import type { CounterKind, Counts } from "./sql-store.ts"

/** `SELECT` of an article's row: its counts, or null when there is no (active) row. */
export interface RowSelected {
  readonly type: "RowSelected"
  readonly client: string
  readonly key: string
  readonly counts: Counts | null
}

/**
 * `UPDATE SET kind = value` (an upsert that sets), the write of a client-side read-modify-write:
 * `read` is the value the client says it computed from, `previous` the value the row held.
 */
export interface CountOverwritten {
  readonly type: "CountOverwritten"
  readonly client: string
  readonly key: string
  readonly kind: CounterKind
  readonly value: number
  readonly read: number
  readonly previous: number
}

/** `UPDATE SET kind = kind + delta`: `value` is the new count, null when no row matched. */
export interface CountAdded {
  readonly type: "CountAdded"
  readonly client: string
  readonly key: string
  readonly kind: CounterKind
  readonly delta: number
  readonly value: number | null
}

/** `INSERT (kind = value)`: `duplicate` when the key existed (nothing inserted). */
export interface RowInserted {
  readonly type: "RowInserted"
  readonly client: string
  readonly key: string
  readonly kind: CounterKind
  readonly value: number
  readonly duplicate: boolean
}

/** `INSERT ... ON DUPLICATE KEY UPDATE kind = kind + delta`: `value` is the new count. */
export interface CountUpserted {
  readonly type: "CountUpserted"
  readonly client: string
  readonly key: string
  readonly kind: CounterKind
  readonly delta: number
  readonly inserted: boolean
  readonly value: number
}

/** A client began to apply a delta to a counter (it may never learn whether it applied). */
export interface DeltaStarted {
  readonly type: "DeltaStarted"
  readonly client: string
  readonly article: number
  readonly kind: CounterKind
  readonly delta: number
}

/** The reply of a delta's write reached its client: the delta is acknowledged. */
export interface DeltaAcknowledged {
  readonly type: "DeltaAcknowledged"
  readonly client: string
  readonly article: number
  readonly kind: CounterKind
  readonly delta: number
}

/** A client finished all its operations. */
export interface ClientFinished {
  readonly type: "ClientFinished"
  readonly client: string
}

/**
 * An update lost as it happened, as the observer (`LostUpdateDetector`) saw it from the events
 * above: `stale-read` when a client overwrote a count computed from a read that was out of date
 * (`basis` is the value it read); `key-recreated` when HINCRBY re-created a cache key that expired
 * after the client's EXISTS said yes, `key-lost` when it re-created one the cache lost in a crash
 * meanwhile (`basis` is the database's count then).
 */
export interface LostUpdateSeen {
  readonly type: "LostUpdateSeen"
  readonly client: string
  readonly key: string
  readonly kind: CounterKind
  readonly cause: "stale-read" | "key-recreated" | "key-lost"
  /** The count the write left. */
  readonly value: number
  readonly basis: number
  /** Counts the write destroyed: `previous − read`, or the database's count − `value`. */
  readonly lostCounts: number
}

/** The batch writer committed a transaction of `rows` rows, its `commit`-th (from 1). */
export interface TransactionCommitted {
  readonly type: "TransactionCommitted"
  readonly writer: string
  /** The writer's rows per transaction (the last one may hold fewer). */
  readonly batchSize: number
  readonly commit: number
  readonly rows: number
}

/** The lost-update explorer ran one random schedule of a strategy's race. */
export interface ScheduleSampled {
  readonly type: "ScheduleSampled"
  readonly strategy: string
  /** The final state, `like=<n>`. */
  readonly final: string
  readonly lost: boolean
}

/** The statements the database ran, in the order they ran. */
export type ServerEvent = RowSelected | CountOverwritten | CountAdded | RowInserted | CountUpserted

/** Every event of the like-counter scenario: the database's, the cache's (Redis), the clients' and the observer's. */
export type LikeCounterEvent =
  ServerEvent | RedisEvent | DeltaStarted | DeltaAcknowledged | ClientFinished | LostUpdateSeen

/** Every event of the counters model. */
export type CounterEvent = LikeCounterEvent | TransactionCommitted | ScheduleSampled

/** The article of a key `article:<n>`. */
export function articleOfKey(key: string): number {
  return Number(key.slice("article:".length))
}
