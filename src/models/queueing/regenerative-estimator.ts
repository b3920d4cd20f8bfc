/**
 * The regenerative method: an honest error bar for the mean of correlated observations.
 *
 * Successive waits in a queue are strongly correlated (a customer behind a long queue is followed
 * by another behind a long queue), so the textbook `σ/√n` understates the uncertainty of their
 * mean, by a factor of ten and more near saturation. But an M/M/c queue forgets its past every
 * time an arrival finds it empty: from that instant the future is a fresh copy of the process
 * (Poisson arrivals and exponential services are memoryless). The stretches between such instants
 * — regeneration cycles — are independent and identically distributed. Per cycle `i`, let `Y_i` be
 * the sum of the observations and `N_i` their count; the mean is the ratio `r = ΣY / ΣN`, and its
 * standard error comes from the independent cycles:
 *
 *   SE(r) = sqrt( Σ (Y_i − r·N_i)² / (k − 1) ) / ( N̄ · √k ),   with k cycles and N̄ = ΣN / k.
 *
 * This is the classical ratio estimator (Crane & Iglehart 1975; Asmussen & Glynn, *Stochastic
 * Simulation*, ch. IV). A run that starts empty starts a cycle, so there is no warm-up bias to cut.
 *
 * Left out on purpose: the O(1/k) bias correction of the ratio (negligible with the hundreds of
 * cycles a run has) and confidence levels other than what the caller multiplies SE by.
 */

/** The estimate of a mean with its regenerative standard error. */
export interface RegenerativeEstimate {
  /** The mean of every observation, `ΣY / ΣN`; NaN when there are none. */
  readonly mean: number
  /** Standard error of the mean from the spread of the cycles; NaN with fewer than 2 cycles. */
  readonly standardError: number
  /** Number of regeneration cycles `k` that had at least one observation. */
  readonly cycles: number
  /** Number of observations `ΣN`. */
  readonly count: number
}

/** Accumulates observations cycle by cycle; call {@link startCycle} at each regeneration point. */
export class RegenerativeEstimator {
  private readonly cycleSums: number[] = []
  private readonly cycleCounts: number[] = []

  /** Starts a new regeneration cycle; later observations belong to it. */
  startCycle(): void {
    this.cycleSums.push(0)
    this.cycleCounts.push(0)
  }

  /**
   * Adds an observation to the current cycle.
   * @throws Error when no cycle was started
   */
  observe(value: number): void {
    const last = this.cycleSums.length - 1
    if (last < 0) throw new Error("observe() before the first startCycle(): a run must start at a regeneration point")
    this.cycleSums[last]! += value
    this.cycleCounts[last]! += 1
  }

  /** The mean so far and its standard error (two passes over the cycles; exact sums, no cancellation). */
  estimate(): RegenerativeEstimate {
    let sum = 0
    let count = 0
    let cycles = 0
    for (let i = 0; i < this.cycleSums.length; i++) {
      if (this.cycleCounts[i] === 0) continue
      sum += this.cycleSums[i]!
      count += this.cycleCounts[i]!
      cycles++
    }
    if (count === 0) return { mean: NaN, standardError: NaN, cycles, count }
    const mean = sum / count
    if (cycles < 2) return { mean, standardError: NaN, cycles, count }
    let squares = 0
    for (let i = 0; i < this.cycleSums.length; i++) {
      const residual = this.cycleSums[i]! - mean * this.cycleCounts[i]!
      squares += residual * residual
    }
    const meanCount = count / cycles
    const standardError = Math.sqrt(squares / (cycles - 1)) / (meanCount * Math.sqrt(cycles))
    return { mean, standardError, cycles, count }
  }
}
