/**
 * What the ranking model records in the trace: each job run (its lease token, the list it
 * computed, or why it failed) and when a node's readers started and stopped serving a stale list.
 * The lock's events and the storage's verdict on each list (`WriteAccepted`, `WriteRejected`) are
 * the lock model's. Votes are not recorded one by one: the
 * Redis commands that count them are (`CommandExecuted`).
 */
import type { Formula, RankedEntry } from "./top-k.ts"

/** `node` started the job of `period` holding the lock with fencing `token`. */
export interface JobStarted {
  readonly type: "JobStarted"
  readonly node: string
  readonly period: number
  readonly token: number
}

/** `node`'s job of `period` computed `list` (best first) at `asOfMs` on its clock, from `candidates` articles. */
export interface TopKComputed {
  readonly type: "TopKComputed"
  readonly node: string
  readonly period: number
  readonly token: number
  readonly formula: Formula
  readonly asOfMs: number
  readonly candidates: number
  readonly list: readonly RankedEntry[]
}

/** `node`'s job of `period` gave up: Redis did not answer (`reason`). */
export interface JobFailed {
  readonly type: "JobFailed"
  readonly node: string
  readonly period: number
  readonly reason: string
}

/** `node`'s readers began serving a list older than the freshness bound: `stalenessMs` old, from `period`. */
export interface ReadersWentStale {
  readonly type: "ReadersWentStale"
  readonly node: string
  readonly period: number
  readonly stalenessMs: number
}

/** `node`'s readers serve a fresh list again (of `period`), after serving stale ones for `staleForMs`. */
export interface ReadersCaughtUp {
  readonly type: "ReadersCaughtUp"
  readonly node: string
  readonly period: number
  readonly staleForMs: number
}

/** Every event of the ranking model. */
export type RankingEvent = JobStarted | TopKComputed | JobFailed | ReadersWentStale | ReadersCaughtUp

const RANKING_TYPES: ReadonlySet<string> = new Set<RankingEvent["type"]>([
  "JobStarted",
  "TopKComputed",
  "JobFailed",
  "ReadersWentStale",
  "ReadersCaughtUp",
])

/** True for an event of the ranking model. */
export function isRankingEvent<E extends { readonly type: string }>(event: E): event is E & RankingEvent {
  return RANKING_TYPES.has(event.type)
}
