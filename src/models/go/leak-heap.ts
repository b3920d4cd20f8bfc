/**
 * A heap by allocation site, as Go's heap profile counts it: each allocation is one object of its
 * site's size, made at a call stack (function, file and line of each frame, leaf first); the heap
 * counts per site the objects and bytes allocated since the start (`alloc_objects`,
 * `alloc_space`) and those still in use (`inuse_objects`, `inuse_space`).
 *
 * An object is freed the moment the model says nothing reaches it any more, as if a collection
 * ran after every request: Go's profile reports in-use memory as of the last collection, so its
 * in-use columns lag a little behind this model's. Every allocation is recorded (Go samples one
 * per 512 KiB on average and scales up). Docs: docs/go-concurrency.md#goroutine-leaks-and-the-heap.
 */

/** One frame of a call stack: a function and the line in its file where the call (or allocation) is. */
export interface StackFrame {
  /** Go's qualified name, e.g. `main.worker` or `runtime.malg`. */
  readonly function: string
  /** The source file, e.g. `worker.go`. */
  readonly file: string
  /** The line in that file. */
  readonly line: number
}

/** Where objects are allocated: a call stack and the size of each object allocated there. */
export interface AllocationSite {
  /** The call stack, leaf (the allocating function) first. */
  readonly stack: readonly StackFrame[]
  /** Bytes of each object, > 0. */
  readonly objectBytes: number
}

/** What the heap counts for one site. */
export interface SiteStats {
  readonly site: AllocationSite
  /** Objects allocated since the start. */
  readonly allocObjects: number
  /** Bytes allocated since the start. */
  readonly allocBytes: number
  /** Objects still reachable. */
  readonly inUseObjects: number
  /** Bytes still reachable. */
  readonly inUseBytes: number
}

/** A live object: free it once with {@link LeakHeap.free}. */
export interface HeapObject {
  readonly site: AllocationSite
  freed: boolean
}

interface Counters {
  allocObjects: number
  allocBytes: number
  inUseObjects: number
  inUseBytes: number
}

/** The heap: allocate at a site, free an object, read the totals and the per-site counts. */
export class LeakHeap {
  private readonly counters = new Map<AllocationSite, Counters>()
  private inUse = 0
  private allocated = 0
  private liveObjects = 0

  /** Allocates one object at `site`. */
  alloc(site: AllocationSite): HeapObject {
    const counters = this.countersOf(site)
    counters.allocObjects++
    counters.allocBytes += site.objectBytes
    counters.inUseObjects++
    counters.inUseBytes += site.objectBytes
    this.inUse += site.objectBytes
    this.allocated += site.objectBytes
    this.liveObjects++
    return { site, freed: false }
  }

  /** Frees `object` (it became unreachable). @throws Error when it was freed already. */
  free(object: HeapObject): void {
    if (object.freed) throw new Error(`object of ${object.site.stack[0]!.function} freed twice`)
    object.freed = true
    const counters = this.countersOf(object.site)
    counters.inUseObjects--
    counters.inUseBytes -= object.site.objectBytes
    this.inUse -= object.site.objectBytes
    this.liveObjects--
  }

  /** Bytes reachable now. */
  get inUseBytes(): number {
    return this.inUse
  }

  /** Objects reachable now. */
  get inUseObjects(): number {
    return this.liveObjects
  }

  /** Bytes allocated since the start. */
  get allocBytes(): number {
    return this.allocated
  }

  /** Per-site counts, in the order the sites were first allocated at. */
  sites(): SiteStats[] {
    return [...this.counters].map(([site, c]) => ({ site, ...c }))
  }

  private countersOf(site: AllocationSite): Counters {
    let counters = this.counters.get(site)
    if (counters === undefined) {
      if (!(site.objectBytes > 0)) throw new RangeError(`object size must be > 0, got ${site.objectBytes}`)
      counters = { allocObjects: 0, allocBytes: 0, inUseObjects: 0, inUseBytes: 0 }
      this.counters.set(site, counters)
    }
    return counters
  }
}
