/**
 * Page replacement: which page should leave when a new one must come in?
 * Covers: FIFO, LRU, OPT, OSTEP's CLOCK and RAND, second chance, LFU; hits, misses, compulsory
 *   misses; stack algorithms, Belady's anomaly
 * Scenario: OSTEP chapter 22's string 0,1,2,0,1,3,0,3,1,2,1 through 3 frames under LRU. --seed
 *   draws the references only with --random-refs N (as paging-policy.py -s -n); it also decides
 *   clock's and rand's choices
 * Try: --policy fifo; --policy opt; --policy fifo --refs 1,2,3,4,1,2,5,1,2,3,4,5 --frames-sweep
 *   1..7; --policy second-chance --refs 7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1 --use-bit-on-load
 *   0; --policy clock --random-refs 10 --seed 5; --random-refs 20 --max-page 6 --seed 7 --quiz
 */
import {
  type Constraint,
  defineSim,
  type EstimateContext,
  flag,
  formatPercent,
  fromSimulation,
  type Params,
  renderTable,
  runMain,
  type TextSection,
  type WorkEstimate,
  workEstimate,
} from "../src/cli/index.ts"
import { MersenneTwister, TraceSample } from "../src/kernel/index.ts"
import {
  countPaging,
  framesSweep,
  isPagingRecord,
  PAGING_POLICIES,
  pagingChecks,
  type PagingEvent,
  type PagingPolicy,
  type PagingResult,
  PagingScenario,
  pagingTimeline,
  randomReferences,
  type SweepRow,
} from "../src/models/memory/index.ts"
import { pythonFixed } from "../src/models/sched/index.ts"

/** The default reference string: OSTEP chapter 22's example. */
const DEFAULT_REFS = "0,1,2,0,1,3,0,3,1,2,1"
/** The value of --frames-sweep when there is no sweep. */
const NO_SWEEP = "none"
/** References the timeline and OSTEP's trace show before the rest is summarised. */
const SHOWN_REFS = 60
/** Most references a string may hold. */
const MAX_REFS = 1_000_000
/** Most frames, and the largest frame count of a sweep. */
const MAX_FRAMES = 10_000
/** Most frame counts one sweep may try. */
const MAX_SWEEP = 64
/** The policies paging-policy.py has. */
const OSTEP_POLICIES: ReadonlySet<PagingPolicy> = new Set(["fifo", "lru", "opt", "clock", "rand"])

/** The pages of `--refs`, or why the text is not a reference string. */
export function parseRefs(text: string): { ok: true; value: number[] } | { ok: false; error: string } {
  if (!/^[0-9]+(,[0-9]+)*$/.test(text))
    return { ok: false, error: "a comma-separated list of page numbers (integers >= 0, no spaces)" }
  const value = text.split(",").map(Number)
  if (value.length > MAX_REFS) return { ok: false, error: `at most ${MAX_REFS} references` }
  if (!value.every(Number.isSafeInteger)) return { ok: false, error: "page numbers must be safe integers" }
  return { ok: true, value }
}

/** The frame counts of `--frames-sweep A..B`, or why the text is not a range. */
export function parseSweep(text: string): { ok: true; value: number[] } | { ok: false; error: string } {
  const m = /^([0-9]+)\.\.([0-9]+)$/.exec(text)
  const from = Number(m?.[1])
  const to = Number(m?.[2])
  const allowed = `none, or A..B with 1 <= A <= B <= ${MAX_FRAMES} and at most ${MAX_SWEEP} frame counts`
  if (m === null || from < 1 || to < from || to > MAX_FRAMES || to - from + 1 > MAX_SWEEP)
    return { ok: false, error: allowed }
  return { ok: true, value: Array.from({ length: to - from + 1 }, (_, i) => from + i) }
}

