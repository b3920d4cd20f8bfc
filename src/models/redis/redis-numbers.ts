/**
 * Numbers as Redis reads and prints them: 64-bit integers parsed strictly (Redis's `string2ll`: no
 * sign but `-`, no leading zeros, no spaces), doubles parsed like C's `strtod` with Redis's extra
 * rules (`string2d`: no leading space, no NaN, no overflow), and doubles printed as Redis 7.0
 * prints scores: C's `%.17g` (`1.5`, `3`, `0.10000000000000001`, `1e+20`, `inf`, `-inf`).
 * See docs/redis.md ("Numbers").
 */

/** The largest and smallest 64-bit signed integers. */
export const INT64_MAX = 9223372036854775807n
export const INT64_MIN = -9223372036854775808n

const INTEGER_TEXT = /^(?:0|-?[1-9][0-9]*)$/

/**
 * The 64-bit integer a string holds, as Redis's `string2ll` reads it, or undefined: a number when
 * its magnitude is at most 2^53, else a bigint.
 */
export function parseInteger(text: string): number | bigint | undefined {
  if (text.length < 16) return parseShortInteger(text)
  if (text.length > 20 || !INTEGER_TEXT.test(text)) return undefined
  if (text.length < 16) return Number(text)
  const big = BigInt(text)
  if (big > INT64_MAX || big < INT64_MIN) return undefined
  return toNumberIfSafe(big)
}

/** {@link parseInteger} for text of at most 15 characters (always a safe integer): a loop over the digits. */
function parseShortInteger(text: string): number | undefined {
  const length = text.length
  if (length === 0) return undefined
  const negative = text.charCodeAt(0) === 45
  let i = negative ? 1 : 0
  if (i === length) return undefined
  const first = text.charCodeAt(i)
  if (first === 48) return length === 1 ? 0 : undefined
  if (first < 49 || first > 57) return undefined
  let value = 0
  for (; i < length; i++) {
    const code = text.charCodeAt(i)
    if (code < 48 || code > 57) return undefined
    value = value * 10 + (code - 48)
  }
  return negative ? -value : value
}

/** `value` as a number when it is a safe integer, else as a bigint. */
export function toNumberIfSafe(value: bigint): number | bigint {
  return value <= 9007199254740991n && value >= -9007199254740991n ? Number(value) : value
}

/** `a + b` in 64-bit arithmetic, or undefined when it overflows (Redis: "increment or decrement would overflow"). */
export function addInt64(a: number | bigint, b: number | bigint): number | bigint | undefined {
  if (typeof a === "number" && typeof b === "number") {
    const sum = a + b
    if (Number.isSafeInteger(sum)) return sum
  }
  const sum = BigInt(a) + BigInt(b)
  if (sum > INT64_MAX || sum < INT64_MIN) return undefined
  return toNumberIfSafe(sum)
}

const DECIMAL_TEXT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/
const HEX_TEXT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/
const INFINITY_TEXT = /^([+-]?)(?:inf|infinity)$/i
const NONZERO_DIGIT = /[1-9]/

/**
 * The double a string holds, as Redis's `string2d` reads it (C `strtod` over the whole string), or
 * undefined: rejects empty text, leading spaces, trailing garbage, NaN, and values that overflow to
 * infinity or underflow to zero; accepts `inf`, `+inf`, `-inf` and `infinity` in any case.
 */
export function parseDouble(text: string): number | undefined {
  if (text.length < 16) {
    const whole = parseShortInteger(text)
    if (whole !== undefined) return whole
  }
  if (DECIMAL_TEXT.test(text)) {
    const value = Number(text)
    if (!Number.isFinite(value)) return undefined
    if (value === 0 && NONZERO_DIGIT.test(text.split(/[eE]/)[0]!)) return undefined
    return value
  }
  const hex = HEX_TEXT.exec(text)
  if (hex !== null) return parseHexDouble(hex[1]!, hex[2]!, hex[3] ?? "", Number(hex[4] ?? "0"))
  const infinity = INFINITY_TEXT.exec(text)
  if (infinity !== null) return infinity[1] === "-" ? -Infinity : Infinity
  return undefined
}

/** A C99 hexadecimal float (`0x1.8p3`), with strtod's overflow and underflow rejected as above. */
function parseHexDouble(sign: string, whole: string, fraction: string, power: number): number | undefined {
  if (whole === "" && fraction === "") return undefined
  const mantissa = BigInt(`0x${whole}${fraction}0`) / 16n
  const value = Number(mantissa) * 2 ** (power - 4 * fraction.length)
  if (!Number.isFinite(value) || (value === 0 && mantissa !== 0n)) return undefined
  return sign === "-" ? -value : value
}

/** A double as Redis 7.0 writes it in a reply: `%.17g`, with `inf` and `-inf` for the infinities. */
export function formatDouble(value: number): string {
  if (Number.isSafeInteger(value)) return Object.is(value, -0) ? "-0" : String(value)
  if (value === Infinity) return "inf"
  if (value === -Infinity) return "-inf"
  if (Number.isNaN(value)) return "nan"
  const sign = value < 0 ? "-" : ""
  const { digits, exponent } = seventeenDigits(Math.abs(value))
  if (exponent < -4 || exponent >= 17) {
    const mantissa = stripZeros(`${digits[0]}.${digits.slice(1)}`)
    const power = Math.abs(exponent)
    return `${sign}${mantissa}e${exponent < 0 ? "-" : "+"}${power < 10 ? "0" : ""}${power}`
  }
  if (exponent < 0) return `${sign}${stripZeros(`0.${"0".repeat(-exponent - 1)}${digits}`)}`
  const whole = digits.slice(0, exponent + 1)
  const fraction = digits.slice(exponent + 1)
  return fraction === "" ? `${sign}${whole}` : `${sign}${stripZeros(`${whole}.${fraction}`)}`
}

/** "1.500" → "1.5", "3." → "3" (the `%g` rule), for text with a decimal point. */
function stripZeros(text: string): string {
  return text.replace(/\.?0+$/, "")
}

/**
 * The 17 significant digits of a positive finite `value` and the decimal exponent of the first,
 * rounded as glibc's printf rounds: to nearest, ties to even (JavaScript's `toExponential` breaks
 * exact ties away from zero, so an exact tie is settled from the full decimal expansion).
 */
function seventeenDigits(value: number): { digits: string; exponent: number } {
  const [mantissa, power] = value.toExponential(16).split("e") as [string, string]
  const rounded = { digits: mantissa.replace(".", ""), exponent: Number(power) }
  const longer = value.toExponential(17)
  if (longer[18] !== "5") return rounded
  const exact = value.toPrecision(100).replace(".", "").replace(/^0+/, "")
  const tail = exact.slice(17)
  if (!/^50*$/.test(tail)) return rounded
  const kept = exact.slice(0, 17)
  if (Number(kept[16]) % 2 === 1) return rounded
  return { digits: kept, exponent: rounded.exponent }
}
