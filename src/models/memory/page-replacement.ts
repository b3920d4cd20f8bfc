/**
 * Page replacement as pure functions: a cache of `frames` pages, a reference string, and a policy
 * that picks the victim when a missing page must come in and every frame is taken.
 *
 * Each reference is a hit when the page is resident, otherwise a miss (compulsory misses count);
 * on a miss with every frame taken the policy evicts one page, then the page is loaded. The
 * policies, each a small {@link ReplacementStrategy}:
 *
 * - `fifo`: evict the page loaded earliest; hits change nothing.
 * - `lru`: evict the page referenced least recently; a hit moves the page to the MRU end.
 * - `opt` (Belady's MIN): evict the page whose next use is farthest away (never again = farthest);
 *   among equals the one later in the cache list, as OSTEP's `paging-policy.py` does.
 * - `rand`: OSTEP's: one draw `⌊r·C⌋` picks the index of the victim in the cache list.
 * - `clock`: OSTEP's, which has no hand: it probes random indexes `⌊r·C⌋`, decrementing a page's
 *   use counter while it is ≥ 1, and evicts the first page probed at 0. After every reference the
 *   page's counter becomes 1 if it had none, else counter + 1 capped at `clockBits`.
 * - `second-chance`: the textbook clock: frames in a circle, a hand, one use bit per frame. A hit
 *   sets the bit; a miss clears set bits under the hand and advances until it finds a clear one,
 *   replaces that frame and advances the hand. A loaded page's bit is `useBitOnLoad`.
 * - `lfu`: evict the resident page with the fewest references so far, counted over the whole run
 *   (an evicted page keeps its count); among equals the one loaded earliest.
 *
 * The cache list (`frames` of each {@link PageAccess}) is the policy's own order: FIFO oldest
 * first, LRU least recent first, LFU next victim first, second-chance from the hand; OPT, RAND
 * and CLOCK keep OSTEP's list (new pages appended, an eviction closes the gap). Pages are drawn,
 * like OSTEP's `-a -1`, by {@link randomReferences}, and RAND and CLOCK keep drawing from the same
 * stream (see docs/page-replacement.md).
 *
 * Invariants: the resident set never exceeds `frames`; hits + misses = references; a victim is
 * resident when chosen and is not the page that comes in.
 */

/** The replacement policies, in the order `--help` and the sweep list them. */
export const PAGING_POLICIES = ["fifo", "lru", "opt", "clock", "rand", "second-chance", "lfu"] as const

/** A replacement policy. */
export type PagingPolicy = (typeof PAGING_POLICIES)[number]

/** Where a randomised policy draws from: `next()` in [0, 1) (the kernel's `MersenneTwister`). */
export interface UnitRandom {
  next(): number
}

/** One reference and what it did. */
export interface PageAccess {
  /** The page referenced. */
  readonly page: number
  /** True when the page was resident. */
  readonly hit: boolean
  /** The page evicted to make room, or null. */
  readonly victim: number | null
  /** The resident pages after the reference, in the policy's order. */
  readonly frames: readonly number[]
}

/** Options of {@link simulatePaging}. */
export interface PagingOptions {
  /** The policy. Required. */
  readonly policy: PagingPolicy
  /** Frames (the cache size in pages); an integer >= 1. Required. */
  readonly frames: number
  /** OSTEP CLOCK's largest use counter; an integer >= 0. Default 2. */
  readonly clockBits?: number
  /** Second chance: the use bit a newly loaded page gets, 0 or 1. Default 1. */
  readonly useBitOnLoad?: 0 | 1
  /** The stream RAND and CLOCK draw from. Required for those two; the others draw nothing. */
  readonly random?: UnitRandom
}

/** The outcome of a whole reference string. */
export interface PagingRun {
  readonly hits: number
  readonly misses: number
  readonly accesses: readonly PageAccess[]
}

/** The references OSTEP's `paging-policy.py` draws for `-n count -m maxPage`: each `⌊maxPage·r⌋`. */
export function randomReferences(random: UnitRandom, count: number, maxPage: number): number[] {
  return Array.from({ length: count }, () => Math.floor(maxPage * random.next()))
}