const flags = {
  policy: flag.choice({ description: "replacement policy", choices: PAGING_POLICIES, default: "lru" }),
  frames: flag.integer({
    description: "frames in memory: the cache size (paging-policy.py -C)",
    unit: "pages",
    default: 3,
    min: 1,
    max: MAX_FRAMES,
  }),
  refs: flag.string({
    description: "the reference string, in order (paging-policy.py -a); not with --random-refs",
    unit: "page numbers",
    default: DEFAULT_REFS,
    allowed: "comma-separated integers >= 0",
    check: (text) => {
      const parsed = parseRefs(text)
      return parsed.ok ? undefined : parsed.error
    },
  }),
  randomRefs: flag.integer({
    description:
      "draw this many references from the seed instead of --refs, the very ones of paging-policy.py -s SEED -n N; 0 = use --refs",
    unit: "references",
    default: 0,
    min: 0,
    max: MAX_REFS,
  }),
  maxPage: flag.integer({
    description: "random references are pages 0 to this − 1 (paging-policy.py -m; 0 draws only page 0)",
    unit: "pages",
    default: 10,
    min: 0,
    max: 1_000_000_000,
  }),
  clockBits: flag.integer({
    description: "clock: the largest use counter of OSTEP's CLOCK (paging-policy.py -b)",
    unit: "counts",
    default: 2,
    min: 0,
    max: 1_000_000,
  }),
  useBitOnLoad: flag.integer({
    description: "second-chance: the use bit a page gets when it is loaded",
    unit: "bit",
    default: 1,
    min: 0,
    max: 1,
  }),
  framesSweep: flag.string({
    description: "also run every policy for each frame count A..B and mark Belady's anomaly",
    unit: "frames",
    default: NO_SWEEP,
    allowed: `none, or A..B (1 <= A <= B <= ${MAX_FRAMES}, at most ${MAX_SWEEP} counts)`,
    check: (text) => {
      if (text === NO_SWEEP) return undefined
      const parsed = parseSweep(text)
      return parsed.ok ? undefined : parsed.error
    },
  }),
}

type PagingParams = Params<typeof flags>

/** --refs other than its default and --random-refs both say which references to use. */
const oneSource: Constraint<PagingParams> = {
  params: ["refs", "randomRefs"],
  holds: (params) => params.randomRefs === 0 || params.refs === DEFAULT_REFS,
  message: "give either --refs or --random-refs N > 0, not both",
}

/** The reference string and a stream positioned where the policy's draws start. */
function problemOf(params: PagingParams, seed: number): { refs: number[]; random: MersenneTwister } {
  const random = new MersenneTwister(seed)
  if (params.randomRefs > 0) return { refs: randomReferences(random, params.randomRefs, params.maxPage), random }
  const parsed = parseRefs(params.refs)
  if (!parsed.ok) throw new Error(`the flag check let bad references through: ${parsed.error}`)
  return { refs: parsed.value, random }
}

const pct = (fraction: number): string => formatPercent(fraction, 2)

/** Python's repr of a list, as paging-policy.py prints the cache: `[0, 1, 2]`. */
function pythonList(pages: readonly number[]): string {
  return `[${pages.join(", ")}]`
}

/** paging-policy.py's command line for this run. */
function ostepCommand(params: PagingParams, seed: number, refs: readonly number[]): string {
  const parts = [`-p ${params.policy.toUpperCase()}`, `-C ${params.frames}`]
  if (params.policy === "clock") parts.push(`-b ${params.clockBits}`)
  if (params.randomRefs > 0) parts.push(`-s ${seed}`, `-n ${params.randomRefs}`, `-m ${params.maxPage}`)
  else {
    if (params.policy === "clock" || params.policy === "rand") parts.push(`-s ${seed}`)
    parts.push(refs.length <= SHOWN_REFS ? `-a ${refs.join(",")}` : `-a <the ${refs.length} references>`)
  }
  return `paging-policy.py ${parts.join(" ")} -c`
}

/** The run as paging-policy.py -c prints it (the first {@link SHOWN_REFS} references, then the totals). */
function ostepSection(result: PagingResult, params: PagingParams, seed: number): TextSection {
  const [left, right] =
    params.policy === "fifo" ? ["FirstIn", "Lastin "] : params.policy === "lru" ? ["LRU", "MRU"] : ["Left ", "Right"]
  let hits = 0
  const lines = result.accesses.slice(0, SHOWN_REFS).map((access) => {
    if (access.hit) hits++
    const misses = result.accesses.indexOf(access) + 1 - hits
    const memory = pythonList(access.frames).padStart(12)
    return `Access: ${access.page}  ${access.hit ? "HIT " : "MISS"} ${left} -> ${memory} <- ${right} Replaced:${access.victim ?? "-"} [Hits:${hits} Misses:${misses}]`
  })
  if (result.accesses.length > SHOWN_REFS) lines.push(`... ${result.accesses.length - SHOWN_REFS} more references`)
  lines.push(
    "",
    `FINALSTATS hits ${result.hits}   misses ${result.misses}   hitrate ${pythonFixed((100 * result.hits) / result.refs.length, 2)}`,
  )
  return { title: `As OSTEP's paging-policy.py prints it (${ostepCommand(params, seed, result.refs)})`, lines }
}

