/**
 * Top-K selection, the two ways the ranking job keeps its list (docs/ranking.md, "Top-K"):
 *
 * - Reddit's hot score is static between votes, so it lives in a Redis sorted set (`ZADD` on each
 *   counted vote) and the list is `ZREVRANGE key 0 K−1 WITHSCORES`: O(log n) per vote, O(K) per read.
 * - HN's score decays with age, so the job recomputes it over a bounded window (the most recent
 *   articles) on every run and keeps the best K in a size-K min-heap: O(M log K) per run.
 *
 * Both order as Redis's ZREVRANGE does: score descending, ties by member in descending byte order.
 * {@link fullSortTopK} is the brute force the checks compare with.
 */
import { compareBytes } from "../redis/index.ts"

/** The two ranking formulas. */
export type Formula = "hn" | "reddit"

/** The sorted set of net votes (points) per article. */
export const POINTS_KEY = "ranking:points"
/** The sorted set of Reddit hot scores per article. */
export const HOT_KEY = "ranking:hot"

/** An article and its score. */
export interface Scored {
  readonly id: string
  readonly score: number
}

/** One row of a computed list: the inputs and the score the formula gave them. */
export interface RankedEntry {
  readonly id: string
  /** Net votes (ups − downs), the author's own vote included. */
  readonly points: number
  /** HN: the age at the job's run, in hours. */
  readonly ageHours?: number
  /** Reddit: the creation time, in Unix seconds. */
  readonly createdSeconds?: number
  readonly score: number
}

/** Redis's ZREVRANGE order: -1 when `a` comes first. */
export function rankOrder(a: Scored, b: Scored): number {
  if (a.score !== b.score) return a.score > b.score ? -1 : 1
  return compareBytes(b.id, a.id)
}

/** The best `k` of `items` by sorting them all: the brute force. */
export function fullSortTopK(items: Iterable<Scored>, k: number): Scored[] {
  return [...items].sort(rankOrder).slice(0, k)
}

/** The best `k` of `items` with a size-`k` min-heap (the worst kept item on top), best first. */
export function heapTopK(items: Iterable<Scored>, k: number): Scored[] {
  const heap: Scored[] = []
  if (k <= 0) return heap
  for (const item of items) {
    if (heap.length < k) {
      heap.push(item)
      siftUp(heap, heap.length - 1)
    } else if (rankOrder(item, heap[0]!) < 0) {
      heap[0] = item
      siftDown(heap, 0)
    }
  }
  return heap.sort(rankOrder)
}

/** In the heap, a parent ranks after (is worse than) its children. */
function worse(a: Scored, b: Scored): boolean {
  return rankOrder(a, b) > 0
}

function siftUp(heap: Scored[], index: number): void {
  let i = index
  while (i > 0) {
    const parent = (i - 1) >> 1
    if (!worse(heap[i]!, heap[parent]!)) return
    ;[heap[i], heap[parent]] = [heap[parent]!, heap[i]!]
    i = parent
  }
}

function siftDown(heap: Scored[], index: number): void {
  let i = index
  for (;;) {
    const left = 2 * i + 1
    const right = left + 1
    let worst = i
    if (left < heap.length && worse(heap[left]!, heap[worst]!)) worst = left
    if (right < heap.length && worse(heap[right]!, heap[worst]!)) worst = right
    if (worst === i) return
    ;[heap[i], heap[worst]] = [heap[worst]!, heap[i]!]
    i = worst
  }
}

/** Whether two lists hold the same ids in the same order; otherwise the first difference, in words. */
export function compareLists(got: readonly Scored[], expected: readonly Scored[]): string | null {
  const length = Math.max(got.length, expected.length)
  for (let i = 0; i < length; i++) {
    const a = got[i]
    const b = expected[i]
    if (a?.id !== b?.id) return `rank ${i + 1}: got ${a?.id ?? "nothing"}, a full sort gives ${b?.id ?? "nothing"}`
  }
  return null
}
