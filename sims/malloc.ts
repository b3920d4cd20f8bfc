/**
 * Free-space management: where does a request go, and what does the free list look like after?
 * Covers: free list, best/worst/first fit, list order, splitting, coalescing, headers and
 *   alignment; external and internal fragmentation
 * Scenario: malloc.py's default: a 100-byte heap at address 1000, best fit, list by address, no
 *   coalescing, ten random operations. --seed draws the operations only with the random mode (no
 *   --ops, as malloc.py -s); --ops programs do not depend on it
 * Try: --coalesce; --policy first --list-order insert-front --num-ops 20;
 *   --ops=+10,+20,+30,-1,+15,-0,+5; --policy worst --num-ops 20 --seed 3; --heap-size 64
 *   --header-size 4 --align 4 --coalesce --num-ops 16 --seed 2
 */
import {
  type Constraint,
  defineSim,
  type EstimateContext,
  flag,
  formatPercent,
  fromSimulation,
  type Params,
  runMain,
  type TextSection,
  type WorkEstimate,
  workEstimate,
} from "../src/cli/index.ts"
import { MersenneTwister, TraceSample } from "../src/kernel/index.ts"
import {
  explicitOps,
  type FreeBlock,
  fragmentation,
  Heap,
  HeapError,
  isMallocRecord,
  LIST_ORDERS,
  mallocChecks,
  type MallocEvent,
  type MallocOp,
  type MallocResult,
  MallocScenario,
  mallocTimeline,
  parseOps,
  randomOps,
  SEARCH_POLICIES,
} from "../src/models/memory/index.ts"

/** The value of --ops for the random mode. */
const RANDOM = "random"
/** Operations the timeline and the heap section show before the rest is summarised. */
const SHOWN_OPS = 40
/** Most operations in either mode. */
const MAX_OPS = 100_000
/** Columns of the heap map. */
const MAP_COLUMNS = 60

const size = (description: string, defaultValue: number, min = 0) =>
  flag.integer({ description, unit: "bytes", default: defaultValue, min, max: 1_000_000_000 })

const flags = {
  heapSize: size("bytes in the heap (malloc.py -S)", 100),
  baseAddress: size("address of the heap's first byte (malloc.py -b)", 1000),
  headerSize: size("bytes of header per chunk (malloc.py -H)", 0),
  align: size("round requests up to a multiple of this; 1 = no alignment (malloc.py -a, where -1 is none)", 1, 1),
  policy: flag.choice({ description: "free-list search (malloc.py -p)", choices: SEARCH_POLICIES, default: "best" }),
  listOrder: flag.choice({
    description: "where a freed block goes in the list (malloc.py -l)",
    choices: LIST_ORDERS,
    default: "addrsort",
  }),
  coalesce: flag.boolean({
    description: "merge touching list neighbours after each free (malloc.py -C)",
    default: false,
  }),
  numOps: flag.integer({
    description: "random mode: operations to perform (malloc.py -n)",
    unit: "operations",
    default: 10,
    min: 0,
    max: MAX_OPS,
  }),
  maxSize: size("random mode: largest request (malloc.py -r)", 10),
  percentAlloc: flag.integer({
    description: "random mode: percentage of allocations (malloc.py -P; 100 or more: allocations only)",
    unit: "percent",
    default: 50,
    min: 1,
    max: 1_000_000,
  }),
  ops: flag.string({
    description:
      "explicit operations instead of random ones (malloc.py -A): +N allocates N bytes, -K frees pointer K; write --ops=+3,-0 when the list could start with -",
    default: RANDOM,
    allowed: "random, or comma-separated +N and -K items",
    check: (text) => {
      if (text === RANDOM) return undefined
      const parsed = parseOps(text)
      return parsed.ok ? undefined : parsed.error
    },
  }),
}

type MallocParams = Params<typeof flags>

/** The heap options of the params. */
function heapOf(params: MallocParams) {
  const { heapSize, baseAddress, headerSize, align, policy, listOrder, coalesce } = params
  return { heapSize, baseAddress, headerSize, align, policy, listOrder, coalesce }
}

