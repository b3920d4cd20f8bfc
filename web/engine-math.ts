/**
 * `Math.log`, `Math.exp`, `Math.log10` and `Math.pow` with the results Node's V8 gives, bit for
 * bit, in any JavaScript engine (docs/playground.md, "Same numbers in the browser").
 *
 * Why: the language leaves these functions' last bit to the engine. Node 20's V8 computes them
 * with its own ports of fdlibm (Sun's freely distributable math library, via FreeBSD's msun);
 * Debian's chromium gives a different last bit for about 3 % of `Math.log` and 10 % of
 * `Math.pow` arguments (measured 2026-12-07 on 20,000 random arguments). A sim that draws
 * exponential times (`-Math.log(u) / rate`) or ranks with a power then runs differently in the
 * browser, and its trace hash differs. The playground installs these functions in place of the
 * browser's before any sim code runs (`web/engine-math-install.ts`); they follow fdlibm's
 * algorithms step by step with IEEE double arithmetic only (exact in every engine), so they give
 * Node's results everywhere. test/web/engine-math.test.ts compares them with Node's, bit for bit.
 *
 * The algorithms and constants are fdlibm's: Copyright (C) 1993 by Sun Microsystems, Inc. All
 * rights reserved. Developed at SunSoft, a Sun Microsystems, Inc. business. Permission to use,
 * copy, modify, and distribute this software is freely granted, provided that this notice is
 * preserved.
 */

const buffer = new ArrayBuffer(8)
const float = new Float64Array(buffer)
const words = new Uint32Array(buffer)
/** Index of the high (sign and exponent) word in {@link words}: 1 on little-endian machines. */
const HI = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f ? 1 : 0
const LO = 1 - HI

/** The high word of `x`, as a signed 32-bit integer. */
function highWord(x: number): number {
  float[0] = x
  return words[HI]! | 0
}

/** The low word of `x`, as an unsigned 32-bit integer. */
function lowWord(x: number): number {
  float[0] = x
  return words[LO]!
}

/** The double with these high and low words. */
function fromWords(high: number, low: number): number {
  words[HI] = high >>> 0
  words[LO] = low >>> 0
  return float[0]!
}

/** `x` with its high word replaced. */
function withHighWord(x: number, high: number): number {
  float[0] = x
  words[HI] = high >>> 0
  return float[0]!
}

/** `x` with its low word zeroed (the top 21 bits of the significand kept). */
function withLowWordZero(x: number): number {
  float[0] = x
  words[LO] = 0
  return float[0]!
}

/** x × 2^n, rounded once (fdlibm's scalbn), for the results of {@link enginePow}. */
function scale(x: number, n: number): number {
  if (n < -1000) return x * 2 ** -1000 * 2 ** (n + 1000)
  if (n > 1000) return x * 2 ** 1000 * 2 ** (n - 1000)
  return x * 2 ** n
}

const LN2_HI = 6.9314718036912381649e-1
const LN2_LO = 1.90821492927058770002e-10
const TWO54 = 1.8014398509481984e16
const LG1 = 6.66666666666673513e-1
const LG2 = 3.999999999940941908e-1
const LG3 = 2.857142874366239149e-1
const LG4 = 2.222219843214978396e-1
const LG5 = 1.818357216161805012e-1
const LG6 = 1.531383769920937332e-1
const LG7 = 1.479819860511658591e-1

/** The natural logarithm, as Node's `Math.log` computes it (fdlibm e_log.c). */
export function engineLog(input: number): number {
  let x = input
  let hx = highWord(x)
  const lx = lowWord(x)
  let k = 0
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity
    if (hx < 0) return NaN
    k -= 54
    x *= TWO54
    hx = highWord(x)
  }
  if (hx >= 0x7ff00000) return x + x
  k += (hx >> 20) - 1023
  hx &= 0x000fffff
  const i = (hx + 0x95f64) & 0x100000
  x = withHighWord(x, hx | (i ^ 0x3ff00000))
  k += i >> 20
  const f = x - 1.0
  const dk = k
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO
    const r = f * f * (0.5 - 0.33333333333333333 * f)
    return k === 0 ? f - r : dk * LN2_HI - (r - dk * LN2_LO - f)
  }
  const s = f / (2.0 + f)
  const z = s * s
  const w = z * z
  const t1 = w * (LG2 + w * (LG4 + w * LG6))
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)))
  const r = t2 + t1
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f
    if (k === 0) return f - (hfsq - s * (hfsq + r))
    return dk * LN2_HI - (hfsq - (s * (hfsq + r) + dk * LN2_LO) - f)
  }
  if (k === 0) return f - s * (f - r)
  return dk * LN2_HI - (s * (f - r) - dk * LN2_LO - f)
}

