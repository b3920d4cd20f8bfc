/**
 * A translation run in the scenario shape, the same for the four address-translation models: an
 * MMU process translates the problem's addresses one per time step (address i at t = i) and
 * records each answer as a typed event. `run(advance)` returns the recorded events and
 * `summary()`, the sim's JSON metrics: the problem's registers or tables, then `translations` (each
 * event projected to the sim's row) and the count of the faults under the sim's name for it.
 */
import type { Advance, JsonValue, Scenario, ScenarioResult } from "../../check/core/index.ts"
import { runUntil } from "../../check/core/index.ts"
import type { Simulation, TraceOf } from "../../kernel/index.ts"
import type { MemoryEvent } from "./memory-events.ts"

/** Options of a {@link TranslationScenario}. */
export interface TranslationScenarioOptions<E extends MemoryEvent> {
  /** The virtual addresses, in order. Required. */
  readonly addresses: readonly number[]
  /** The MMU: the event recording the answer for one address. Required. */
  readonly translate: (virtual: number) => E
  /** The JSON row of one answer in `translations`. Required. */
  readonly row: (event: E) => { readonly [field: string]: JsonValue }
  /** True when an answer is a fault (a violation, an invalid page). Required. */
  readonly faulted: (event: E) => boolean
  /** The summary's fields before `translations` (registers, tables). Default: none. */
  readonly registers?: { readonly [metric: string]: JsonValue }
  /** The summary's name for the count of faults (`violations`, `invalid`, `faults`). Required. */
  readonly faultCount: string
}

/** A finished translation run. */
export interface TranslationResult<E extends MemoryEvent> extends ScenarioResult {
  /** One event per address, in order. */
  readonly translations: readonly E[]
  /** How many faulted. */
  readonly faults: number
}

/** An MMU translating a list of addresses, wired in `sim` at time 0. */
export class TranslationScenario<E extends MemoryEvent> implements Scenario<TranslationResult<E>> {
  private readonly translations: E[] = []

  constructor(
    readonly sim: Simulation,
    private readonly options: TranslationScenarioOptions<E>,
  ) {
    const trace: TraceOf<MemoryEvent> = sim.trace
    const { addresses, translate } = options
    const answers = this.translations
    sim.spawn(
      (function* mmu() {
        for (const [i, virtual] of addresses.entries()) {
          if (i > 0) yield* sim.sleep(1)
          const event = translate(virtual)
          trace.record(event)
          answers.push(event)
        }
      })(),
      "mmu",
    )
  }

  /** Translates every address, one time step each. */
  run(advance: Advance = runUntil): TranslationResult<E> {
    advance(this.sim, Infinity)
    const { faulted, faultCount, row, registers = {} } = this.options
    const translations = this.translations
    const faults = translations.filter(faulted).length
    return {
      translations,
      faults,
      summary: () => ({ ...registers, translations: translations.map(row), [faultCount]: faults }),
    }
  }
}
