/**
 * A garbage-collected heap on simulated time (ms): a mutator allocates at a steady rate, each
 * allocation lives for a random time, and a collector frees the dead ones.
 *
 * Analogy: a kitchen where plates pile up in the sink; a tracing collector washes everything at
 * once when the pile reaches a mark on the wall (stop-the-world: the cooks wait), or while they
 * keep cooking (concurrent); reference counting washes each plate as soon as nobody holds it, but
 * plates that hold each other (cycles) are never washed.
 *
 * - The mutator runs in 1 ms ticks: it allocates `allocBytesPerMs`; each tick's allocation lives
 *   an exponential time (mean `lifetimeMsMean`), on top of a permanent live set of `liveBytes`.
 * - Pacing, as Go's GOGC: after a collection that leaves `marked` bytes, the next one starts when
 *   the heap reaches goal = max(4 MB, marked × (1 + GOGC/100)).
 * - `stw`: the world stops for the whole collection: pause = 0.05 ms + live / `markBytesPerMs`; the
 *   sweep leaves the bytes live when marking started.
 * - `concurrent`: two short pauses (mark start, mark termination; 0.05 ms each) around a marking
 *   phase of live / (`markBytesPerMs` / 4) ms (a quarter of the CPU, as Go's background workers)
 *   while the mutator keeps allocating; what it allocates meanwhile survives this cycle (it is
 *   marked), so the heap overshoots the goal. (Go starts marking before the goal so that it ends
 *   near it; this model starts at the goal, so the overshoot shows.)
 * - `refcount`: no collections and no pauses: each tick's allocation is freed the moment it dies,
 *   except the share `cycleFraction` that sits in reference cycles, which is never freed (leaked).
 *
 * Invariants: the heap is never smaller than the live bytes (no live object is freed); with `stw`
 * the heap never exceeds the goal by more than one tick's allocation.
 * Left out: generations, heap fragmentation, assist credit, the pause's dependence on stacks.
 */
import type { ProcessGenerator, Simulation, TraceOf } from "../../kernel/index.ts"
import type { GcEvent } from "./gc-events.ts"

/** The collectors. */
export type Collector = "stw" | "concurrent" | "refcount"

/** The collectors, in the order `--help` lists them. */
export const COLLECTORS: readonly Collector[] = ["stw", "concurrent", "refcount"]

/** Go's smallest heap goal: 4 MB. */
export const MIN_GOAL_BYTES = 4 * 1024 * 1024
/** A short stop-the-world pause: the fixed part of every pause (ms). */
export const FIXED_PAUSE_MS = 0.05
/** Milliseconds between heap samples (the chart's resolution). */
export const SAMPLE_EVERY_MS = 10

/** Options of a {@link GcHeap}; every field has a default. */
export interface GcHeapOptions {
  /** The collector. Default `stw`. */
  readonly collector?: Collector
  /** GOGC: the heap may grow this many percent over the live heap before the next collection. Default 100. */
  readonly gogc?: number
  /** Bytes allocated per ms. Default 100,000 (100 MB/s). */
  readonly allocBytesPerMs?: number
  /** Mean lifetime of an allocation, ms (exponential). Default 50. */
  readonly lifetimeMsMean?: number
  /** Permanent live set, bytes. Default 20 MB (20 × 2^20). */
  readonly liveBytes?: number
  /** Marking speed, bytes per ms of a whole CPU. Default 1 MB (2^20) per ms. */
  readonly markBytesPerMs?: number
  /** Share of each allocation in reference cycles (refcount leaks it when it dies). Default 0.05. */
  readonly cycleFraction?: number
  /** How long the mutator runs, ms. Default 2,000. */
  readonly durationMs?: number
}

/** A stop-the-world interval. */
export interface Pause {
  readonly startMs: number
  readonly endMs: number
}