const IVLN10 = 4.34294481903251816668e-1
const LOG10_2HI = 3.01029995663611771306e-1
const LOG10_2LO = 3.69423907715893078616e-13

/** The base-10 logarithm, as Node's `Math.log10` computes it (fdlibm e_log10.c, through {@link engineLog}). */
export function engineLog10(input: number): number {
  let x = input
  let hx = highWord(x)
  let lx = lowWord(x)
  let k = 0
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity
    if (hx < 0) return NaN
    k -= 54
    x *= TWO54
    hx = highWord(x)
    lx = lowWord(x)
  }
  if (hx >= 0x7ff00000) return x + x
  if (hx === 0x3ff00000 && lx === 0) return 0
  k += (hx >> 20) - 1023
  const i = k < 0 ? 1 : 0
  hx = (hx & 0x000fffff) | ((0x3ff - i) << 20)
  const y = k + i
  x = fromWords(hx, lx)
  const z = y * LOG10_2LO + IVLN10 * engineLog(x)
  return z + y * LOG10_2HI
}

const P1 = 1.66666666666666019037e-1
const P2 = -2.77777777770155933842e-3
const P3 = 6.61375632143793436117e-5
const P4 = -1.6533902205465251539e-6
const P5 = 4.13813679705723846039e-8
const HUGE = 1.0e300
const TINY = 1.0e-300
const TWO_M1000 = 9.3326361850321887899e-302
const TWO_1023 = 8.988465674311579539e307

/** e^x, as Node's `Math.exp` computes it (fdlibm e_exp.c as V8 keeps it). */
export function engineExp(input: number): number {
  let x = input
  let hx = highWord(x)
  const xsb = (hx >>> 31) & 1
  hx &= 0x7fffffff
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | lowWord(x)) !== 0) return x + x
      return xsb === 0 ? x : 0
    }
    if (x > 7.09782712893383973096e2) return HUGE * HUGE
    if (x < -7.4513321910194110842e2) return TWO_M1000 * TWO_M1000
  }
  let hi = 0
  let lo = 0
  let k = 0
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      if (x === 1.0) return 2.718281828459045
      hi = x - (xsb === 0 ? LN2_HI : -LN2_HI)
      lo = xsb === 0 ? LN2_LO : -LN2_LO
      k = 1 - xsb - xsb
    } else {
      k = Math.trunc(1.442695040888963387 * x + (xsb === 0 ? 0.5 : -0.5))
      hi = x - k * LN2_HI
      lo = k * LN2_LO
    }
    x = hi - lo
  } else if (hx < 0x3e300000) {
    if (HUGE + x > 1) return 1 + x
  }
  const t = x * x
  const twopk = k >= -1021 ? fromWords(0x3ff00000 + (k << 20), 0) : fromWords(0x3ff00000 + ((k + 1000) << 20), 0)
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))))
  if (k === 0) return 1 - ((x * c) / (c - 2.0) - x)
  const y = 1 - (lo - (x * c) / (2.0 - c) - hi)
  if (k >= -1021) return k === 1024 ? y * 2.0 * TWO_1023 : y * twopk
  return y * twopk * TWO_M1000
}

const BP = [1.0, 1.5] as const
const DP_H = [0.0, 5.84962487220764160156e-1] as const
const DP_L = [0.0, 1.35003920212974897128e-8] as const
const TWO53 = 9007199254740992.0
const L1 = 5.99999999999994648725e-1
const L2 = 4.28571428578550184252e-1
const L3 = 3.33333329818377432918e-1
const L4 = 2.72728123808534006489e-1
const L5 = 2.30660745775561754067e-1
const L6 = 2.06975017800338417784e-1
const LG2_FULL = 6.93147180559945286227e-1
const LG2_H = 6.93147182464599609375e-1
const LG2_L = -1.90465429995776804525e-9
const OVT = 8.0085662595372944372e-17
const CP = 9.61796693925975554329e-1
const CP_H = 9.61796700954437255859e-1
const CP_L = -7.02846165095275826516e-9
const IVLN2 = 1.442695040888963387
const IVLN2_H = 1.44269502162933349609
const IVLN2_L = 1.92596299112661746887e-8