function problemSection(result: PagingResult, params: PagingParams): TextSection {
  const distinct = new Set(result.refs).size
  const shown = result.refs.slice(0, 200).join(" ") + (result.refs.length > 200 ? " ..." : "")
  const policyWords =
    params.policy === "second-chance"
      ? `second-chance (use bit on load ${params.useBitOnLoad})`
      : params.policy === "clock"
        ? `clock (OSTEP's, ${params.clockBits} clock bits)`
        : params.policy
  return {
    title: "Reference string",
    lines: [
      `${result.refs.length} references to ${distinct} distinct pages: ${shown}`,
      `policy ${policyWords}, ${params.frames} frames`,
    ],
  }
}

/** Every policy's misses on the same string and frames (RAND and CLOCK on the run's own stream). */
function comparison(params: PagingParams, seed: number): Map<PagingPolicy, { hits: number; misses: number }> {
  const results = new Map<PagingPolicy, { hits: number; misses: number }>()
  for (const policy of PAGING_POLICIES) {
    const { refs, random } = problemOf(params, seed)
    results.set(policy, countPaging(refs, { ...optionsOf(params), policy, random }))
  }
  return results
}

function optionsOf(params: PagingParams): { frames: number; clockBits: number; useBitOnLoad: 0 | 1 } {
  return { frames: params.frames, clockBits: params.clockBits, useBitOnLoad: params.useBitOnLoad === 0 ? 0 : 1 }
}

function comparisonSection(
  params: PagingParams,
  refs: number,
  results: ReadonlyMap<PagingPolicy, { hits: number; misses: number }>,
): TextSection {
  const rows = [...results].map(([policy, r]) => [
    policy === params.policy ? `${policy} (this run)` : policy,
    String(r.hits),
    String(r.misses),
    pct(r.hits / refs),
  ])
  const right = (header: string) => ({ header, align: "right" as const })
  return {
    title: `Every policy on this string (${params.frames} frames)`,
    lines: renderTable([{ header: "policy" }, right("hits"), right("misses"), right("hit rate")], rows),
  }
}

function sweepSection(rows: readonly SweepRow[], frames: readonly number[]): TextSection {
  const table = frames.map((count, i) => [
    String(count),
    ...rows.map((row) => `${row.misses[i]}${row.anomalies.includes(count) ? "*" : ""}`),
  ])
  const right = (header: string) => ({ header, align: "right" as const })
  const anomalies = rows.flatMap((row) =>
    row.anomalies.map((count) => {
      const i = frames.indexOf(count)
      return `Belady's anomaly: ${row.policy} misses ${row.misses[i]} times with ${count} frames but ${row.misses[i - 1]} with ${count - 1}.`
    }),
  )
  return {
    title: "Misses per frame count (* = more misses than with one frame fewer: Belady's anomaly)",
    lines: [
      ...renderTable([right("frames"), ...rows.map((row) => right(row.policy))], table),
      ...(anomalies.length > 0
        ? anomalies
        : [`No policy shows Belady's anomaly for ${frames[0]} to ${frames.at(-1)} frames on this string.`]),
    ],
  }
}

/** The general rule each policy teaches. */
const POLICY_RULES: Record<PagingPolicy, string> = {
  fifo: "In general FIFO ignores use: it can evict a page in constant use, and more frames can even give more misses (Belady's anomaly).",
  lru: "In general LRU is a stack algorithm: after every reference the pages resident with k frames are also resident with one frame more, so more frames never give more misses.",
  opt: "In general OPT needs the future, which a real system does not know: it is the yardstick the others are measured against.",
  clock:
    "OSTEP's CLOCK has no hand: it probes random frames, each probe spending one of the page's use counts, so another --seed gives another run on the same string.",
  rand: "RAND evicts a page drawn from the seed (another --seed, another run). In general it keeps no history, yet on a loop over more pages than frames it beats LRU, which evicts exactly the page needed next.",
  "second-chance":
    "In general the clock approximates LRU with one bit per frame: a page used since the hand last passed gets a second chance.",
  lfu: "In general LFU counts references over the whole run: a page used heavily long ago keeps its count and can stay while newer, busy pages are evicted.",
}

