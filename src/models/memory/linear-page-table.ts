/**
 * A linear page table, as OSTEP's `paging-linear-translate.py` draws and answers it.
 *
 * The address space is cut into pages and physical memory into frames of the same size; the page
 * table holds one entry per virtual page (VPN), either invalid or the frame (PFN) that holds it. A
 * virtual address splits into `vpn = v >> pagebits` and `offset = v & (pagesize − 1)`; a valid
 * entry gives `physical = pfn · pagesize + offset`, an invalid one a fault. Like a book whose
 * chapters are printed on loose sheets: the table of contents says which sheet holds chapter k.
 *
 * Draw order (so `--seed S` draws the problem of `paging-linear-translate.py -s S`): for each VPN
 * from 0, repeat { `r1`; if `r1·100 > 100 − used`, draw a frame `⌊frames·r⌋` and stop if it is
 * free, else start again (the valid/invalid decision is drawn afresh too); otherwise the entry is
 * invalid }; then the addresses `⌊asize·r⌋`. A given table makes no table draws.
 */
import { type DrawResult, type InputRefusal, refuse, type UniformSource } from "./problem.ts"
import type { Parsed } from "./sizes.ts"

/** 2^30: both sizes must be below it. */
const ONE_GB = 2 ** 30

/** Options of {@link drawLinearPageTable}: the script's inputs, the table and addresses drawn when absent. */
export interface LinearPageTableOptions {
  /** Address-space size in bytes (`-a`), a power of two. Required. */
  readonly addressSpace: number
  /** Physical memory in bytes (`-p`), a multiple of the page size. Required. */
  readonly physicalMemory: number
  /** Page size in bytes (`-P`), a power of two. Required. */
  readonly pageSize: number
  /** Percentage of the virtual pages that are mapped (`-u`), 0 to 100. Default 50. */
  readonly usedPercent?: number
  /** Addresses to draw (`-n`) when `addresses` is absent. Default 5. */
  readonly numAddresses?: number
  /** The page table: one frame number (or null: invalid) per VPN; absent: drawn. */
  readonly pageTable?: readonly (number | null)[] | undefined
  /** Explicit virtual addresses (`-A`), each in [0, addressSpace); absent: drawn. */
  readonly addresses?: readonly number[] | undefined
}

/** A linear-page-table problem: the sizes, the table and the addresses to translate. */
export interface LinearPageTableProblem {
  readonly addressSpace: number
  readonly physicalMemory: number
  readonly pageSize: number
  /** One entry per VPN: the frame number, or null when the page is not valid. */
  readonly pageTable: readonly (number | null)[]
  readonly addresses: readonly number[]
}

/** One answer: the split address, and the physical address (null when the VPN is not valid). */
export interface PageTranslation {
  readonly virtual: number
  readonly vpn: number
  readonly offset: number
  readonly valid: boolean
  readonly physical: number | null
}

/** True for 1, 2, 4, ...: every size here is below 2^30, so the bit trick is exact. */
const isPowerOfTwo = (n: number): boolean => n >= 1 && (n & (n - 1)) === 0

/** The size checks, in the script's order. */
function sizeRefusal(asize: number, psize: number, pageSize: number): InputRefusal | undefined {
  if (psize <= 1) return refuse(["physicalMemory"], `--physical-memory ${psize} must be more than 1 byte`)
  if (asize < 1) return refuse(["addressSpace"], "--address-space must not be 0")
  if (psize <= asize)
    return refuse(
      ["physicalMemory", "addressSpace"],
      `--physical-memory ${psize} must be greater than --address-space ${asize}`,
    )
  if (psize >= ONE_GB || asize >= ONE_GB)
    return refuse(
      ["physicalMemory", "addressSpace"],
      `--physical-memory ${psize} and --address-space ${asize} must be below 1g`,
    )
  if (pageSize === 0) return refuse(["pageSize"], "--page-size must not be 0")
  if (asize % pageSize !== 0)
    return refuse(
      ["addressSpace", "pageSize"],
      `--address-space ${asize} must be a multiple of --page-size ${pageSize}`,
    )
  if (psize % pageSize !== 0)
    return refuse(
      ["physicalMemory", "pageSize"],
      `--physical-memory ${psize} must be a multiple of --page-size ${pageSize}`,
    )
  if (!isPowerOfTwo(asize)) return refuse(["addressSpace"], `--address-space ${asize} must be a power of 2`)
  if (!isPowerOfTwo(pageSize)) return refuse(["pageSize"], `--page-size ${pageSize} must be a power of 2`)
  return undefined
}

