/**
 * Latency distributions: how long a message spends on a link.
 *
 * A distribution is plain data (constant, uniform, exponential) so it can be printed and passed
 * on a command line, or a function of the link's random stream for anything else. Every draw comes
 * from the stream of the link it is for, so links never share randomness.
 *
 * Invariant: a draw is a finite number >= 0 (a function that returns anything else is an error
 * naming the link). Left out: correlated latency across links, and bandwidth (message size does not
 * matter here; model a slow link with a larger latency).
 */
import type { RandomStream } from "../kernel/index.ts"

/** A latency distribution in ms: plain data, or a function drawing from the link's stream. */
export type Latency =
  | { readonly kind: "constant"; readonly ms: number }
  | { readonly kind: "uniform"; readonly minMs: number; readonly maxMs: number }
  /** `minMs` plus an exponential with mean `meanMs - minMs` (a floor, then a tail). */
  | { readonly kind: "exponential"; readonly meanMs: number; readonly minMs?: number }
  | ((random: RandomStream) => number)

/** A constant latency of `ms`. */
export function constantLatency(ms: number): Latency {
  return { kind: "constant", ms }
}

/** A latency uniform in [minMs, maxMs). */
export function uniformLatency(minMs: number, maxMs: number): Latency {
  return { kind: "uniform", minMs, maxMs }
}

/**
 * The models' usual link latency around a mean: uniform in [0.5, 1.5] × `meanMs`, and exactly 0
 * (a constant, which draws nothing from the link's random stream) when `meanMs` is 0.
 */
export function jitteredLatency(meanMs: number): Latency {
  return meanMs === 0 ? constantLatency(0) : uniformLatency(0.5 * meanMs, 1.5 * meanMs)
}

/** A latency of at least `minMs` (default 0) with mean `meanMs` and an exponential tail. */
export function exponentialLatency(meanMs: number, minMs = 0): Latency {
  return { kind: "exponential", meanMs, minMs }
}

/**
 * Checks a distribution's parameters, naming `where` in the error.
 * @throws RangeError on a negative, non-finite or inverted parameter
 */
export function checkLatency(latency: Latency, where: string): void {
  if (typeof latency === "function") return
  const bad = (what: string, value: unknown): RangeError =>
    new RangeError(`${where}: latency ${what} must be a finite number >= 0, got ${String(value)}`)
  switch (latency.kind) {
    case "constant":
      if (!isNonNegative(latency.ms)) throw bad("ms", latency.ms)
      return
    case "uniform":
      if (!isNonNegative(latency.minMs)) throw bad("minMs", latency.minMs)
      if (!isNonNegative(latency.maxMs) || latency.maxMs < latency.minMs) {
        throw new RangeError(
          `${where}: latency maxMs must be finite and >= minMs ${latency.minMs}, got ${latency.maxMs}`,
        )
      }
      return
    case "exponential": {
      const minMs = latency.minMs ?? 0
      if (!isNonNegative(minMs)) throw bad("minMs", minMs)
      if (!(latency.meanMs > minMs && latency.meanMs < Infinity)) {
        throw new RangeError(`${where}: latency meanMs must be finite and > minMs ${minMs}, got ${latency.meanMs}`)
      }
      return
    }
    default:
      throw new RangeError(`${where}: unknown latency kind ${JSON.stringify((latency as { kind: unknown }).kind)}`)
  }
}

/**
 * Draws one latency from `random`. A constant draws nothing from the stream.
 * @throws RangeError when a function distribution returns a negative or non-finite number
 */
export function drawLatency(latency: Latency, random: RandomStream): number {
  if (typeof latency === "function") {
    const ms = latency(random)
    if (!isNonNegative(ms))
      throw new RangeError(`${random.key}: the latency function returned ${ms}; it must be finite and >= 0`)
    return ms
  }
  switch (latency.kind) {
    case "constant":
      return latency.ms
    case "uniform":
      return latency.minMs === latency.maxMs ? latency.minMs : random.uniform(latency.minMs, latency.maxMs)
    case "exponential": {
      const minMs = latency.minMs ?? 0
      return minMs + random.exponential(1 / (latency.meanMs - minMs))
    }
  }
}

/** A short text for reports: `5ms`, `uniform 2-8ms`, `exp mean 5ms (min 1ms)`, `custom`. */
export function describeLatency(latency: Latency): string {
  if (typeof latency === "function") return "custom"
  switch (latency.kind) {
    case "constant":
      return `${latency.ms}ms`
    case "uniform":
      return `uniform ${latency.minMs}-${latency.maxMs}ms`
    case "exponential":
      return latency.minMs === undefined || latency.minMs === 0
        ? `exp mean ${latency.meanMs}ms`
        : `exp mean ${latency.meanMs}ms (min ${latency.minMs}ms)`
  }
}

function isNonNegative(value: number): boolean {
  return typeof value === "number" && value >= 0 && value < Infinity
}
