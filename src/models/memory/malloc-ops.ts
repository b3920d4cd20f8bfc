/**
 * The operations of OSTEP's `malloc.py` on a {@link Heap}, in its two modes (see docs/malloc.md):
 *
 * - **random** (`numOps`, `maxSize`, `percentAlloc`): while fewer than `numOps` operations were
 *   done, draw `r`; if `r < percentAlloc/100` allocate `⌊r'·maxSize⌋ + 1` bytes (a second draw) as
 *   pointer `c` (numbered from 0, failures included); else, when some pointer is live, free the live
 *   pointer at index `⌊r'·live⌋` (a second draw) of the live list (allocation order); else draw
 *   again without counting. A reported allocation returns the chunk address plus the header size
 *   (−1 + header on failure).
 * - **explicit** (`+N` allocates N bytes, `-K` frees pointer K): pointers are numbered as above and
 *   never forgotten; a free with K ≥ the number of successful allocations so far is skipped; a free
 *   of a failed allocation breaks malloc.py (a {@link HeapError}); otherwise it frees the address
 *   recorded for pointer K (−1 when no chunk starts there any more). An allocation returns the
 *   chunk address itself (−1 on failure).
 */
import type { UnitRandom } from "./page-replacement.ts"
import { type FreeBlock, Heap, HeapError } from "./free-list.ts"

/** One item of an explicit program: allocate `n` bytes, or free pointer `n`. */
export interface ExplicitOp {
  readonly kind: "+" | "-"
  readonly n: number
}

/** The random mode's parameters, as malloc.py's `-n`, `-r`, `-P`. */
export interface RandomOps {
  /** Operations to perform; an integer >= 0. */
  readonly numOps: number
  /** Largest request; an integer >= 0 (requests are 1 to this, or 1 when 0). */
  readonly maxSize: number
  /** Percentage of allocations; > 0 (100 or more: allocations only). */
  readonly percentAlloc: number
}

/** One reported operation, as the malloc sim's `metrics.ops` lists it. */
export interface MallocOp {
  readonly kind: "alloc" | "free" | "skip"
  /** The pointer number. */
  readonly ptr: number
  /** Alloc: the request as given; else null. */
  readonly size: number | null
  /** Alloc: the chunk's start address (header included), or null on failure; else null. */
  readonly chunk: number | null
  /** malloc.py's printed return value for the mode; null for a skip. */
  readonly returned: number | null
  /** Alloc: the chunk's size (aligned request plus header), also on failure; else null (not in the metrics). */
  readonly need: number | null
  /** Free: the address freed; else null (not in the metrics). */
  readonly address: number | null
  /** Alloc: blocks examined; else null. */
  readonly searched: number | null
  /** The free list after the operation; null for a skip. */
  readonly freeList: readonly FreeBlock[] | null
  /** The allocated chunks after the operation, by address (for the checks; not in the metrics). */
  readonly allocated: readonly FreeBlock[] | null
}

/** The items of `+3,+5,-0`, or why the text is not a program. */
export function parseOps(text: string): { ok: true; value: ExplicitOp[] } | { ok: false; error: string } {
  const items = text.split(",")
  const bad = items.findIndex((item) => !/^[+-][0-9]+$/.test(item))
  if (bad >= 0)
    return {
      ok: false,
      error: `item ${bad + 1} ${JSON.stringify(items[bad])} is not +N (allocate N bytes) or -K (free pointer K), N and K decimal digits`,
    }
  const value = items.map((item) => ({ kind: item[0] as "+" | "-", n: Number(item.slice(1)) }))
  if (!value.every((op) => Number.isSafeInteger(op.n))) return { ok: false, error: "numbers must be safe integers" }
  return { ok: true, value }
}

function allocOp(heap: Heap, ptr: number, size: number, header: number): MallocOp {
  const { chunk, need, searched } = heap.allocate(size)
  const returned = (chunk ?? -1) + header
  const after = { freeList: heap.freeList(), allocated: heap.allocated() }
  return { kind: "alloc", ptr, size, chunk, returned, need, address: null, searched, ...after }
}

function freeOp(heap: Heap, ptr: number, address: number): MallocOp {
  const returned = heap.free(address)
  const common = { size: null, chunk: null, need: null, searched: null }
  const after = { freeList: heap.freeList(), allocated: heap.allocated() }
  return { kind: "free", ptr, ...common, returned, address, ...after }
}

/** The operations of the random mode, one at a time (draws from `random` as malloc.py does). */
export function* randomOps(heap: Heap, ops: RandomOps, random: UnitRandom): Generator<MallocOp, void> {
  const p = ops.percentAlloc / 100
  const address = new Map<number, number>()
  const live: number[] = []
  let c = 0
  for (let j = 0; j < ops.numOps;) {
    if (random.next() < p) {
      const size = Math.floor(random.next() * ops.maxSize) + 1
      const op = allocOp(heap, c, size, heap.headerSize)
      if (op.chunk !== null) {
        address.set(c, op.chunk)
        live.push(c)
      }
      yield op
      c++
      j++
    } else if (live.length > 0) {
      const d = Math.floor(random.next() * live.length)
      const ptr = live[d]!
      live.splice(d, 1)
      yield freeOp(heap, ptr, address.get(ptr)!)
      j++
    }
  }
}

/**
 * The operations of an explicit program, one at a time.
 * @throws HeapError on a free of a failed allocation, or an allocation at an allocated address
 */
export function* explicitOps(heap: Heap, program: readonly ExplicitOp[]): Generator<MallocOp, void> {
  const address = new Map<number, number>()
  let c = 0
  let succeeded = 0
  for (const { kind, n } of program) {
    if (kind === "+") {
      const op = allocOp(heap, c, n, 0)
      if (op.chunk !== null) {
        address.set(c, op.chunk)
        succeeded++
      }
      yield op
      c++
    } else if (n >= succeeded) {
      const nulls = { size: null, chunk: null, returned: null, need: null, address: null, searched: null }
      yield { kind: "skip", ptr: n, ...nulls, freeList: null, allocated: null }
    } else {
      const chunk = address.get(n)
      if (chunk === undefined) throw new HeapError(`-${n} frees ptr[${n}], whose allocation failed`)
      yield freeOp(heap, n, chunk)
    }
  }
}
