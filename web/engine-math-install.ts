/**
 * Runs before any sim code in the playground (a classic script ahead of the app's module, see
 * web/index.html): puts Node's `Math.log`, `Math.exp`, `Math.log10` and `Math.pow` in place of
 * the browser's, so a run draws the same numbers as on the command line (web/engine-math.ts).
 * The build turns `a ** b` into `Math.pow(a, b)`, so the operator follows too.
 */
import { engineExp, engineLog, engineLog10, enginePow } from "./engine-math.ts"

Math.log = engineLog
Math.exp = engineExp
Math.log10 = engineLog10
Math.pow = enginePow
