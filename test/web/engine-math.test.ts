/**
 * The playground's math functions (web/engine-math.ts) give Node's results bit for bit, so a sim
 * run in a browser whose engine rounds `Math.log` or `Math.pow` differently still draws the same
 * numbers: on fdlibm's special values and on random doubles of every magnitude, for every
 * fast-check seed.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { bigintPow, engineExp, engineLog, engineLog10, enginePow } from "../../web/engine-math.ts"

/** Doubles a sim meets (0 to 1e6, uniform-looking) and doubles of every magnitude and sign. */
const anyDouble = fc.oneof(fc.double({ noNaN: false }), fc.double({ min: 0, max: 1e6, noNaN: true }))
const unit = fc.double({ min: 0, max: 1, noNaN: true })
const SPECIAL = [
  0,
  -0,
  1,
  -1,
  2,
  -2,
  0.5,
  -0.5,
  3,
  -3,
  1e-310,
  -1e-310,
  5e-324,
  1e308,
  -1e308,
  Infinity,
  -Infinity,
  NaN,
]
const same = (a: number, b: number): boolean => Object.is(a, b)

describe("engine math (Node's fdlibm, in any engine)", () => {
  it("log, log10 and exp agree with Node's on special values", () => {
    for (const x of [...SPECIAL, 0.1, 10, 100, 709.78, 709.79, -745.2, 1 + 2 ** -30, 1 - 2 ** -30, Math.E]) {
      expect(same(engineLog(x), Math.log(x)), `log(${x})`).toBe(true)
      expect(same(engineLog10(x), Math.log10(x)), `log10(${x})`).toBe(true)
      expect(same(engineExp(x), Math.exp(x)), `exp(${x})`).toBe(true)
    }
  })

  it("pow agrees with Node's on every pair of special values", () => {
    for (const x of SPECIAL) {
      for (const y of [...SPECIAL, 1.8, -1.8, 2 ** 31 + 0.5, 2 ** 64, 1075.5, -1075.5]) {
        expect(same(enginePow(x, y), Math.pow(x, y)), `pow(${x}, ${y})`).toBe(true)
      }
    }
  })

  it("log, log10 and exp agree with Node's on random doubles", () => {
    fc.assert(
      fc.property(anyDouble, unit, (x, u) => {
        const e = x / 1e4 - 50
        return (
          same(engineLog(x), Math.log(x)) &&
          same(engineLog(1 - u), Math.log(1 - u)) &&
          same(engineLog10(x), Math.log10(x)) &&
          same(engineExp(e), Math.exp(e)) &&
          same(engineExp(x), Math.exp(x))
        )
      }),
      { numRuns: 20_000 },
    )
  })

  it("pow agrees with Node's on random doubles, integer and fractional exponents", () => {
    const exponent = fc.oneof(fc.double({ min: -40, max: 40, noNaN: true }), fc.integer({ min: -1100, max: 1100 }))
    fc.assert(
      fc.property(
        anyDouble,
        exponent,
        anyDouble,
        (x, y, z) => same(enginePow(x, y), Math.pow(x, y)) && same(enginePow(x, z), x ** z),
      ),
      { numRuns: 20_000 },
    )
  })

  it("raises BigInts to a power as the operator does (a library's 2n ** 32n is lowered to Math.pow too)", () => {
    expect(bigintPow(2n, 32n) - 1n).toBe(4294967295n)
    expect(bigintPow(-3n, 5n)).toBe(-243n)
    expect(bigintPow(7n, 0n)).toBe(1n)
    expect(bigintPow(10n, 30n)).toBe(10n ** 30n)
    expect(() => bigintPow(2n, -1n)).toThrow(RangeError)
  })
})
