/**
 * Numbers printed the way the OSTEP simulators print them, so their lines can be compared with
 * OSTEP's output character for character.
 *
 * Python's `'%.2f' % x` rounds the exact binary value of `x` to the nearest, ties to even
 * (`53.125` → `53.12`); JavaScript's `toFixed` breaks ties upward (`53.13`). Ties are rare (the
 * value must be exactly representable with a 5 in the first dropped digit) but real: process-run's
 * `17/32 = 53.125%` is one. Like Python, a negative value keeps its sign (`-0.001` → `-0.00`).
 */

/** `value` with `decimals` digits after the point, as Python's `'%.Nf'` prints it. */
export function pythonFixed(value: number, decimals: number): string {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) return value.toFixed(decimals)
  const exact = Math.abs(value).toFixed(Math.min(100, decimals + 60))
  const point = exact.indexOf(".")
  const kept = exact.slice(0, point + 1 + decimals)
  const dropped = exact.slice(point + 1 + decimals)
  let digits = kept.replace(".", "")
  const tie = /^50*$/.test(dropped)
  const up = dropped[0]! > "5" || (dropped[0] === "5" && !tie) || (tie && Number(digits[digits.length - 1]) % 2 === 1)
  if (up) digits = (BigInt(digits) + 1n).toString().padStart(digits.length, "0")
  const whole = digits.slice(0, digits.length - decimals) || "0"
  const text = decimals === 0 ? whole : `${whole}.${digits.slice(digits.length - decimals)}`
  return value < 0 || Object.is(value, -0) ? `-${text}` : text
}
