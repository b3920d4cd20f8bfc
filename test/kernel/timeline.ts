/**
 * The SimPy-style log every kernel scenario test keeps: `log(message)` appends
 * "<simulated time>: <message>", and the test compares `lines` with the exact expected timeline.
 */
import type { Simulation } from "../../src/kernel/simulation.ts"

/** A time-stamped log bound to `sim`'s clock. */
export function timeline(sim: Simulation): { lines: string[]; log: (message: string) => void } {
  const lines: string[] = []
  return { lines, log: (message) => void lines.push(`${sim.now}: ${message}`) }
}