/** What a finished run measured. */
export interface GcHeapResult {
  readonly collections: number
  readonly pauses: readonly Pause[]
  readonly peakHeapBytes: number
  readonly leakedBytes: number
  /** The heap every {@link SAMPLE_EVERY_MS} ms: time, heap, live, goal. */
  readonly samples: readonly { t: number; heapBytes: number; liveBytes: number; goalBytes: number }[]
  /** Each collection: when, heap and live at its start, its goal, its pauses' total. */
  readonly cycles: readonly {
    startMs: number
    heapBytes: number
    liveBytes: number
    goalBytes: number
    pauseMs: number
  }[]
  /** Ticks where the heap was below the live bytes (a collector freed a live object); empty when healthy. */
  readonly liveFreedAt: readonly number[]
  /** The most the heap exceeded the goal at any tick, bytes. */
  readonly maxOvershootBytes: number
}

/** The heap, its mutator and its collector (see the file header). */
export class GcHeap {
  private readonly options: Required<GcHeapOptions>
  private heap: number
  private dynamicLive = 0
  private leaked = 0
  private goal: number
  private readonly deaths = new Map<number, number>()
  private readonly pauses: Pause[] = []
  private readonly cycles: {
    startMs: number
    heapBytes: number
    liveBytes: number
    goalBytes: number
    pauseMs: number
  }[] = []
  private readonly samples: { t: number; heapBytes: number; liveBytes: number; goalBytes: number }[] = []
  private readonly liveFreedAt: number[] = []
  private peak: number
  private overshoot = 0
  private processedMs = 0
  private nextSampleMs = 0
  private marking = false
  private stoppedUntilMs = 0

  constructor(
    private readonly sim: Simulation,
    private readonly trace: TraceOf<GcEvent>,
    options: GcHeapOptions = {},
  ) {
    this.options = {
      collector: options.collector ?? "stw",
      gogc: options.gogc ?? 100,
      allocBytesPerMs: options.allocBytesPerMs ?? 100_000,
      lifetimeMsMean: options.lifetimeMsMean ?? 50,
      liveBytes: options.liveBytes ?? 20 * 2 ** 20,
      markBytesPerMs: options.markBytesPerMs ?? 2 ** 20,
      cycleFraction: options.cycleFraction ?? 0.05,
      durationMs: options.durationMs ?? 2_000,
    }
    this.heap = this.options.liveBytes
    this.peak = this.heap
    this.goal = this.goalAfter(this.heap)
    sim.spawn(this.mutator(), "mutator")
  }

  private get live(): number {
    return this.options.liveBytes + this.dynamicLive
  }

  private goalAfter(marked: number): number {
    return Math.max(MIN_GOAL_BYTES, marked * (1 + this.options.gogc / 100))
  }

  /**
   * Ages the heap to now: allocations whose death time has come die (refcount frees them), in
   * order of death. After a long pause (a stop-the-world of 10^9 ms at a slow marking speed) it
   * visits the pending deaths rather than every millisecond, so its cost follows the allocations,
   * not the simulated time.
   */
  private age(): void {
    const now = Math.floor(this.sim.now)
    const due =
      now - this.processedMs <= this.deaths.size
        ? Array.from({ length: Math.max(0, now - this.processedMs) }, (_, i) => this.processedMs + 1 + i)
        : [...this.deaths.keys()].filter((ms) => ms > this.processedMs && ms <= now).sort((a, b) => a - b)
    for (const ms of due) {
      const dying = this.deaths.get(ms)
      if (dying === undefined) continue
      this.deaths.delete(ms)
      this.dynamicLive -= dying
      if (this.options.collector === "refcount") {
        const cyclic = Math.round(dying * this.options.cycleFraction)
        this.leaked += cyclic
        this.heap -= dying - cyclic
      }
    }
    this.processedMs = Math.max(this.processedMs, Math.floor(this.sim.now))
  }

  private allocate(random: { exponential(rate: number): number }): void {
    const bytes = this.options.allocBytesPerMs
    const deathMs = Math.floor(this.sim.now) + 1 + Math.floor(random.exponential(1 / this.options.lifetimeMsMean))
    this.deaths.set(deathMs, (this.deaths.get(deathMs) ?? 0) + bytes)
    this.dynamicLive += bytes
    this.heap += bytes
    this.peak = Math.max(this.peak, this.heap)
    if (this.options.collector !== "refcount") this.overshoot = Math.max(this.overshoot, this.heap - this.goal)
    if (this.heap < this.live - 1e-6) this.liveFreedAt.push(this.sim.now)
  }

