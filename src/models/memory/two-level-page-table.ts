/**
 * A two-level page table in a 4 KB memory, as OSTEP's `paging-multilevel-translate.py` builds and
 * answers it.
 *
 * A fixed machine: 32-byte pages, 128 physical pages, 15-bit virtual addresses (1024 virtual
 * pages). An address splits into a 5-bit page-directory index, a 5-bit page-table index and a
 * 5-bit offset. Directory and table entries are one byte: bit 7 valid, bits 6–0 a page number.
 * The directory (at page PDBR) points at the pages of the page table that exist; a missing page of
 * the table costs nothing, which is the point of a second level: like a phone book split into
 * volumes by first letter, with the volumes nobody needs never printed.
 *
 * Memory starts all zero; the directory and each page-table page are filled with 0x7f (invalid).
 * Draws (so `--seed S` builds the memory of `-s S`): the directory = a free page; then per
 * allocation: a virtual page not chosen before (`⌊r·1024⌋`, redrawn), its data page (free page),
 * the page-table page if the directory entry is invalid (free page, drawn after the data page),
 * then the data page's 32 bytes `⌊r·31⌋`; a free page is `⌊r·128⌋` redrawn until unused. Then two
 * draws per address: `r1`, and if `r1·100 > 50` or `i ≥ allocated` any address `⌊r·32768⌋`, else
 * an address in the i-th allocated page (allocation order) `(vp << 5) | ⌊r·32⌋`.
 */
import { type DrawResult, refuse, type UniformSource } from "./problem.ts"

/** Bytes per page. */
export const PAGE_BYTES = 32
/** Physical pages (4096 bytes of memory). */
export const PHYSICAL_PAGES = 128
/** Virtual pages (a 32 KB address space). */
export const VIRTUAL_PAGES = 1024
/** The size of the virtual address space in bytes. */
export const VIRTUAL_BYTES = VIRTUAL_PAGES * PAGE_BYTES
/** A fresh directory or page-table page holds this in every entry: invalid, "page 127". */
const INVALID_ENTRY = 0x7f
/** The valid bit of an entry. */
const VALID_BIT = 0x80

/** Options of {@link drawTwoLevelMemory}. */
export interface TwoLevelOptions {
  /** Virtual pages to allocate (`-a`). Default 64. */
  readonly allocated?: number
  /** Addresses to draw (`-n`) when `addresses` is absent. Default 10. */
  readonly numAddresses?: number
  /** Explicit virtual addresses, each in [0, 32768); absent: drawn (after the memory). */
  readonly addresses?: readonly number[] | undefined
}

/** A two-level problem: the memory image, the directory's page, and the addresses to translate. */
export interface TwoLevelProblem {
  /** Physical memory, 4096 bytes. */
  readonly memory: Uint8Array
  /** The page directory's page number. */
  readonly pdbr: number
  /** The virtual pages allocated, in allocation order. */
  readonly allocatedPages: readonly number[]
  /** The physical page holding each allocated virtual page, in the same order. */
  readonly dataPages: readonly number[]
  readonly addresses: readonly number[]
}

/** One answer: the walk through the directory and the table, and where it ended. */
export interface TwoLevelTranslation {
  readonly virtual: number
  readonly pdeIndex: number
  readonly pde: number
  readonly pdeValid: boolean
  /** Null when the directory entry is invalid (the walk stopped there). */
  readonly pteIndex: number | null
  readonly pte: number | null
  readonly pteValid: boolean | null
  /** Null on a fault. */
  readonly physical: number | null
  /** The byte at `physical`; null on a fault. */
  readonly value: number | null
  /** Where the walk faulted: `"pde"`, `"pte"`, or null. */
  readonly fault: "pde" | "pte" | null
}

/** Thrown inside the builder when all 128 pages are used and another is needed. */
class MemoryFull extends Error {}

/** The memory builder's state: pages in use and the draws. */
class Memory {
  readonly bytes = new Uint8Array(PAGE_BYTES * PHYSICAL_PAGES)
  private readonly used = new Uint8Array(PHYSICAL_PAGES)
  private usedCount = 0

  constructor(private readonly random: UniformSource) {}

  /** A free page drawn as the script draws it, marked used. */
  freePage(): number {
    if (this.usedCount >= PHYSICAL_PAGES) throw new MemoryFull()
    let page = Math.floor(this.random.next() * PHYSICAL_PAGES)
    while (this.used[page] === 1) page = Math.floor(this.random.next() * PHYSICAL_PAGES)
    this.used[page] = 1
    this.usedCount++
    return page
  }

  /** Page `page` filled with invalid entries. */
  invalidate(page: number): void {
    this.bytes.fill(INVALID_ENTRY, page * PAGE_BYTES, (page + 1) * PAGE_BYTES)
  }

