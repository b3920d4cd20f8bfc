/**
 * Base and bounds (dynamic relocation), as OSTEP's `relocation.py` draws and answers it.
 *
 * The whole address space sits contiguously in physical memory at the base register; the bounds
 * (limit) register says how many of its bytes are valid. A virtual address `v` is valid iff
 * `v < limit`, and then its physical address is `base + v`; any other is a segmentation violation.
 * Like a row of lockers rented as one block: locker `v` of yours is locker `base + v` of the hall,
 * and asking for one past the end of your block is refused.
 *
 * Draw order (so `--seed S` draws the very problem of `relocation.py -s S`), each draw one
 * `random()`: the limit `⌊asize/4 + (asize/4)·r⌋` unless given; the base, unless given, redrawn as
 * `⌊psize·r⌋` until `base + limit < psize` (strictly: an exact fit is redrawn, every retry is a draw);
 * then `n` addresses `⌊asize·r⌋` unless given. A given base may fit exactly (`base + limit = psize`).
 */
import { type DrawResult, refuse, type UniformSource } from "./problem.ts"

/** Options of {@link drawBaseBounds}: relocation.py's inputs, each register drawn when absent. */
export interface BaseBoundsOptions {
  /** Address-space size in bytes (`-a`). Required, > 0. */
  readonly addressSpace: number
  /** Physical memory in bytes (`-p`). Required, > the address space. */
  readonly physicalMemory: number
  /** Addresses to draw (`-n`) when `addresses` is absent. Default 5. */
  readonly numAddresses?: number
  /** The base register; absent: drawn. */
  readonly base?: number | undefined
  /** The bounds register; absent: drawn. */
  readonly limit?: number | undefined
  /** Explicit virtual addresses, each in [0, addressSpace); absent: drawn. */
  readonly addresses?: readonly number[] | undefined
}

/** A base-and-bounds problem: the registers and the virtual addresses to translate. */
export interface BaseBoundsProblem {
  readonly addressSpace: number
  readonly physicalMemory: number
  readonly base: number
  readonly limit: number
  readonly addresses: readonly number[]
}

/** One answer: the virtual address, whether it is valid, and its physical address (null: violation). */
export interface BaseBoundsTranslation {
  readonly virtual: number
  readonly valid: boolean
  readonly physical: number | null
}

/** The checks relocation.py makes before any draw, in its order; undefined when all pass. */
function sizeRefusal(addressSpace: number, physicalMemory: number) {
  if (physicalMemory <= 1)
    return refuse(["physicalMemory"], `--physical-memory ${physicalMemory} must be more than 1 byte`)
  if (addressSpace === 0) return refuse(["addressSpace"], "--address-space must not be 0")
  if (physicalMemory <= addressSpace)
    return refuse(
      ["physicalMemory", "addressSpace"],
      `--physical-memory ${physicalMemory} must be greater than --address-space ${addressSpace}`,
    )
  return undefined
}

/**
 * The problem relocation.py draws from `random` for these options (see the file header for the
 * draw order), or the rule they break.
 */
export function drawBaseBounds(options: BaseBoundsOptions, random: UniformSource): DrawResult<BaseBoundsProblem> {
  const { addressSpace, physicalMemory } = options
  const sizes = sizeRefusal(addressSpace, physicalMemory)
  if (sizes !== undefined) return sizes
  const limit = options.limit ?? Math.floor(addressSpace / 4 + (addressSpace / 4) * random.next())
  let base = options.base
  if (base === undefined) {
    if (limit >= physicalMemory)
      return refuse(
        ["limit", "physicalMemory"],
        `--limit ${limit} must be below --physical-memory ${physicalMemory} for a drawn base (relocation.py would search for a base forever)`,
      )
    do base = Math.floor(physicalMemory * random.next())
    while (!(base + limit < physicalMemory))
  }
  if (base + limit > physicalMemory)
    return refuse(
      ["base", "limit", "physicalMemory"],
      `base ${base} + limit ${limit} = ${base + limit} must not exceed --physical-memory ${physicalMemory} (the address space must fit in physical memory)`,
    )
  const outside = options.addresses?.find((v) => v >= addressSpace)
  if (outside !== undefined)
    return refuse(["addresses"], `address ${outside} is outside the address space [0, ${addressSpace})`)
  const addresses =
    options.addresses ??
    Array.from({ length: options.numAddresses ?? 5 }, () => Math.floor(addressSpace * random.next()))
  return { ok: true, problem: { addressSpace, physicalMemory, base, limit, addresses } }
}

/** Translates `virtual` with base and bounds: valid iff `virtual < limit`, then `base + virtual`. */
export function translateBaseBounds(base: number, limit: number, virtual: number): BaseBoundsTranslation {
  const valid = virtual < limit
  return { virtual, valid, physical: valid ? base + virtual : null }
}