function lessonSection(
  result: PagingResult,
  params: PagingParams,
  results: ReadonlyMap<PagingPolicy, { hits: number; misses: number }>,
): TextSection {
  const distinct = new Set(result.refs).size
  const opt = results.get("opt")!.misses
  const lines = [
    `${params.policy} with ${params.frames} frames: ${result.hits} hits and ${result.misses} misses in ${result.refs.length} references (hit rate ${pct(result.hitRate)}).`,
    params.frames >= distinct
      ? `All ${distinct} distinct pages fit in ${params.frames} frames: every policy misses only on each page's first reference (${distinct} compulsory misses).`
      : `The first reference to each of the ${distinct} distinct pages is a compulsory miss, so no policy misses fewer than ${distinct} times here; ${result.misses - distinct === 1 ? "the other miss was a reference to a page evicted earlier" : `the other ${result.misses - distinct} misses were references to pages evicted earlier`}.`,
    params.policy === "opt"
      ? "OPT evicts the page needed farthest in the future: no policy misses less."
      : result.misses === opt
        ? `OPT, which knows the future, also misses ${opt} times: ${params.policy} does as well as possible on this string.`
        : `OPT, which knows the future, misses ${opt} times: ${params.policy} misses ${result.misses - opt} more.`,
    POLICY_RULES[params.policy],
  ]
  if (params.framesSweep === NO_SWEEP && (params.policy === "fifo" || params.policy === "second-chance"))
    lines.push("Try --refs 1,2,3,4,1,2,5,1,2,3,4,5 --frames-sweep 1..7 to see more frames give more misses.")
  return { title: "Lesson", lines }
}

/**
 * Speed and memory per unit of work, measured 2026-12-07 (CPU time, start-up of ~2.5 s taken off)
 * with LFU and OPT, the policies that do the most per reference. A run's unit is one resident page
 * listed in one access, plus a per-reference overhead of {@link PER_REF_UNITS}: 40,000 references
 * with 2,000 frames took 17 s for JSON (serialising 80,000,000 listed pages; 2.2 GB peak) and 6.6 s
 * for the text report (its seven comparison runs included; 0.79 GB); 1,000,000 references with 3
 * frames took 6 s for JSON (0.65 GB) and 4.7 s for text (0.48 GB). So about 4.8 and 12.5 million
 * units per second, with the overhead below.
 */
const UNITS_PER_SECOND = { json: 4_000_000, text: 10_000_000 } as const
/** A reference's own cost, in units: the access object, its trace record, the event. */
const PER_REF_UNITS = { json: 30, text: 60 } as const
/** Bytes kept per reference and per listed page (the accesses the checks read; JSON's text). */
const BYTES_PER_REF = { json: 600, text: 400 } as const
const BYTES_PER_FRAME = { json: 30, text: 10 } as const
/**
 * A sweep's run counts misses without listing pages: 7 policies × 20,000 references × 64 frame
 * counts near 1,000 took 11 s, and 7 × 100,000 × 1..64 took 10.5 s: 350 million units per second
 * or more, with {@link SWEEP_PER_REF_UNITS} per reference and run.
 */
const SWEEP_UNITS_PER_SECOND = 300_000_000
const SWEEP_PER_REF_UNITS = 50

/**
 * Work: every access lists the resident pages (and JSON writes them all out); the text report
 * also counts every policy's misses, and a sweep every policy's for each frame count.
 */
function estimate(params: PagingParams, { output }: EstimateContext): WorkEstimate {
  const refs = params.randomRefs > 0 ? params.randomRefs : params.refs.split(",").length
  const sweep = params.framesSweep === NO_SWEEP ? undefined : parseSweep(params.framesSweep)
  const sweepFrames = output === "text" && sweep?.ok === true ? sweep.value : []
  const units = refs * (params.frames + PER_REF_UNITS[output])
  const sweepUnits =
    PAGING_POLICIES.length * sweepFrames.reduce((sum, frames) => sum + refs * (frames + SWEEP_PER_REF_UNITS), 0)
  const seconds = units / UNITS_PER_SECOND[output] + sweepUnits / SWEEP_UNITS_PER_SECOND
  return workEstimate({
    events: Math.ceil(seconds * UNITS_PER_SECOND[output]),
    eventsPerSecond: UNITS_PER_SECOND[output],
    keptBytes: refs * (BYTES_PER_REF[output] + BYTES_PER_FRAME[output] * params.frames),
    simTime: refs,
    advice: "lower --random-refs, --frames or the --frames-sweep range, or shorten --refs",
  })
}