/**
 * malloc.py crashes on an explicit program that frees a failed allocation or allocates at an
 * address already allocated (after a zero-byte chunk): decided by running the program.
 */
class ProgramConstraint implements Constraint<MallocParams> {
  readonly params = ["ops"] as const
  private error = ""
  holds = (params: MallocParams): boolean => {
    this.error = ""
    const parsed = params.ops === RANDOM ? undefined : parseOps(params.ops)
    if (parsed === undefined || !parsed.ok) return true
    try {
      for (const _ of explicitOps(new Heap(heapOf(params)), parsed.value));
    } catch (error) {
      if (!(error instanceof HeapError)) throw error
      this.error = `malloc.py cannot run this program: ${error.message}`
    }
    return this.error === ""
  }
  get message(): string {
    return this.error
  }
}

/** The operations as malloc.py asks them (`returned ?`); random ones are drawn from the seed. */
function quizOps(params: MallocParams, seed: number | undefined): string[] {
  if (params.ops !== RANDOM) return [`The operations: ${params.ops}`]
  if (seed === undefined) return [`${params.numOps} random operations drawn from the seed; run with --seed to see them`]
  const random = { numOps: params.numOps, maxSize: params.maxSize, percentAlloc: params.percentAlloc }
  const lines: string[] = []
  for (const op of randomOps(new Heap(heapOf(params)), random, new MersenneTwister(seed))) {
    if (lines.length === SHOWN_OPS) {
      lines.push(`  ... ${params.numOps - SHOWN_OPS} more operations`)
      break
    }
    lines.push(
      op.kind === "alloc" ? `  ptr[${op.ptr}] = Alloc(${op.size}) returned ?` : `  Free(ptr[${op.ptr}]) returned ?`,
    )
  }
  return ["The operations, drawn from the seed as malloc.py -s draws them:", ...lines]
}

const blockText = (list: readonly FreeBlock[]): string => list.map(([a, s]) => `[ addr:${a} sz:${s} ]`).join("")

/** The lines malloc.py -c prints for one operation. */
function ostepLines(op: MallocOp): string[] {
  if (op.kind === "skip") return ["Invalid Free: Skipping"]
  const list = `Free List [ Size ${op.freeList!.length} ]: ${blockText(op.freeList!)}`
  return op.kind === "alloc"
    ? [`ptr[${op.ptr}] = Alloc(${op.size}) returned ${op.returned} (searched ${op.searched} elements)`, list]
    : [`Free(ptr[${op.ptr}])`, `returned ${op.returned}`, list]
}

/** The heap as a row of columns: `#` allocated, `.` free (each column the byte at its start). */
function heapMap(op: MallocOp, params: MallocParams): string {
  const columns = Math.min(MAP_COLUMNS, params.heapSize)
  const chunks = op.allocated ?? []
  const cells = Array.from({ length: columns }, (_, i) => {
    const at = params.baseAddress + Math.floor((i * params.heapSize) / columns)
    return chunks.some(([a, s]) => a <= at && at < a + s) ? "#" : "."
  })
  return `|${cells.join("")}|`
}

function fragmentationText(list: readonly FreeBlock[]): string {
  const free = list.reduce((sum, block) => sum + block[1], 0)
  const largest = Math.max(0, ...list.map((block) => block[1]))
  return `${free} bytes free in ${list.length} block${list.length === 1 ? "" : "s"}, largest ${largest}, fragmentation ${formatPercent(fragmentation(list), 0)}`
}

function heapSection(result: MallocResult, params: MallocParams): TextSection {
  const lines = result.ops
    .slice(0, SHOWN_OPS)
    .flatMap((op, k) => [
      ...(k > 0 ? [""] : []),
      ...ostepLines(op),
      ...(op.freeList === null ? [] : [`  ${heapMap(op, params)}`, `  ${fragmentationText(op.freeList)}`]),
    ])
  if (result.ops.length > SHOWN_OPS) lines.push("", `... ${result.ops.length - SHOWN_OPS} more operations`)
  const scale =
    params.heapSize <= MAP_COLUMNS ? "one column per byte" : `${MAP_COLUMNS} columns for ${params.heapSize} bytes`
  return {
    title: `Each operation as malloc.py -c prints it, then the heap (# allocated, . free; ${scale})`,
    lines: lines.length > 0 ? lines : ["(no operations)"],
  }
}

