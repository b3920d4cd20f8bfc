/**
 * The largest and smallest of a list of numbers, for lists of any length: `Math.max(...values)`
 * passes every value as an argument and overflows the stack beyond about 120,000 of them (a run's
 * window series or pause list can be millions long).
 */

/** The largest of `values` and `floor` (default -Infinity); `floor` for an empty list. */
export function largest(values: Iterable<number>, floor = -Infinity): number {
  let most = floor
  for (const value of values) if (value > most || Number.isNaN(value)) most = value
  return most
}

/** The smallest of `values` and `ceiling` (default Infinity); `ceiling` for an empty list. */
export function smallest(values: Iterable<number>, ceiling = Infinity): number {
  let least = ceiling
  for (const value of values) if (value < least || Number.isNaN(value)) least = value
  return least
}