const paging = defineSim({
  name: "paging",
  title: "Page replacement: which page should leave when a new one must come in?",
  header: {
    covers:
      "FIFO, LRU, OPT, OSTEP's CLOCK and RAND, second chance, LFU; hits, misses, compulsory misses; stack algorithms, Belady's anomaly",
    scenario:
      "OSTEP chapter 22's string 0,1,2,0,1,3,0,3,1,2,1 through 3 frames under LRU. --seed draws the references only with --random-refs N (as paging-policy.py -s -n); it also decides clock's and rand's choices",
    try: [
      "--policy fifo",
      "--policy opt",
      "--policy fifo --refs 1,2,3,4,1,2,5,1,2,3,4,5 --frames-sweep 1..7",
      "--policy second-chance --refs 7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1 --use-bit-on-load 0",
      "--policy clock --random-refs 10 --seed 5",
      "--random-refs 20 --max-page 6 --seed 7 --quiz",
    ],
  },
  time: { decimals: 0, unitName: "ticks" },
  metrics: {
    hits: { description: "references to a resident page", unit: "references" },
    misses: { description: "references that loaded the page, compulsory ones included", unit: "references" },
    hitRate: { description: "hits / references", unit: "fraction" },
    refs: { description: "the reference string used, in order", unit: "page numbers" },
    accesses: {
      description:
        "per reference: page, hit (boolean), victim (the page evicted, or null), frames (resident pages after it, in the policy's order: FIFO oldest first, LRU least recent first, LFU next victim first, second-chance from the hand, OPT/CLOCK/RAND in OSTEP's list order)",
      unit: "see fields",
    },
  },
  flags,
  constraints: [oneSource],
  estimate,
  quiz(params, seed?: number) {
    const refs =
      params.randomRefs > 0 && seed === undefined
        ? `${params.randomRefs} references drawn from the seed (pages 0 to ${params.maxPage - 1}); run without --quiz to see them`
        : problemOf(params, seed ?? 0).refs.join(",")
    return [
      `The reference string: ${refs}`,
      `Policy ${params.policy}, ${params.frames} frames, all empty at the start.`,
      "1. For each reference: hit or miss? Which page is evicted, and which pages are resident after it?",
      "2. How many hits and misses in all, and what is the hit rate?",
      "Then rerun without --quiz and compare.",
    ].join("\n")
  },
  run(params, context) {
    const { refs, random } = problemOf(params, context.seed)
    const sim = context.simulation()
    const scenario = new PagingScenario(sim, { refs, policy: params.policy, ...optionsOf(params), random })
    const sample =
      context.output === "text" ? new TraceSample<PagingEvent>(sim.trace, isPagingRecord, SHOWN_REFS) : undefined
    const result = scenario.run(context.advance)
    const sections: TextSection[] = []
    if (context.output === "text") {
      const results = comparison(params, context.seed)
      sections.push(problemSection(result, params))
      if (OSTEP_POLICIES.has(params.policy)) sections.push(ostepSection(result, params, context.seed))
      sections.push(comparisonSection(params, refs.length, results))
      if (params.framesSweep !== NO_SWEEP) {
        const frames = (parseSweep(params.framesSweep) as { value: number[] }).value
        const fresh = () => problemOf(params, context.seed).random
        const rows = framesSweep(refs, { ...optionsOf(params), frames, random: fresh })
        sections.push(sweepSection(rows, frames))
      }
      sections.push(lessonSection(result, params, results))
    }
    const total = sample?.total ?? 0
    return {
      ...fromSimulation(sim),
      metrics: result.summary(),
      checks: pagingChecks(result),
      timeline: {
        title: total > SHOWN_REFS ? `Timeline (the first ${SHOWN_REFS} of ${total} events)` : "Timeline",
        entries: pagingTimeline(sample?.records ?? []),
      },
      sections,
    }
  },
})

export default paging

await runMain(paging, import.meta.url)
