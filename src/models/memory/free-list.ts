/**
 * Free-space management as pure functions: a heap of `heapSize` bytes from `baseAddress`, its free
 * list, and the operations of OSTEP's `malloc.py` (see docs/malloc.md).
 *
 * The free list is an ordered list of `[address, size]` blocks, initially one block holding the
 * whole heap. **Allocate** `s` bytes: round `s` up to a multiple of `align`, add `headerSize`: that
 * is the chunk's size `need`. Scan the list in its current order counting the blocks examined: `first`
 * takes the first block of size ≥ need and stops; `best` the smallest such block, `worst` the
 * largest (first in list order among equals), both examining the whole list. The chunk starts at
 * the block's address; a larger block is replaced in place by its remainder, an exact one removed;
 * the list is not re-sorted. **Free** the chunk at `address`: unknown → −1 and nothing changes;
 * otherwise the block is inserted (`insert-back` appends, `insert-front` prepends, `addrsort`,
 * `sizesort+` and `sizesort-` append then sort stably by address, size ascending or size
 * descending), then with `coalesce` one pass merges each block into the run before it when it
 * starts where that run ends (list neighbours only), and 0 is returned.
 *
 * Invariants: the free blocks and the allocated chunks never overlap and their sizes add up to
 * the heap; with coalescing under `addrsort` no two free blocks touch.
 */

/** How an allocation searches the free list. */
export const SEARCH_POLICIES = ["best", "worst", "first"] as const
export type SearchPolicy = (typeof SEARCH_POLICIES)[number]

/** Where a freed block goes in the list. */
export const LIST_ORDERS = ["addrsort", "sizesort+", "sizesort-", "insert-front", "insert-back"] as const
export type ListOrder = (typeof LIST_ORDERS)[number]

/** A free block: `[address, size]`. */
export type FreeBlock = readonly [number, number]

/** Options of a {@link Heap}; the defaults are malloc.py's. */
export interface HeapOptions {
  /** Bytes in the heap; an integer >= 0. Default 100. */
  readonly heapSize?: number
  /** Address of the heap's first byte; an integer >= 0. Default 1000. */
  readonly baseAddress?: number
  /** Bytes of header per chunk; an integer >= 0. Default 0. */
  readonly headerSize?: number
  /** Requests are rounded up to a multiple of this; an integer >= 1 (1 = none). Default 1. */
  readonly align?: number
  /** Default `best`. */
  readonly policy?: SearchPolicy
  /** Default `addrsort`. */
  readonly listOrder?: ListOrder
  /** Merge list neighbours that touch after every successful free. Default false. */
  readonly coalesce?: boolean
}

/** What an allocation did. */
export interface Allocation {
  /** The chunk's start address, or null when no block fits. */
  readonly chunk: number | null
  /** The chunk's size: the request aligned, plus the header. */
  readonly need: number
  /** Blocks examined. */
  readonly searched: number
}

/** A rule of malloc.py that a run broke (OSTEP fails an assert or crashes). */
export class HeapError extends Error {}

/** A heap with its free list and its allocated chunks. */
export class Heap {
  readonly heapSize: number
  readonly headerSize: number
  private readonly align: number
  private readonly policy: SearchPolicy
  private readonly listOrder: ListOrder
  private readonly coalesce: boolean
  private list: [number, number][]
  private readonly chunks = new Map<number, number>()

  constructor(options: HeapOptions = {}) {
    this.heapSize = options.heapSize ?? 100
    this.headerSize = options.headerSize ?? 0
    this.align = options.align ?? 1
    this.policy = options.policy ?? "best"
    this.listOrder = options.listOrder ?? "addrsort"
    this.coalesce = options.coalesce ?? false
    for (const [name, value, min] of [
      ["heapSize", this.heapSize, 0],
      ["baseAddress", options.baseAddress ?? 1000, 0],
      ["headerSize", this.headerSize, 0],
      ["align", this.align, 1],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < min)
        throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`)
    }
    this.list = [[options.baseAddress ?? 1000, this.heapSize]]
  }

  /** The free list, in list order. */
  freeList(): FreeBlock[] {
    return this.list.map(([address, size]) => [address, size] as const)
  }

  /** The allocated chunks, `[address, size]`, by address. */
  allocated(): FreeBlock[] {
    return [...this.chunks].sort((a, b) => a[0] - b[0])
  }

  /**
   * Allocates `size` bytes.
   * @throws HeapError when the chunk's address is already allocated (possible after a zero-byte chunk)
   */
  allocate(size: number): Allocation {
    const left = size % this.align
    const need = size + (left === 0 ? 0 : this.align - left) + this.headerSize
    let chosen = -1
    let searched = 0
    for (let i = 0; i < this.list.length; i++) {
      searched++
      const blockSize = this.list[i]![1]
      if (blockSize < need) continue
      if (this.policy === "first") {
        chosen = i
        break
      }
      const best = chosen < 0 ? undefined : this.list[chosen]![1]
      if (best === undefined || (this.policy === "best" ? blockSize < best : blockSize > best)) chosen = i
    }
    if (chosen < 0) return { chunk: null, need, searched }
    const [address, blockSize] = this.list[chosen]!
    if (this.chunks.has(address))
      throw new HeapError(
        `a chunk already starts at address ${address} (a zero-byte chunk left its block where it was)`,
      )
    if (blockSize > need) this.list[chosen] = [address + need, blockSize - need]
    else this.list.splice(chosen, 1)
    this.chunks.set(address, need)
    return { chunk: address, need, searched }
  }

  /** Frees the chunk at `address`: 0, or −1 when no chunk starts there (nothing changes). */
  free(address: number): 0 | -1 {
    const size = this.chunks.get(address)
    if (size === undefined) return -1
    const block: [number, number] = [address, size]
    if (this.listOrder === "insert-front") this.list.unshift(block)
    else this.list.push(block)
    // Array.prototype.sort is stable: equal keys keep their order, the freed block after older ones.
    if (this.listOrder === "addrsort") this.list.sort((a, b) => a[0] - b[0])
    else if (this.listOrder === "sizesort+") this.list.sort((a, b) => a[1] - b[1])
    else if (this.listOrder === "sizesort-") this.list.sort((a, b) => b[1] - a[1])
    if (this.coalesce) this.list = coalesced(this.list)
    this.chunks.delete(address)
    return 0
  }
}

/** One pass in list order: a block that starts where the run before it ends joins that run. */
function coalesced(list: readonly [number, number][]): [number, number][] {
  const merged: [number, number][] = []
  let run: [number, number] = [...list[0]!]
  for (const [address, size] of list.slice(1)) {
    if (address === run[0] + run[1]) run = [run[0], run[1] + size]
    else {
      merged.push(run)
      run = [address, size]
    }
  }
  merged.push(run)
  return merged
}

/** External fragmentation of a free list: 1 − largest block / free bytes (0 when nothing is free). */
export function fragmentation(list: readonly FreeBlock[]): number {
  const free = list.reduce((sum, block) => sum + block[1], 0)
  return free === 0 ? 0 : 1 - Math.max(...list.map((block) => block[1])) / free
}
