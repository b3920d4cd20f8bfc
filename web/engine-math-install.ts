/**
 * Runs before any sim code in the playground (a classic script ahead of the app's module, see
 * web/index.html): puts Node's `Math.log`, `Math.exp`, `Math.log10` and `Math.pow` in place of
 * the browser's, so a run draws the same numbers as on the command line (web/engine-math.ts).
 * The build turns `a ** b` into `Math.pow(a, b)`, so the operator follows too (BigInts included).
 */
import { bigintPow, engineExp, engineLog, engineLog10, enginePow } from "./engine-math.ts"

Math.log = engineLog
Math.exp = engineExp
Math.log10 = engineLog10
// BigInt operands keep the operator's own meaning (the build lowers `2n ** 32n` to Math.pow too).
Math.pow = ((x: number | bigint, y: number | bigint) => {
  if (typeof x === "bigint" && typeof y === "bigint") return bigintPow(x, y)
  if (typeof x === "bigint" || typeof y === "bigint")
    throw new TypeError("Cannot mix BigInt and other types, use explicit conversions")
  return enginePow(x, y)
}) as unknown as typeof Math.pow