/** 0 when `y` is not an integer, 1 when it is odd, 2 when it is even (asked only when x < 0). */
function integerKind(hy: number, ly: number): number {
  const iy = hy & 0x7fffffff
  if (iy >= 0x43400000) return 2
  if (iy < 0x3ff00000) return 0
  const k = (iy >> 20) - 0x3ff
  if (k > 20) {
    const j = ly >>> (52 - k)
    return ((j << (52 - k)) | 0) === (ly | 0) ? 2 - (j & 1) : 0
  }
  if (ly !== 0) return 0
  const j = iy >> (20 - k)
  return j << (20 - k) === iy ? 2 - (j & 1) : 0
}

/** The special values of y (±∞, ±1, 2, 0.5), or undefined when y is none of them. */
function powSpecialY(x: number, y: number, hx: number, hy: number, lx: number): number | undefined {
  const ix = hx & 0x7fffffff
  const iy = hy & 0x7fffffff
  if (iy === 0x7ff00000) {
    if (((ix - 0x3ff00000) | lx) === 0) return y - y
    if (ix >= 0x3ff00000) return hy >= 0 ? y : 0
    return hy < 0 ? -y : 0
  }
  if (iy === 0x3ff00000) return hy < 0 ? 1 / x : x
  if (hy === 0x40000000) return x * x
  if (hy === 0x3fe00000 && hx >= 0) return Math.sqrt(x)
  return undefined
}

/** log2(|x|) as t1 + t2, t1 with its low word zero, for |y| ≤ 2^31 (the general case of pow). */
function log2Split(ax0: number, ix0: number): [number, number] {
  let ax = ax0
  let ix = ix0
  let n = 0
  if (ix < 0x00100000) {
    ax *= TWO53
    n -= 53
    ix = highWord(ax)
  }
  n += (ix >> 20) - 0x3ff
  const j = ix & 0x000fffff
  ix = j | 0x3ff00000
  let k = 0
  if (j <= 0x3988e) k = 0
  else if (j < 0xbb67a) k = 1
  else {
    n += 1
    ix -= 0x00100000
  }
  ax = withHighWord(ax, ix)
  const bp = BP[k as 0 | 1]
  const u = ax - bp
  const v = 1 / (ax + bp)
  const ss = u * v
  const sH = withLowWordZero(ss)
  let tH = fromWords(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18), 0)
  let tL = ax - (tH - bp)
  const sL = v * (u - sH * tH - sH * tL)
  let s2 = ss * ss
  let r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))))
  r += sL * (sH + ss)
  s2 = sH * sH
  tH = withLowWordZero(3.0 + s2 + r)
  tL = r - (tH - 3.0 - s2)
  const uu = sH * tH
  const vv = sL * tH + tL * ss
  const pH = withLowWordZero(uu + vv)
  const pL = vv - (pH - uu)
  const zH = CP_H * pH
  const zL = CP_L * pH + pL * CP + DP_L[k as 0 | 1]
  const t = n
  const t1 = withLowWordZero(zH + zL + DP_H[k as 0 | 1] + t)
  const t2 = zL - (t1 - t - DP_H[k as 0 | 1] - zH)
  return [t1, t2]
}

/** log2(|x|) as t1 + t2 for |x| within 2^-20 of 1 (the huge-|y| case of pow). */
function log2NearOne(ax: number): [number, number] {
  const t = ax - 1
  const w = t * t * (0.5 - t * (0.3333333333333333333333 - t * 0.25))
  const u = IVLN2_H * t
  const v = t * IVLN2_L - w * IVLN2
  const t1 = withLowWordZero(u + v)
  return [t1, v - (t1 - u)]
}

