/**
 * Online invariants: named predicates that a model checks right after the events that can change
 * them, recording the first violation with its simulated time.
 *
 * Think of a referee who watches the game live rather than reading the score sheet afterwards:
 * the moment two players hold the ball, the whistle blows and the clock time is written down. A
 * model registers each invariant once (`watch`) and calls `check()` wherever the state the
 * invariants read may have changed (after granting a lease, after a rebalance...). A trace checker
 * (`trace-checks.ts`) is the other referee, who reads the finished trace.
 *
 * Invariants kept: each invariant's first violation is kept exactly as first seen (time, check
 * number, detail); later violations only increase its count. Checks are cheap to call often: a
 * predicate runs only when `check` is called.
 *
 * Left out: automatic re-checking after every kernel event (that would tie invariants to kernel
 * internals and cost time on every event; the model knows which events matter).
 */
import type { Simulation } from "../../kernel/simulation.ts"
import { type CheckResult, fails, holds } from "./check-result.ts"

/**
 * An invariant's predicate: returns `true` when it holds, and `false` or a string naming the
 * offending state (`"a and b both hold the lease"`) when it does not.
 */
export type InvariantPredicate = () => boolean | string

/** The first violation of one invariant. */
export interface InvariantViolation {
  /** The invariant's name. */
  readonly name: string
  /** Simulated time of the first violation. */
  readonly t: number
  /** Which check of this invariant saw it first (1 = the first check). */
  readonly check: number
  /** What the predicate said (or "the predicate returned false"). */
  readonly detail: string
}

/** Options of {@link Invariants}. */
export interface InvariantsOptions {
  /** Call `sim.stop()` at the first violation of any invariant, ending the current `run`. Default false. */
  readonly stopOnViolation?: boolean
  /** Write an `InvariantViolated` trace record `{ name, detail }` at each invariant's first violation. Default true. */
  readonly traceViolations?: boolean
}

interface Watched {
  readonly name: string
  readonly predicate: InvariantPredicate
  checks: number
  violations: number
  first: InvariantViolation | undefined
}

/** A model's set of online invariants. */
export class Invariants {
  private readonly watched: Watched[] = []
  private readonly byName = new Map<string, Watched>()
  private readonly order: InvariantViolation[] = []
  private readonly stopOnViolation: boolean
  private readonly traceViolations: boolean

  constructor(
    private readonly sim: Simulation,
    options: InvariantsOptions = {},
  ) {
    this.stopOnViolation = options.stopOnViolation ?? false
    this.traceViolations = options.traceViolations ?? true
  }

  /**
   * Registers an invariant. Names are unique: watching a name twice throws.
   * @param name - kebab-case, e.g. `at-most-one-leader`
   */
  watch(name: string, predicate: InvariantPredicate): this {
    if (this.byName.has(name)) throw new Error(`invariant "${name}" is already watched`)
    const watched: Watched = { name, predicate, checks: 0, violations: 0, first: undefined }
    this.watched.push(watched)
    this.byName.set(name, watched)
    return this
  }

  /**
   * Evaluates the named invariants (all of them when no name is given) at the current time.
   * @returns true when every evaluated invariant held
   * @throws Error for a name that is not watched
   */
  check(...names: string[]): boolean {
    let ok = true
    if (names.length === 0) {
      for (const watched of this.watched) ok = this.evaluate(watched) && ok
    } else {
      for (const name of names) {
        const watched = this.byName.get(name)
        if (watched === undefined) throw new Error(`invariant "${name}" is not watched`)
        ok = this.evaluate(watched) && ok
      }
    }
    return ok
  }

  /** True once any invariant has been violated. */
  get violated(): boolean {
    return this.order.length > 0
  }

  /** The earliest violation of any invariant, if any. */
  get firstViolation(): InvariantViolation | undefined {
    return this.order[0]
  }

  /** The first violation of each violated invariant, in the order they happened. */
  violations(): readonly InvariantViolation[] {
    return this.order.slice()
  }

  /**
   * One verdict per invariant, in the order they were watched. A violated invariant's detail
   * names the time and the offending state of its first violation and how often it was violated.
   */
  results(): CheckResult[] {
    return this.watched.map((watched) => {
      const first = watched.first
      if (first === undefined) return holds(watched.name, `held at all ${watched.checks} checks`)
      return fails(
        watched.name,
        `first violated at t=${first.t} (check ${first.check} of ${watched.checks}): ${first.detail}; ` +
          `violated at ${watched.violations} of ${watched.checks} checks`,
      )
    })
  }

  private evaluate(watched: Watched): boolean {
    watched.checks++
    const verdict = watched.predicate()
    if (verdict === true) return true
    watched.violations++
    if (watched.first === undefined) {
      const detail = verdict === false ? "the predicate returned false" : verdict
      const violation: InvariantViolation = { name: watched.name, t: this.sim.now, check: watched.checks, detail }
      watched.first = violation
      this.order.push(violation)
      if (this.traceViolations) this.sim.trace.record("InvariantViolated", { name: watched.name, detail })
    }
    if (this.stopOnViolation) this.sim.stop()
    return false
  }
}
