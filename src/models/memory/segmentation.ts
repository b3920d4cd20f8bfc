/**
 * Segmentation with two segments growing apart, as OSTEP's `segmentation.py` draws and answers it.
 *
 * The bottom half of the address space (code and heap) is segment 0: it grows upward from its
 * base, and `v` is valid iff `v < limit0`, at physical `base0 + v`. The top half (the stack) is
 * segment 1: it grows downward, its base register is the physical address just *above* it
 * (`top1`), and the top `limit1` addresses are valid: `v` maps to `top1 − (asize − v)`, valid iff
 * `asize − v ≤ limit1`. Which half is decided by `v ≥ asize/2` with real division, so with an odd
 * size the midpoint falls between two addresses.
 *
 * Draw order (so `--seed S` draws the problem of `segmentation.py -s S`): limit0, then limit1, each
 * `⌊asize/4 + (asize/4)·r⌋` unless given; base0 redrawn as `⌊psize·r⌋` until `base0 + limit0 < psize`
 * (ignoring segment 1); segment 1's bottom redrawn as `⌊psize·r⌋` until it fits below psize and
 * clear of segment 0; then the addresses. OSTEP's later checks are kept as narrow as OSTEP's (see
 * docs/memory.md): segment 0 may end one byte past physical memory, only segment 1's bottom is
 * checked, and "overlap" means segment 1 starting strictly inside segment 0.
 */
import { type DrawResult, type InputRefusal, refuse, type UniformSource } from "./problem.ts"

/** Options of {@link drawSegmentation}: segmentation.py's inputs, each register drawn when absent. */
export interface SegmentationOptions {
  /** Address-space size in bytes (`-a`). Required. */
  readonly addressSpace: number
  /** Physical memory in bytes (`-p`). Required. */
  readonly physicalMemory: number
  /** Addresses to draw (`-n`) when `addresses` is absent. Default 5. */
  readonly numAddresses?: number
  /** Segment 0's base (`-b`); absent: drawn. */
  readonly base0?: number | undefined
  /** Segment 0's limit (`-l`); absent: drawn. */
  readonly limit0?: number | undefined
  /** Segment 1's base (`-B`): the physical address just above the segment; absent: drawn. */
  readonly base1?: number | undefined
  /** Segment 1's limit (`-L`); absent: drawn. */
  readonly limit1?: number | undefined
  /** Explicit virtual addresses (`-A`), each in [0, addressSpace); absent: drawn. */
  readonly addresses?: readonly number[] | undefined
}

/** A segment's registers; for segment 1 `base` is its top (the first address above it). */
export interface SegmentRegisters {
  readonly base: number
  readonly limit: number
}

/** A segmentation problem: both segments' registers and the addresses to translate. */
export interface SegmentationProblem {
  readonly addressSpace: number
  readonly physicalMemory: number
  /** Segment 0 (grows up from `base`) and segment 1 (grows down from `base`). */
  readonly segments: readonly [SegmentRegisters, SegmentRegisters]
  readonly addresses: readonly number[]
}

/** One answer: the segment the address falls in, whether it is valid, and where (null: violation). */
export interface SegmentTranslation {
  readonly virtual: number
  readonly segment: 0 | 1
  readonly valid: boolean
  readonly physical: number | null
}

/** The checks before any draw, in segmentation.py's order. */
function sizeRefusal(addressSpace: number, physicalMemory: number): InputRefusal | undefined {
  if (physicalMemory <= 4)
    return refuse(["physicalMemory"], `--physical-memory ${physicalMemory} must be more than 4 bytes`)
  if (addressSpace === 0) return refuse(["addressSpace"], "--address-space must not be 0")
  if (physicalMemory <= addressSpace)
    return refuse(
      ["physicalMemory", "addressSpace"],
      `--physical-memory ${physicalMemory} must be greater than --address-space ${addressSpace}`,
    )
  return undefined
}

/** Segment 1's bottom, drawn as segmentation.py draws it, or the refusal when no bottom can fit. */
function drawBottom1(
  psize: number,
  base0: number,
  limit0: number,
  limit1: number,
  random: UniformSource,
): number | InputRefusal {
  const roomAbove = psize - limit1 - 1 >= base0 + limit0 + 1
  const roomBelow = base0 - limit1 - 1 >= 0
  if (!roomAbove && !roomBelow)
    return refuse(
      ["limit1", "physicalMemory"],
      `segment 1 (limit ${limit1}) fits neither above segment 0 [${base0}, ${base0 + limit0}) nor below it in --physical-memory ${psize} (segmentation.py would search for a base forever)`,
    )
  for (;;) {
    const b = Math.floor(psize * random.next())
    if (b + limit1 < psize && (b > base0 + limit0 || b + limit1 < base0)) return b
  }
}