  /** Maps virtual page `vp` to data page `data`, allocating its page-table page if needed. */
  map(pdbr: number, vp: number, data: number): void {
    const pdeAddress = pdbr * PAGE_BYTES + (vp >> 5)
    let table = this.bytes[pdeAddress]!
    if ((table & VALID_BIT) === 0) {
      const page = this.freePage()
      this.bytes[pdeAddress] = VALID_BIT | page
      this.invalidate(page)
      table = page
    }
    this.bytes[(table & INVALID_ENTRY) * PAGE_BYTES + (vp & 31)] = VALID_BIT | data
  }

  /** Fills data page `page` with 32 drawn bytes 0–30. */
  fill(page: number): void {
    for (let j = 0; j < PAGE_BYTES; j++) this.bytes[page * PAGE_BYTES + j] = Math.floor(this.random.next() * 31)
  }
}

/** The memory the script builds, or the page it ran out at. */
function buildMemory(allocated: number, random: UniformSource) {
  const memory = new Memory(random)
  const pdbr = memory.freePage()
  memory.invalidate(pdbr)
  const chosen = new Uint8Array(VIRTUAL_PAGES)
  const allocatedPages: number[] = []
  const dataPages: number[] = []
  for (let k = 0; k < allocated; k++) {
    let vp = Math.floor(random.next() * VIRTUAL_PAGES)
    while (chosen[vp] === 1) vp = Math.floor(random.next() * VIRTUAL_PAGES)
    chosen[vp] = 1
    allocatedPages.push(vp)
    const data = memory.freePage()
    dataPages.push(data)
    memory.map(pdbr, vp, data)
    memory.fill(data)
  }
  return { memory: memory.bytes, pdbr, allocatedPages, dataPages }
}

/**
 * The memory and addresses paging-multilevel-translate.py draws from `random` (see the file
 * header), or the refusal when the allocations need more than the 128 pages (OSTEP's assertion).
 */
export function drawTwoLevelMemory(options: TwoLevelOptions, random: UniformSource): DrawResult<TwoLevelProblem> {
  const allocated = options.allocated ?? 64
  const outside = options.addresses?.find((v) => v >= VIRTUAL_BYTES)
  if (outside !== undefined)
    return refuse(["addresses"], `address ${outside} is outside the address space [0, ${VIRTUAL_BYTES})`)
  let built: ReturnType<typeof buildMemory>
  try {
    built = buildMemory(allocated, random)
  } catch (error) {
    if (!(error instanceof MemoryFull)) throw error
    return refuse(
      ["allocated"],
      `--allocated ${allocated} pages do not fit: with this seed the data pages, the directory and the page-table pages need more than the ${PHYSICAL_PAGES} physical pages`,
    )
  }
  const drawAddress = (i: number): number => {
    const r1 = random.next()
    if (r1 * 100 > 50 || i >= built.allocatedPages.length) return Math.floor(random.next() * 1024 * 32)
    return (built.allocatedPages[i]! << 5) | Math.floor(random.next() * 32)
  }
  const addresses = options.addresses ?? Array.from({ length: options.numAddresses ?? 10 }, (_, i) => drawAddress(i))
  return { ok: true, problem: { ...built, addresses } }
}

/** Walks the two-level table at page `pdbr` of `memory` for `virtual`. */
export function translateTwoLevel(memory: Uint8Array, pdbr: number, virtual: number): TwoLevelTranslation {
  const pdeIndex = (virtual >> 10) & 31
  const pde = memory[pdbr * PAGE_BYTES + pdeIndex]!
  const walk = { virtual, pdeIndex, pde, pdeValid: (pde & VALID_BIT) !== 0 }
  if (!walk.pdeValid)
    return { ...walk, pteIndex: null, pte: null, pteValid: null, physical: null, value: null, fault: "pde" }
  const pteIndex = (virtual >> 5) & 31
  const pte = memory[(pde & INVALID_ENTRY) * PAGE_BYTES + pteIndex]!
  const pteValid = (pte & VALID_BIT) !== 0
  if (!pteValid) return { ...walk, pteIndex, pte, pteValid, physical: null, value: null, fault: "pte" }
  const physical = (pte & INVALID_ENTRY) * PAGE_BYTES + (virtual & 31)
  return { ...walk, pteIndex, pte, pteValid, physical, value: memory[physical]!, fault: null }
}

/** Memory as OSTEP dumps it: one string of 64 lowercase hex digits per page, page 0 first. */
export function memoryPages(memory: Uint8Array): string[] {
  return Array.from({ length: PHYSICAL_PAGES }, (_, page) =>
    Array.from(memory.subarray(page * PAGE_BYTES, (page + 1) * PAGE_BYTES), (byte) =>
      byte.toString(16).padStart(2, "0"),
    ).join(""),
  )
}
