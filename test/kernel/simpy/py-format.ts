/**
 * Python's number formatting, for ports of SimPy programs that must print exactly what the Python
 * prints: `f"{x:7.4f}"`, `"%d" % x`, `str(x)` of a float.
 */

/**
 * `format(x, ".<digits>f")`: rounded to `digits` decimals as Python rounds (correctly rounded from
 * the binary value, an exact tie to even), while `toFixed` takes the larger of two tied candidates.
 */
export function fixed(x: number, digits: number): string {
  const s = x.toFixed(digits)
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 60))
  const tail = exact.slice(exact.indexOf(".") + 1 + digits)
  if (!/^50*$/.test(tail)) return s
  // An exact tie: Python keeps the even last digit, toFixed rounded away from zero.
  const down = truncate(exact, digits)
  const lastDigit = Number(down.replace(".", "").slice(-1))
  const result = lastDigit % 2 === 0 ? down : s.replace("-", "")
  return x < 0 || Object.is(x, -0) ? `-${result}` : result
}

function truncate(decimal: string, digits: number): string {
  const point = decimal.indexOf(".")
  return digits === 0 ? decimal.slice(0, point) : decimal.slice(0, point + 1 + digits)
}

/** `format(x, "<width>.<digits>f")`: {@link fixed}, right-aligned in `width` characters. */
export function fixedWidth(x: number, width: number, digits: number): string {
  return fixed(x, digits).padStart(width)
}

/** `"%d" % x`: the integer part, truncated toward zero. */
export function percentD(x: number): string {
  return String(Math.trunc(x))
}

/**
 * `str(x)` (also `f"{x}"`) of a Python float: the shortest round-trip digits as in JavaScript,
 * but with `.0` on integral values and Python's exponent form (`1e-05`, `1e+16`).
 */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan"
  if (x === Infinity) return "inf"
  if (x === -Infinity) return "-inf"
  const abs = Math.abs(x)
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mantissa, exponent] = x.toExponential().split("e") as [string, string]
    const sign = exponent.startsWith("-") ? "-" : "+"
    return `${mantissa}e${sign}${exponent.replace(/^[+-]/, "").padStart(2, "0")}`
  }
  const s = Object.is(x, -0) ? "-0" : String(x)
  return Number.isInteger(x) ? `${s}.0` : s
}
