/**
 * The inputs of the OSTEP address-translation homework, read the way its scripts read them.
 *
 * Sizes and register values are a decimal integer with an optional binary suffix: `k`/`K` ×1024,
 * `m`/`M` ×1024², `g`/`G` ×1024³ (`16k` = 16384, `3000` = 3000). Nothing else: no `kb`, no
 * fractions, no sign (OSTEP's parser also takes negative numbers; ours does not, see
 * docs/memory.md). Address lists are comma-separated decimal integers (or `0x` hex where the
 * homework states addresses in hex), each below the address-space size.
 *
 * Values stay below 2^53 so that every size, product and draw is exact in a double, as it is in
 * Python for the sizes a class uses.
 */

/** A parse result: the value, or the reader's sentence saying what is allowed. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string }

/** The syntax of a size: digits and an optional k, m or g (either case). */
export const SIZE_PATTERN = /^([0-9]+)([kKmMgG]?)$/

/** The largest size accepted: 2^50 bytes (a petabyte), far beyond any homework. */
export const SIZE_MAX = 2 ** 50

const MULTIPLIER: Readonly<Record<string, number>> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }

/** `16k` → 16384, as OSTEP's `convert`; an error sentence for anything else. */
export function parseSize(text: string): Parsed<number> {
  const match = SIZE_PATTERN.exec(text)
  if (match === null) return { ok: false, error: "a size: digits with an optional k, m or g (16k, 1m, 3000)" }
  const value = Number(match[1]) * MULTIPLIER[match[2]!.toLowerCase()]!
  if (!(value <= SIZE_MAX)) return { ok: false, error: `a size up to 1024m·1024 (2^50), got ${value}` }
  return { ok: true, value }
}

/** The value of a register or size flag: `random` (draw it) or a size. */
export function parseSizeOrRandom(text: string): Parsed<number | undefined> {
  if (text === "random") return { ok: true, value: undefined }
  const parsed = parseSize(text)
  return parsed.ok ? parsed : { ok: false, error: `random, or ${parsed.error}` }
}

/** Options of {@link parseAddresses}. */
export interface AddressListOptions {
  /** Accept `0x`-prefixed hexadecimal addresses too. Default false (decimal only). */
  readonly hex?: boolean
}

/**
 * A comma-separated list of virtual addresses (`random` is not handled here), without checking
 * their range (that needs the address-space size: see {@link addressOutside}).
 */
export function parseAddresses(text: string, options: AddressListOptions = {}): Parsed<number[]> {
  const allowed = options.hex
    ? "comma-separated addresses, each decimal or 0x hex (1000,0x3c2f)"
    : "comma-separated decimal addresses (1000,2000)"
  const items = text.split(",")
  const values: number[] = []
  for (const item of items) {
    const decimal = /^[0-9]+$/.test(item)
    const hex = options.hex === true && /^0[xX][0-9a-fA-F]+$/.test(item)
    if (!decimal && !hex) return { ok: false, error: `${allowed}; ${JSON.stringify(item)} is not an address` }
    const value = Number(item)
    if (!(value <= SIZE_MAX)) return { ok: false, error: `${allowed}; ${item} is too large` }
    values.push(value)
  }
  return { ok: true, value: values }
}

/** The first address not in [0, size), or undefined when all are. */
export function addressOutside(addresses: readonly number[], size: number): number | undefined {
  return addresses.find((address) => address >= size)
}

/** How many addresses a run translates: `--num-addresses` when they are drawn, else the listed ones. */
export function addressCount(addresses: string, numAddresses: number): number {
  return addresses === "random" ? numAddresses : addresses.split(",").length
}