/** Pairs of free blocks that touch in memory (one ends where the next starts). */
function touchingPairs(list: readonly FreeBlock[]): number {
  const sorted = [...list].sort((a, b) => a[0] - b[0])
  return sorted.filter((block, i) => i > 0 && sorted[i - 1]![0] + sorted[i - 1]![1] === block[0]).length
}

const POLICY_RULES = {
  best: "In general best fit leaves the smallest leftovers, often slivers too small to use, and searches the whole list on every allocation.",
  worst:
    "In general worst fit keeps leftovers large, but it breaks up the largest blocks first, so a large request soon finds none; it searches the whole list too.",
  first:
    "In general first fit stops at the first block that fits: fast, but small leftovers pile up where the search starts (the list's order decides where).",
} as const

function failureSentence(result: MallocResult): string[] {
  const failed = result.ops.find((op) => op.kind === "alloc" && op.chunk === null)
  if (failed === undefined) return []
  const list = failed.freeList!
  const free = list.reduce((sum, block) => sum + block[1], 0)
  const largest = Math.max(0, ...list.map((block) => block[1]))
  return [
    free >= failed.need!
      ? `ptr[${failed.ptr}] needed ${failed.need} bytes and failed although ${free} bytes were free: the largest block was ${largest}. That is external fragmentation.`
      : `ptr[${failed.ptr}] needed ${failed.need} bytes and failed: only ${free} bytes were free.`,
  ]
}

function lessonSection(result: MallocResult, params: MallocParams): TextSection {
  const allocs = result.ops.filter((op) => op.kind === "alloc")
  const ok = allocs.filter((op) => op.chunk !== null)
  const failed = allocs.length - ok.length
  const frees = result.ops.filter((op) => op.kind === "free").length
  const lines = [
    `After ${result.ops.length} operations (${allocs.length} allocations, ${failed} failed; ${frees} frees): ${fragmentationText(result.freeList)}.`,
    ...failureSentence(result),
  ]
  const asked = ok.reduce((sum, op) => sum + op.size!, 0)
  const took = ok.reduce((sum, op) => sum + op.need!, 0)
  if (took > asked)
    lines.push(
      `The ${ok.length} successful allocations asked for ${asked} bytes and took ${took}: headers and alignment are internal fragmentation.`,
    )
  const touching = touchingPairs(result.freeList)
  if (touching > 0)
    lines.push(
      params.coalesce
        ? `Coalescing merges only list neighbours: under ${params.listOrder} ${touching} pair(s) of free blocks still touch in memory; addrsort makes it complete.`
        : `${touching} pair(s) of free blocks touch in memory but stay separate: try --coalesce.`,
    )
  lines.push(POLICY_RULES[params.policy])
  return { title: "Lesson", lines }
}

/**
 * Cost per operation: a fixed part plus a part per free-list block or allocated chunk it scans,
 * sorts and copies (each operation keeps a copy of both for the checks and the report). Measured
 * 2026-12-07 (CPU time, start-up of ~2.5 s taken off): 100,000 random operations on the default
 * 100-byte heap took 2.6 s for text and 3.8 s for JSON (0.78 and 0.90 GB peak: about 60 and 75
 * bytes per listed block); 20,000 on a heap of 10⁹ bytes took 3.3 and 4.6 s with lists far shorter
 * than the bound used here (at most one block per operation so far, and per byte of heap).
 */
const SECONDS_PER_BLOCK = { json: 0.08e-6, text: 0.06e-6 } as const
const SECONDS_PER_OP = { json: 45e-6, text: 30e-6 } as const
/** Bytes kept per operation and per block listed after it. */
const BYTES_PER_OP = { json: 600, text: 400 } as const
const BYTES_PER_BLOCK = { json: 90, text: 70 } as const

/**
 * Work: each operation scans, copies (and after a free sorts) the free list and the allocated
 * chunks, together at most one more than the operations so far, and at most the heap size plus one.
 */