/** A policy's state and decisions; {@link PageCache} does the bookkeeping common to all. */
export interface ReplacementStrategy {
  /** The page at reference `index` is resident: note the hit. */
  hit(page: number, index: number): void
  /** Every frame is taken: remove a victim and return it (reference `index` is coming in). */
  evict(index: number): number
  /** Load the page referenced at `index` (there is room). */
  load(page: number, index: number): void
  /** After every reference, hit or miss. */
  referenced(page: number): void
  /** The resident pages, in the policy's order. */
  order(): number[]
}

/** A cache of `frames` pages under one strategy, fed one reference at a time. */
export class PageCache {
  private readonly resident = new Set<number>()
  private index = 0

  constructor(
    readonly frames: number,
    private readonly strategy: ReplacementStrategy,
  ) {
    if (!Number.isInteger(frames) || frames < 1) throw new RangeError(`frames must be an integer >= 1, got ${frames}`)
  }

  /** References `page` and says what happened, with the resident pages after it. */
  access(page: number): PageAccess {
    const { hit, victim } = this.touch(page)
    return { page, hit, victim, frames: this.strategy.order() }
  }

  /** References `page`: hit or miss, and the victim; without listing the resident pages. */
  touch(page: number): { hit: boolean; victim: number | null } {
    const index = this.index++
    const hit = this.resident.has(page)
    let victim: number | null = null
    if (hit) this.strategy.hit(page, index)
    else {
      if (this.resident.size === this.frames) {
        victim = this.strategy.evict(index)
        this.resident.delete(victim)
      }
      this.strategy.load(page, index)
      this.resident.add(page)
    }
    this.strategy.referenced(page)
    return { hit, victim }
  }
}

/** FIFO (hits change nothing) and LRU (a hit moves the page to the end): evict the head. */
class ListStrategy implements ReplacementStrategy {
  private readonly list: number[] = []
  constructor(private readonly moveOnHit: boolean) {}
  hit(page: number): void {
    if (!this.moveOnHit) return
    this.list.splice(this.list.indexOf(page), 1)
    this.list.push(page)
  }
  evict(): number {
    return this.list.shift()!
  }
  load(page: number): void {
    this.list.push(page)
  }
  referenced(): void {}
  order(): number[] {
    return [...this.list]
  }
}

/** For each reference, the index of the next reference to the same page, or `refs.length`. */
export function nextUses(refs: readonly number[]): number[] {
  const next = new Array<number>(refs.length)
  const seen = new Map<number, number>()
  for (let i = refs.length - 1; i >= 0; i--) {
    next[i] = seen.get(refs[i]!) ?? refs.length
    seen.set(refs[i]!, i)
  }
  return next
}

/** OPT: evict the page used farthest in the future; among equals the later one in the list. */
class OptStrategy implements ReplacementStrategy {
  private readonly list: number[] = []
  private readonly nextUse = new Map<number, number>()
  private readonly next: number[]
  constructor(refs: readonly number[]) {
    this.next = nextUses(refs)
  }
  hit(page: number, index: number): void {
    this.nextUse.set(page, this.next[index]!)
  }
  evict(): number {
    let chosen = 0
    for (let i = 1; i < this.list.length; i++) {
      if (this.nextUse.get(this.list[i]!)! >= this.nextUse.get(this.list[chosen]!)!) chosen = i
    }
    return this.list.splice(chosen, 1)[0]!
  }
  load(page: number, index: number): void {
    this.list.push(page)
    this.nextUse.set(page, this.next[index]!)
  }
  referenced(): void {}
  order(): number[] {
    return [...this.list]
  }
}

/** OSTEP's RAND and CLOCK: the list, the use counters, and the draws. */
class OstepRandomStrategy implements ReplacementStrategy {
  private readonly list: number[] = []
  private readonly counters = new Map<number, number>()
  constructor(
    private readonly clock: boolean,
    private readonly clockBits: number,
    private readonly random: UnitRandom,
  ) {}
  hit(): void {}
  evict(): number {
    const count = this.list.length
    if (!this.clock) return this.list.splice(Math.floor(this.random.next() * count), 1)[0]!
    for (;;) {
      const index = Math.floor(this.random.next() * count)
      const page = this.list[index]!
      const counter = this.counters.get(page)!
      if (counter >= 1) this.counters.set(page, counter - 1)
      else {
        this.list.splice(index, 1)
        this.counters.delete(page)
        return page
      }
    }
  }
  load(page: number): void {
    this.list.push(page)
  }
  referenced(page: number): void {
    const counter = this.counters.get(page)
    this.counters.set(page, counter === undefined ? 1 : Math.min(counter + 1, this.clockBits))
  }
  order(): number[] {
    return [...this.list]
  }
}

