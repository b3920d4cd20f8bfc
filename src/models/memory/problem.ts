/**
 * What the problem generators of the address-translation models return: the drawn problem, or
 * the rule the inputs break (OSTEP prints an error, fails an assertion or loops forever on them;
 * ours refuses them before running, with exit 2 — see docs/memory.md).
 */

/** A refused input: the flags involved and the rule, as one sentence for the reader. */
export interface InputRefusal {
  readonly ok: false
  /** The flags (without dashes) whose values break the rule, e.g. `["base", "limit"]`. */
  readonly flags: readonly string[]
  /** The rule with the values, e.g. `"--base 16000 + --limit 500 = 16500 exceeds the physical memory 16384"`. */
  readonly rule: string
}

/** A problem drawn (or given) and accepted. */
export interface Drawn<P> {
  readonly ok: true
  readonly problem: P
}

/** What a generator returns. */
export type DrawResult<P> = Drawn<P> | InputRefusal

/** A refusal of `flags` for `rule`. */
export function refuse(flags: readonly string[], rule: string): InputRefusal {
  return { ok: false, flags, rule }
}

/** The source of OSTEP's draws: Python's `random.random()` (the kernel's `MersenneTwister`). */
export interface UniformSource {
  /** A uniform number in [0, 1), the next in the stream. */
  next(): number
}

/** Thrown by a {@link budgetedSource} when its draws run out. */
export class DrawBudgetExceeded extends Error {}

/**
 * `source`, drawing at most `maxDraws` numbers: the next draw throws {@link DrawBudgetExceeded}.
 * For a sim's budget only (a search OSTEP would run for hours is refused, not shortened): the
 * problem drawn within the budget is exactly the unbudgeted one.
 */
export function budgetedSource(source: UniformSource, maxDraws: number): UniformSource {
  let left = maxDraws
  return {
    next: () => {
      if (left-- <= 0) throw new DrawBudgetExceeded(`more than ${maxDraws} draws`)
      return source.next()
    },
  }
}

/**
 * `draw(source)` within `maxDraws` draws, or a refusal naming `flags` and the `advice` when it
 * needs more (a search with almost no room, where OSTEP would search for hours).
 */
export function drawWithin<P>(
  maxDraws: number,
  source: UniformSource,
  refusal: { readonly flags: readonly string[]; readonly advice: string },
  draw: (source: UniformSource) => DrawResult<P>,
): DrawResult<P> {
  try {
    return draw(budgetedSource(source, maxDraws))
  } catch (error) {
    if (!(error instanceof DrawBudgetExceeded)) throw error
    return refuse(
      refusal.flags,
      `drawing the problem took more than ${maxDraws.toLocaleString("en-US")} draws (over the run budget); ${refusal.advice}`,
    )
  }
}