function estimate(params: MallocParams, { output }: EstimateContext): WorkEstimate {
  const parsed = params.ops === RANDOM ? undefined : parseOps(params.ops)
  const ops = parsed === undefined ? params.numOps : parsed.ok ? parsed.value.length : 0
  const blocks = Math.min(ops, params.heapSize) + 1
  const perBlock = SECONDS_PER_BLOCK[output]
  return workEstimate({
    events: ops * (blocks + SECONDS_PER_OP[output] / perBlock),
    eventsPerSecond: 1 / perBlock,
    keptBytes: ops * (BYTES_PER_OP[output] + BYTES_PER_BLOCK[output] * blocks),
    simTime: ops,
    advice: "lower --num-ops or --heap-size, or shorten --ops",
  })
}

const malloc = defineSim({
  name: "malloc",
  title: "Free-space management: where does a request go, and what does the free list look like after?",
  header: {
    covers:
      "free list, best/worst/first fit, list order, splitting, coalescing, headers and alignment; external and internal fragmentation",
    scenario:
      "malloc.py's default: a 100-byte heap at address 1000, best fit, list by address, no coalescing, ten random operations. --seed draws the operations only with the random mode (no --ops, as malloc.py -s); --ops programs do not depend on it",
    try: [
      "--coalesce",
      "--policy first --list-order insert-front --num-ops 20",
      "--ops=+10,+20,+30,-1,+15,-0,+5",
      "--policy worst --num-ops 20 --seed 3",
      "--heap-size 64 --header-size 4 --align 4 --coalesce --num-ops 16 --seed 2",
    ],
  },
  time: { decimals: 0, unitName: "steps" },
  metrics: {
    ops: {
      description:
        "per operation: kind (alloc, free or skip), ptr, size (the request), chunk (its address, header included, or null), returned (malloc.py's printed value: random mode adds the header), searched (blocks examined), freeList (the list after it, [address, size] pairs); null where they do not apply",
      unit: "see fields",
    },
    freeList: { description: "the final free list, [address, size] pairs in list order", unit: "bytes" },
    allocs: { description: "allocations performed, failed ones included", unit: "operations" },
    failedAllocs: { description: "allocations that found no block", unit: "operations" },
    frees: { description: "frees performed (returned 0 or -1), skips excluded", unit: "operations" },
  },
  flags,
  constraints: [new ProgramConstraint()],
  estimate,
  quiz(params, seed?: number) {
    return [
      `A ${params.heapSize}-byte heap at address ${params.baseAddress}; ${params.policy} fit, list order ${params.listOrder}, ${params.coalesce ? "coalescing" : "no coalescing"}, header ${params.headerSize} bytes, alignment ${params.align}.`,
      ...quizOps(params, seed),
      "1. What does each allocation return, and how many list elements does it search?",
      "2. What does the free list look like after each operation?",
      "Then rerun without --quiz and compare.",
    ].join("\n")
  },
  run(params, context) {
    const parsed = params.ops === RANDOM ? undefined : parseOps(params.ops)
    if (parsed !== undefined && !parsed.ok) throw new Error(`the flag check let a bad program through: ${parsed.error}`)
    const sim = context.simulation()
    const random = { numOps: params.numOps, maxSize: params.maxSize, percentAlloc: params.percentAlloc }
    const scenario = new MallocScenario(sim, {
      ...heapOf(params),
      ...(parsed === undefined
        ? { random: { ...random, stream: new MersenneTwister(context.seed) } }
        : { program: parsed.value }),
    })
    const sample =
      context.output === "text" ? new TraceSample<MallocEvent>(sim.trace, isMallocRecord, SHOWN_OPS) : undefined
    const result = scenario.run(context.advance)
    const total = sample?.total ?? 0
    return {
      ...fromSimulation(sim),
      metrics: result.summary(),
      checks: mallocChecks(result),
      timeline: {
        title: total > SHOWN_OPS ? `Timeline (the first ${SHOWN_OPS} of ${total} events)` : "Timeline",
        entries: mallocTimeline(sample?.records ?? []),
      },
      sections: context.output === "text" ? [heapSection(result, params), lessonSection(result, params)] : [],
    }
  },
})

export default malloc

await runMain(malloc, import.meta.url)
