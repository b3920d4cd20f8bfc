/**
 * The trace events of free-space management ({@link MallocEvent}): one record per operation of
 * malloc.py's program, at the operation's number as simulated time, with what
 * `malloc-timeline.ts` needs to tell it.
 */

/** An allocation found a block: the chunk starts at `chunk` and takes `need` bytes. */
export interface ChunkAllocated {
  readonly type: "ChunkAllocated"
  readonly ptr: number
  /** The request as given. */
  readonly size: number
  /** The chunk's size: the request aligned, plus the header. */
  readonly need: number
  readonly chunk: number
  /** Free-list blocks examined. */
  readonly searched: number
  /** Free blocks left, and their bytes. */
  readonly freeBlocks: number
  readonly freeBytes: number
}

/** No free block was large enough. */
export interface AllocationFailed {
  readonly type: "AllocationFailed"
  readonly ptr: number
  readonly size: number
  readonly need: number
  readonly searched: number
  /** The largest free block, in bytes (0 when none). */
  readonly largestBlock: number
  readonly freeBytes: number
}

/** A chunk went back to the free list (`returned` 0), or none started at the address (−1). */
export interface ChunkFreed {
  readonly type: "ChunkFreed"
  readonly ptr: number
  readonly address: number
  readonly returned: 0 | -1
  readonly freeBlocks: number
  readonly freeBytes: number
}

/** An explicit free of a pointer number not below the successful allocations so far: skipped. */
export interface FreeSkipped {
  readonly type: "FreeSkipped"
  readonly ptr: number
}

/** Every free-space trace event. */
export type MallocEvent = ChunkAllocated | AllocationFailed | ChunkFreed | FreeSkipped
