/**
 * A page-replacement run in the scenario shape: `new PagingScenario(sim, options)` starts a kernel
 * process that makes one reference per time unit (reference i at t = i) through a
 * {@link PageCache} and records each as a `PageHit` or `PageFaulted`; `run(advance)` returns the
 * {@link PagingResult}, whose `summary()` is the paging sim's JSON metrics.
 */
import type { Advance, JsonValue, Scenario, ScenarioResult } from "../../check/core/index.ts"
import { runUntil } from "../../check/core/index.ts"
import type { ProcessGenerator, Simulation, TraceOf } from "../../kernel/index.ts"
import { type PageAccess, PageCache, type PagingOptions, replacementStrategy } from "./page-replacement.ts"
import type { PagingEvent } from "./paging-events.ts"

/** Options of a {@link PagingScenario}: the reference string and the policy's options. */
export interface PagingScenarioOptions extends PagingOptions {
  /** The pages referenced, in order; at least one. Required. */
  readonly refs: readonly number[]
}

/** A finished run: the inputs, every access, the totals, and `summary()`. */
export interface PagingResult extends ScenarioResult {
  readonly policy: PagingOptions["policy"]
  readonly frames: number
  readonly refs: readonly number[]
  readonly accesses: readonly PageAccess[]
  readonly hits: number
  readonly misses: number
  /** hits / references. */
  readonly hitRate: number
}

/** The paging sim's JSON metrics of a run: hits, misses, hit rate, the string and every access. */
export function pagingSummary(result: Omit<PagingResult, "summary">): { readonly [metric: string]: JsonValue } {
  return {
    hits: result.hits,
    misses: result.misses,
    hitRate: result.hitRate,
    refs: result.refs,
    accesses: result.accesses.map(({ page, hit, victim, frames }) => ({ page, hit, victim, frames })),
  }
}

/** One cache under one policy, fed the reference string one reference per time unit. */
export class PagingScenario implements Scenario<PagingResult> {
  private readonly accesses: PageAccess[] = []

  /** @throws RangeError on an empty string or a bad frame count or clock bits */
  constructor(
    readonly sim: Simulation,
    private readonly options: PagingScenarioOptions,
  ) {
    if (options.refs.length === 0) throw new RangeError("a reference string needs at least one reference")
    const cache = new PageCache(options.frames, replacementStrategy(options.refs, options))
    sim.spawn(this.references(cache, sim.trace), "references")
  }

  private *references(cache: PageCache, trace: TraceOf<PagingEvent>): ProcessGenerator<void> {
    for (const [index, page] of this.options.refs.entries()) {
      const access = cache.access(page)
      this.accesses.push(access)
      if (access.hit) trace.record({ type: "PageHit", index, page, frames: access.frames })
      else trace.record({ type: "PageFaulted", index, page, victim: access.victim, frames: access.frames })
      if (index < this.options.refs.length - 1) yield* this.sim.sleep(1)
    }
  }

  /**
   * Runs every reference.
   * @throws Error when `advance` stopped before the last reference
   */
  run(advance: Advance = runUntil): PagingResult {
    advance(this.sim, Infinity)
    if (this.accesses.length !== this.options.refs.length)
      throw new Error(`the run stopped after ${this.accesses.length} of ${this.options.refs.length} references`)
    const hits = this.accesses.filter((access) => access.hit).length
    const result = {
      policy: this.options.policy,
      frames: this.options.frames,
      refs: this.options.refs,
      accesses: this.accesses,
      hits,
      misses: this.accesses.length - hits,
      hitRate: hits / this.accesses.length,
    }
    return { ...result, summary: () => pagingSummary(result) }
  }
}
