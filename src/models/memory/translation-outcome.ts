/**
 * The run of a translation sim, the same for the four address-translation models (base and bounds,
 * segmentation, a linear page table, a two-level page table): the problem drawn or refused, the
 * MMU run as a {@link TranslationScenario}, and the report's parts — the JSON metrics
 * (`summary()`), the checks, the timeline (one line per translation) and, for a text report only,
 * the sim's sections. The sim adds the simulation's totals (`fromSimulation`) and nothing else.
 */
import type { Advance, CheckResult, JsonValue, LessonSection } from "../../check/core/index.ts"
import type { Simulation } from "../../kernel/index.ts"
import type { MemoryEvent } from "./memory-events.ts"
import { memoryTimeline, type MemoryTimelineLine, memoryTimelineSample } from "./memory-timeline.ts"
import type { DrawResult } from "./problem.ts"
import { TranslationScenario, type TranslationScenarioOptions } from "./translation-scenario.ts"

/** What a translation run reads of the runner's context (its `RunContext` has both). */
export interface TranslationRunContext {
  /** Moves the simulation to its end, with progress. */
  readonly advance: Advance
  /** `"text"` builds the timeline and the sections; `"json"` builds neither. */
  readonly output: "text" | "json"
}

/** Options of {@link runTranslations}: the scenario's, plus what the report is made of. */
export interface TranslationOutcomeOptions<E extends MemoryEvent> extends TranslationScenarioOptions<E> {
  /** What the timeline calls one answer: `"translation"`, or `"walk"` for two levels. Required. */
  readonly noun: string
  /** The checks of the answers, in the order the report lists them. Required. */
  readonly checks: (translations: readonly E[]) => readonly CheckResult[]
  /** The text report's sections, in order; called for a text report only. Required. */
  readonly sections: (translations: readonly E[]) => readonly LessonSection[]
}

/** The parts of a translation sim's outcome besides the simulation's totals. */
export interface TranslationOutcome {
  readonly metrics: { readonly [key: string]: JsonValue }
  readonly checks: readonly CheckResult[]
  readonly timeline: { readonly title: string; readonly entries: readonly MemoryTimelineLine[] }
  readonly sections: readonly LessonSection[]
}

/**
 * Translates `options.addresses` in `sim`, one per time step, and assembles the outcome: metrics
 * from the result's `summary()`, the checks, the timeline (empty for JSON) and the sections (none
 * for JSON).
 */
export function runTranslations<E extends MemoryEvent>(
  sim: Simulation,
  context: TranslationRunContext,
  options: TranslationOutcomeOptions<E>,
): TranslationOutcome {
  const sample = context.output === "text" ? memoryTimelineSample(sim) : undefined
  const result = new TranslationScenario<E>(sim, options).run(context.advance)
  return {
    metrics: result.summary(),
    checks: options.checks(result.translations),
    timeline: memoryTimeline(sample, options.noun),
    sections: context.output === "text" ? options.sections(result.translations) : [],
  }
}

/** `drawn`'s refusal as a sim's `refuse` says it (naming the seed), or undefined when it was drawn. */
export function refusalOf(drawn: DrawResult<unknown>, seed: number): string | undefined {
  return drawn.ok ? undefined : `${drawn.rule} (with --seed ${seed})`
}

/** The drawn problem; a refusal here is a bug (the sim's `refuse` lets no refused problem run). */
export function drawnProblem<P>(drawn: DrawResult<P>): P {
  if (!drawn.ok) throw new Error(`refuse() let a refused problem through: ${drawn.rule}`)
  return drawn.problem
}
