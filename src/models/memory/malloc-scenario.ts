/**
 * A malloc.py run in the scenario shape: `new MallocScenario(sim, options)` starts a kernel process
 * that performs one operation per time unit (operation k at t = k) on a {@link Heap}, in random or
 * explicit mode, and records each as a `ChunkAllocated`, `AllocationFailed`, `ChunkFreed` or
 * `FreeSkipped`; `run(advance)` returns the {@link MallocResult}, whose `summary()` is the malloc
 * sim's JSON metrics.
 */
import type { Advance, JsonValue, Scenario, ScenarioResult } from "../../check/core/index.ts"
import { runUntil } from "../../check/core/index.ts"
import type { ProcessGenerator, Simulation, TraceOf } from "../../kernel/index.ts"
import { type FreeBlock, Heap, type HeapOptions } from "./free-list.ts"
import type { MallocEvent } from "./malloc-events.ts"
import { type ExplicitOp, explicitOps, type MallocOp, type RandomOps, randomOps } from "./malloc-ops.ts"
import type { UnitRandom } from "./page-replacement.ts"

/** Options of a {@link MallocScenario}: the heap, and either a program or the random mode's draws. */
export interface MallocScenarioOptions extends HeapOptions {
  /** The explicit operations, or undefined for the random mode. Default undefined. */
  readonly program?: readonly ExplicitOp[]
  /** The random mode's parameters. Required without a program. */
  readonly random?: RandomOps & { readonly stream: UnitRandom }
}

/** A finished run: every operation, the final heap, and `summary()`. */
export interface MallocResult extends ScenarioResult {
  readonly heapSize: number
  readonly coalesce: boolean
  readonly listOrder: NonNullable<HeapOptions["listOrder"]>
  readonly ops: readonly MallocOp[]
  readonly freeList: readonly FreeBlock[]
  readonly allocated: readonly FreeBlock[]
}

/** The malloc sim's JSON metrics: every operation, the final list and the counts. */
export function mallocSummary(result: Omit<MallocResult, "summary">): { readonly [metric: string]: JsonValue } {
  const allocs = result.ops.filter((op) => op.kind === "alloc")
  return {
    ops: result.ops.map(({ kind, ptr, size, chunk, returned, searched, freeList }) => ({
      kind,
      ptr,
      size,
      chunk,
      returned,
      searched,
      freeList: freeList === null ? null : freeList.map((block) => [...block]),
    })),
    freeList: result.freeList.map((block) => [...block]),
    allocs: allocs.length,
    failedAllocs: allocs.filter((op) => op.chunk === null).length,
    frees: result.ops.filter((op) => op.kind === "free").length,
  }
}

function eventOf(op: MallocOp): MallocEvent {
  const list = op.freeList ?? []
  const freeBlocks = list.length
  const freeBytes = list.reduce((sum, block) => sum + block[1], 0)
  switch (op.kind) {
    case "alloc":
      return op.chunk === null
        ? {
            type: "AllocationFailed",
            ptr: op.ptr,
            size: op.size!,
            need: op.need!,
            searched: op.searched!,
            largestBlock: Math.max(0, ...list.map((block) => block[1])),
            freeBytes,
          }
        : {
            type: "ChunkAllocated",
            ptr: op.ptr,
            size: op.size!,
            need: op.need!,
            chunk: op.chunk,
            searched: op.searched!,
            freeBlocks,
            freeBytes,
          }
    case "free":
      return {
        type: "ChunkFreed",
        ptr: op.ptr,
        address: op.address!,
        returned: op.returned === 0 ? 0 : -1,
        freeBlocks,
        freeBytes,
      }
    case "skip":
      return { type: "FreeSkipped", ptr: op.ptr }
  }
}

/** One heap, fed its operations one per time unit. */
export class MallocScenario implements Scenario<MallocResult> {
  private readonly heap: Heap
  private readonly ops: MallocOp[] = []

  /** @throws RangeError on a bad heap option, or without a program and random parameters */
  constructor(
    readonly sim: Simulation,
    private readonly options: MallocScenarioOptions,
  ) {
    this.heap = new Heap(options)
    const { program, random } = options
    if (program === undefined && random === undefined)
      throw new RangeError("a malloc run needs a program or random ops")
    const ops = program !== undefined ? explicitOps(this.heap, program) : randomOps(this.heap, random!, random!.stream)
    sim.spawn(this.operations(ops, sim.trace), "operations")
  }

  private *operations(ops: Iterable<MallocOp>, trace: TraceOf<MallocEvent>): ProcessGenerator<void> {
    for (const op of ops) {
      if (this.ops.length > 0) yield* this.sim.sleep(1)
      this.ops.push(op)
      trace.record(eventOf(op))
    }
  }

  /** Runs every operation. */
  run(advance: Advance = runUntil): MallocResult {
    advance(this.sim, Infinity)
    const result = {
      heapSize: this.heap.heapSize,
      coalesce: this.options.coalesce ?? false,
      listOrder: this.options.listOrder ?? "addrsort",
      ops: this.ops,
      freeList: this.heap.freeList(),
      allocated: this.heap.allocated(),
    }
    return { ...result, summary: () => mallocSummary(result) }
  }
}