/** segmentation.py's checks after the registers are known, in its order. */
function placementRefusal(
  asize: number,
  psize: number,
  base0: number,
  limit0: number,
  bottom1: number,
  limit1: number,
) {
  if (psize < base0 + limit0 - 1)
    return refuse(["base0", "limit0"], `segment 0 [${base0}, ${base0 + limit0}) is not in --physical-memory ${psize}`)
  if (psize < bottom1)
    return refuse(["base1", "limit1"], `segment 1's bottom ${bottom1} is above --physical-memory ${psize}`)
  if (limit0 > asize / 2) return refuse(["limit0"], `limit0 ${limit0} exceeds half the address space (${asize / 2})`)
  if (limit1 > asize / 2) return refuse(["limit1"], `limit1 ${limit1} exceeds half the address space (${asize / 2})`)
  if (base0 + limit0 > bottom1 && bottom1 > base0)
    return refuse(
      ["base0", "limit0", "base1", "limit1"],
      `the segments overlap: segment 1 [${bottom1}, ${bottom1 + limit1}) starts inside segment 0 [${base0}, ${base0 + limit0})`,
    )
  return undefined
}

/** limit0, limit1 and base0, drawn or given, after the checks that precede them. */
function drawSegmentZero(options: SegmentationOptions, random: UniformSource) {
  const { addressSpace: asize, physicalMemory: psize } = options
  const limit0 = options.limit0 ?? Math.floor(asize / 4 + (asize / 4) * random.next())
  const limit1 = options.limit1 ?? Math.floor(asize / 4 + (asize / 4) * random.next())
  if ((options.base0 === undefined || options.base1 === undefined) && !(psize > 2 * asize))
    return refuse(
      ["physicalMemory", "addressSpace"],
      `--physical-memory ${psize} must be more than twice --address-space ${asize} when a base is drawn`,
    )
  let base0 = options.base0
  if (base0 === undefined) {
    if (limit0 >= psize)
      return refuse(
        ["limit0", "physicalMemory"],
        `limit0 ${limit0} must be below --physical-memory ${psize} for a drawn base0 (segmentation.py would search forever)`,
      )
    do base0 = Math.floor(psize * random.next())
    while (!(base0 + limit0 < psize))
  }
  return { base0, limit0, limit1 }
}

/**
 * The problem segmentation.py draws from `random` for these options (see the file header), or
 * the rule they break. **Deviation**: a given `base1` below `limit1` (a segment reaching below
 * address 0) is refused; OSTEP accepts it.
 */
export function drawSegmentation(options: SegmentationOptions, random: UniformSource): DrawResult<SegmentationProblem> {
  const { addressSpace: asize, physicalMemory: psize } = options
  const sizes = sizeRefusal(asize, psize)
  if (sizes !== undefined) return sizes
  const zero = drawSegmentZero(options, random)
  if ("ok" in zero) return zero
  const { base0, limit0, limit1 } = zero
  let bottom1: number
  if (options.base1 === undefined) {
    const drawn = drawBottom1(psize, base0, limit0, limit1, random)
    if (typeof drawn !== "number") return drawn
    bottom1 = drawn
  } else bottom1 = options.base1 - limit1
  const placement = placementRefusal(asize, psize, base0, limit0, bottom1, limit1)
  if (placement !== undefined) return placement
  if (bottom1 < 0)
    return refuse(
      ["base1", "limit1"],
      `--base1 ${options.base1} is below --limit1 ${limit1}: segment 1 would reach below physical address 0`,
    )
  const outside = options.addresses?.find((v) => v >= asize)
  if (outside !== undefined)
    return refuse(["addresses"], `address ${outside} is outside the address space [0, ${asize})`)
  const addresses =
    options.addresses ?? Array.from({ length: options.numAddresses ?? 5 }, () => Math.floor(asize * random.next()))
  const segments = [
    { base: base0, limit: limit0 },
    { base: bottom1 + limit1, limit: limit1 },
  ] as const
  return { ok: true, problem: { addressSpace: asize, physicalMemory: psize, segments, addresses } }
}

/** Translates `virtual` with two segments (see the file header for the rules). */
export function translateSegmented(
  addressSpace: number,
  segments: readonly [SegmentRegisters, SegmentRegisters],
  virtual: number,
): SegmentTranslation {
  if (virtual >= addressSpace / 2) {
    const { base: top1, limit: limit1 } = segments[1]
    const valid = addressSpace - virtual <= limit1
    return { virtual, segment: 1, valid, physical: valid ? top1 - (addressSpace - virtual) : null }
  }
  const { base: base0, limit: limit0 } = segments[0]
  const valid = virtual < limit0
  return { virtual, segment: 0, valid, physical: valid ? base0 + virtual : null }
}