/** The textbook clock: a circle of frames, a hand, a use bit per frame. */
class SecondChanceStrategy implements ReplacementStrategy {
  private readonly slots: number[] = []
  private readonly bits: number[] = []
  private hand = 0
  constructor(
    private readonly frames: number,
    private readonly useBitOnLoad: 0 | 1,
  ) {}
  hit(page: number): void {
    this.bits[this.slots.indexOf(page)] = 1
  }
  evict(): number {
    while (this.bits[this.hand] === 1) {
      this.bits[this.hand] = 0
      this.hand = (this.hand + 1) % this.frames
    }
    return this.slots[this.hand]!
  }
  load(page: number): void {
    // Not full: the hand stands on the first empty frame (frames fill in order from 0).
    this.slots[this.hand] = page
    this.bits[this.hand] = this.useBitOnLoad
    this.hand = (this.hand + 1) % this.frames
  }
  referenced(): void {}
  order(): number[] {
    const n = this.slots.length
    return Array.from({ length: n }, (_, i) => this.slots[(this.hand + i) % n]!)
  }
  /** The use bit of each resident page, in {@link order}'s order. */
  useBits(): number[] {
    const n = this.slots.length
    return Array.from({ length: n }, (_, i) => this.bits[(this.hand + i) % n]!)
  }
}

/** LFU over run-long counts; ties go to the page loaded earliest. The list is kept in eviction order. */
class LfuStrategy implements ReplacementStrategy {
  private readonly counts = new Map<number, number>()
  private readonly loadedAt = new Map<number, number>()
  private readonly list: number[] = []
  hit(): void {}
  evict(): number {
    const victim = this.list.shift()!
    this.loadedAt.delete(victim)
    return victim
  }
  load(page: number, index: number): void {
    this.loadedAt.set(page, index)
    this.list.push(page) // placed by `referenced`, which follows
  }
  referenced(page: number): void {
    const count = (this.counts.get(page) ?? 0) + 1
    this.counts.set(page, count)
    this.list.splice(this.list.lastIndexOf(page), 1)
    const loaded = this.loadedAt.get(page)!
    let low = 0
    let high = this.list.length
    while (low < high) {
      const mid = (low + high) >>> 1
      const other = this.list[mid]!
      const c = this.counts.get(other)!
      if (c < count || (c === count && this.loadedAt.get(other)! < loaded)) low = mid + 1
      else high = mid
    }
    this.list.splice(low, 0, page)
  }
  order(): number[] {
    return [...this.list]
  }
}

/** A fresh strategy for `options.policy` over `refs` (OPT reads the future from it). */
export function replacementStrategy(refs: readonly number[], options: PagingOptions): ReplacementStrategy {
  const { policy } = options
  switch (policy) {
    case "fifo":
    case "lru":
      return new ListStrategy(policy === "lru")
    case "opt":
      return new OptStrategy(refs)
    case "clock":
    case "rand": {
      if (options.random === undefined) throw new Error(`policy ${policy} needs a random stream`)
      const clockBits = options.clockBits ?? 2
      if (!Number.isInteger(clockBits) || clockBits < 0)
        throw new RangeError(`clockBits must be an integer >= 0, got ${clockBits}`)
      return new OstepRandomStrategy(policy === "clock", clockBits, options.random)
    }
    case "second-chance":
      return new SecondChanceStrategy(options.frames, options.useBitOnLoad ?? 1)
    case "lfu":
      return new LfuStrategy()
    default: {
      const unknown: never = policy
      throw new Error(`unknown policy ${String(unknown)}`)
    }
  }
}

/** Hits and misses of the whole reference string under one policy, without keeping the accesses. */
export function countPaging(refs: readonly number[], options: PagingOptions): { hits: number; misses: number } {
  const cache = new PageCache(options.frames, replacementStrategy(refs, options))
  let hits = 0
  for (const page of refs) if (cache.touch(page).hit) hits++
  return { hits, misses: refs.length - hits }
}

/** Runs the whole reference string under one policy. */
export function simulatePaging(refs: readonly number[], options: PagingOptions): PagingRun {
  const cache = new PageCache(options.frames, replacementStrategy(refs, options))
  const accesses = refs.map((page) => cache.access(page))
  const hits = accesses.filter((access) => access.hit).length
  return { hits, misses: accesses.length - hits, accesses }
}