/** The table the script draws: one entry per VPN (see the file header). */
function drawTable(vpages: number, frames: number, usedPercent: number, random: UniformSource): (number | null)[] {
  const taken = new Uint8Array(frames)
  const table: (number | null)[] = []
  for (let vpn = 0; vpn < vpages; vpn++) {
    for (;;) {
      if (random.next() * 100 > 100 - usedPercent) {
        const frame = Math.floor(frames * random.next())
        if (taken[frame] === 1) continue
        taken[frame] = 1
        table.push(frame)
      } else table.push(null)
      break
    }
  }
  return table
}

/** Why a given table does not fit these sizes, or undefined. */
function tableRefusal(table: readonly (number | null)[], vpages: number, frames: number): InputRefusal | undefined {
  const flags = ["pageTable"]
  if (table.length !== vpages)
    return refuse(flags, `--page-table has ${table.length} entries; the address space has ${vpages} pages`)
  const seen = new Set<number>()
  for (const [vpn, frame] of table.entries()) {
    if (frame === null) continue
    if (frame >= frames)
      return refuse(flags, `--page-table maps VPN ${vpn} to frame ${frame}; frames are 0 to ${frames - 1}`)
    if (seen.has(frame)) return refuse(flags, `--page-table maps frame ${frame} twice`)
    seen.add(frame)
  }
  return undefined
}

/**
 * The problem paging-linear-translate.py draws from `random` for these options (see the file
 * header), or the rule they break.
 */
export function drawLinearPageTable(
  options: LinearPageTableOptions,
  random: UniformSource,
): DrawResult<LinearPageTableProblem> {
  const { addressSpace: asize, physicalMemory: psize, pageSize } = options
  const sizes = sizeRefusal(asize, psize, pageSize)
  if (sizes !== undefined) return sizes
  const frames = psize / pageSize
  const vpages = asize / pageSize
  if (options.pageTable !== undefined) {
    const wrong = tableRefusal(options.pageTable, vpages, frames)
    if (wrong !== undefined) return wrong
  }
  const pageTable = options.pageTable ?? drawTable(vpages, frames, options.usedPercent ?? 50, random)
  const outside = options.addresses?.find((v) => v >= asize)
  if (outside !== undefined)
    return refuse(["addresses"], `address ${outside} is outside the address space [0, ${asize})`)
  const addresses =
    options.addresses ?? Array.from({ length: options.numAddresses ?? 5 }, () => Math.floor(asize * random.next()))
  return { ok: true, problem: { addressSpace: asize, physicalMemory: psize, pageSize, pageTable, addresses } }
}

/** Translates `virtual` through a linear page table of pages of `pageSize` bytes. */
export function translateLinear(
  pageTable: readonly (number | null)[],
  pageSize: number,
  virtual: number,
): PageTranslation {
  const vpn = Math.floor(virtual / pageSize)
  const offset = virtual % pageSize
  const frame = pageTable[vpn] ?? null
  return { virtual, vpn, offset, valid: frame !== null, physical: frame === null ? null : frame * pageSize + offset }
}

/** `15,x,x,11` → `[15, null, null, 11]`: a page table as `--page-table` writes it (frames unchecked). */
export function parsePageTable(text: string): Parsed<(number | null)[]> {
  const entries: (number | null)[] = []
  for (const item of text.split(",")) {
    if (item === "x") entries.push(null)
    else if (/^[0-9]+$/.test(item) && Number(item) <= 2 ** 30) entries.push(Number(item))
    else
      return {
        ok: false,
        error: `comma-separated frame numbers or x for invalid (15,x,x,11); ${JSON.stringify(item)} is neither`,
      }
  }
  return { ok: true, value: entries }
}