/** 2^(pH + pL) times the sign `s`, with overflow and underflow (the last step of pow). */
function exp2Split(pH0: number, pL: number, s: number): number {
  let pH = pH0
  const z0 = pL + pH
  const j = highWord(z0)
  const i0 = lowWord(z0)
  if (j >= 0x40900000) {
    if (((j - 0x40900000) | i0) !== 0) return s * HUGE * HUGE
    if (pL + OVT > z0 - pH) return s * HUGE * HUGE
  } else if ((j & 0x7fffffff) >= 0x4090cc00) {
    if (((j - 0xc090cc00) | i0) !== 0) return s * TINY * TINY
    if (pL <= z0 - pH) return s * TINY * TINY
  }
  const i = j & 0x7fffffff
  let k = (i >> 20) - 0x3ff
  let n = 0
  if (i > 0x3fe00000) {
    n = (j + (0x00100000 >> (k + 1))) | 0
    k = ((n & 0x7fffffff) >> 20) - 0x3ff
    const t = fromWords(n & ~(0x000fffff >> k), 0)
    n = ((n & 0x000fffff) | 0x00100000) >> (20 - k)
    if (j < 0) n = -n
    pH -= t
  }
  const t = withLowWordZero(pL + pH)
  const u = t * LG2_H
  const v = (pL - (t - pH)) * LG2_FULL + t * LG2_L
  let z = u + v
  const w = v - (z - u)
  const tt = z * z
  const t1 = z - tt * (P1 + tt * (P2 + tt * (P3 + tt * (P4 + tt * P5))))
  const r = (z * t1) / (t1 - 2 - (w + z * w))
  z = 1 - (r - z)
  const high = (highWord(z) + (n << 20)) | 0
  z = high >> 20 <= 0 ? scale(z, n) : withHighWord(z, high)
  return s * z
}

/** x^y, as Node's `Math.pow` and `**` compute it (fdlibm e_pow.c as V8 keeps it). */
export function enginePow(x: number, y: number): number {
  const hx = highWord(x)
  const lx = lowWord(x)
  const hy = highWord(y)
  const ly = lowWord(y)
  const ix = hx & 0x7fffffff
  const iy = hy & 0x7fffffff
  if ((iy | ly) === 0) return 1
  if (ix > 0x7ff00000 || (ix === 0x7ff00000 && lx !== 0) || iy > 0x7ff00000 || (iy === 0x7ff00000 && ly !== 0)) {
    return x + y
  }
  const yisint = hx < 0 ? integerKind(hy, ly) : 0
  if (ly === 0) {
    const special = powSpecialY(x, y, hx, hy, lx)
    if (special !== undefined) return special
  }
  const ax = Math.abs(x)
  if (lx === 0 && (ix === 0x7ff00000 || ix === 0 || ix === 0x3ff00000)) {
    let z = hy < 0 ? 1 / ax : ax
    if (hx < 0) {
      if (((ix - 0x3ff00000) | yisint) === 0) z = NaN
      else if (yisint === 1) z = -z
    }
    return z
  }
  const n = (hx >> 31) + 1
  if ((n | yisint) === 0) return NaN
  const s = (n | (yisint - 1)) === 0 ? -1 : 1
  let t1: number
  let t2: number
  if (iy > 0x41e00000) {
    if (iy > 0x43f00000) {
      if (ix <= 0x3fefffff) return hy < 0 ? HUGE * HUGE : TINY * TINY
      if (ix >= 0x3ff00000) return hy > 0 ? HUGE * HUGE : TINY * TINY
    }
    if (ix < 0x3fefffff) return hy < 0 ? s * HUGE * HUGE : s * TINY * TINY
    if (ix > 0x3ff00000) return hy > 0 ? s * HUGE * HUGE : s * TINY * TINY
    ;[t1, t2] = log2NearOne(ax)
  } else {
    ;[t1, t2] = log2Split(ax, ix)
  }
  const y1 = withLowWordZero(y)
  const pL = (y - y1) * t1 + y * t2
  const pH = y1 * t1
  return exp2Split(pH, pL, s)
}

/**
 * `x ** y` for BigInts, which the build also turns into `Math.pow(x, y)` (a library may write
 * `2n ** 32n`): square and multiply. A negative exponent throws the RangeError the operator throws.
 */
export function bigintPow(x: bigint, y: bigint): bigint {
  if (y < 0n) throw new RangeError("Exponent must be non-negative")
  let result = 1n
  let base = x
  for (let e = y; e > 0n; e >>= 1n) {
    if ((e & 1n) === 1n) result *= base
    base *= base
  }
  return result
}