  private sample(): void {
    const event = { type: "HeapSampled", heapBytes: this.heap, liveBytes: this.live, leakedBytes: this.leaked } as const
    this.trace.record(event)
    this.samples.push({ t: this.sim.now, heapBytes: this.heap, liveBytes: this.live, goalBytes: this.goal })
  }

  /** One tick per ms: age, sample, collect when the heap reached its goal, allocate; waits out pauses. */
  private *mutator(): ProcessGenerator<void> {
    const random = this.sim.random("lifetimes")
    while (this.sim.now < this.options.durationMs) {
      if (this.sim.now < this.stoppedUntilMs) yield* this.sim.sleep(this.stoppedUntilMs - this.sim.now)
      this.age()
      while (this.sim.now >= this.nextSampleMs) {
        this.sample()
        this.nextSampleMs += SAMPLE_EVERY_MS
      }
      if (this.options.collector === "stw" && this.heap >= this.goal) yield* this.stopTheWorld()
      else if (this.options.collector === "concurrent" && !this.marking && this.heap >= this.goal)
        yield* this.startConcurrent()
      this.allocate(random)
      yield* this.sim.sleep(1)
    }
    this.age()
  }

  private startCycle(): number {
    const cycle = this.cycles.length + 1
    this.trace.record({ type: "GcStarted", cycle, heapBytes: this.heap, liveBytes: this.live, goalBytes: this.goal })
    this.cycles.push({
      startMs: this.sim.now,
      heapBytes: this.heap,
      liveBytes: this.live,
      goalBytes: this.goal,
      pauseMs: 0,
    })
    return cycle
  }

  private *pause(
    cycle: number,
    phase: "mark" | "mark-start" | "mark-termination",
    pauseMs: number,
  ): ProcessGenerator<void> {
    this.trace.record({ type: "WorldStopped", cycle, phase, pauseMs })
    this.pauses.push({ startMs: this.sim.now, endMs: this.sim.now + pauseMs })
    this.cycles[cycle - 1]!.pauseMs += pauseMs
    this.stoppedUntilMs = this.sim.now + pauseMs
    yield* this.sim.sleep(pauseMs)
  }

  private finish(cycle: number, marked: number): void {
    const freed = this.heap - marked
    this.heap = marked
    this.goal = this.goalAfter(marked)
    this.trace.record({ type: "GcFinished", cycle, heapBytes: this.heap, freedBytes: freed, nextGoalBytes: this.goal })
  }

  private *stopTheWorld(): ProcessGenerator<void> {
    const cycle = this.startCycle()
    const marked = this.live
    yield* this.pause(cycle, "mark", FIXED_PAUSE_MS + marked / this.options.markBytesPerMs)
    this.age()
    this.finish(cycle, marked)
  }

  private *startConcurrent(): ProcessGenerator<void> {
    const cycle = this.startCycle()
    const liveAtStart = this.live
    const heapAtStart = this.heap
    this.marking = true
    yield* this.pause(cycle, "mark-start", FIXED_PAUSE_MS)
    const markMs = liveAtStart / (this.options.markBytesPerMs / 4)
    this.sim.spawn(this.concurrentMark(cycle, liveAtStart, heapAtStart, markMs), "mark-workers")
  }

  /** Background marking: after `markMs`, the mark-termination pause and the sweep. */
  private *concurrentMark(
    cycle: number,
    liveAtStart: number,
    heapAtStart: number,
    markMs: number,
  ): ProcessGenerator<void> {
    yield* this.sim.sleep(markMs)
    yield* this.pause(cycle, "mark-termination", FIXED_PAUSE_MS)
    this.age()
    this.finish(cycle, liveAtStart + (this.heap - heapAtStart))
    this.marking = false
  }

  /** What the run measured (read after the simulation ran). */
  result(): GcHeapResult {
    return {
      collections: this.cycles.length,
      pauses: this.pauses,
      peakHeapBytes: this.peak,
      leakedBytes: this.leaked,
      samples: this.samples,
      cycles: this.cycles,
      liveFreedAt: this.liveFreedAt,
      maxOvershootBytes: this.overshoot,
    }
  }
}
