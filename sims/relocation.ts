/**
 * Base and bounds: where does a virtual address land, and which ones fault?
 * Covers: dynamic relocation with a base and a bounds register, segmentation violations, a
 *   contiguous address space in physical memory
 * Scenario: OSTEP's relocation.py: a 1k address space in 16k of memory, the registers and five
 *   addresses drawn from the seed; --seed S draws the problem of relocation.py -s S (with the same
 *   -a, -p, -n, -b, -l) and gives its -c answers
 * Try: --seed 0; --limit 100 --seed 2; --base 15000 --limit 1k; --addresses 0,471,472,1023 --seed 0
 */
import {
  defineSim,
  flag,
  fromSimulation,
  type Params,
  runMain,
  type TextSection,
  type EstimateContext,
  type WorkEstimate,
  workEstimate,
} from "../src/cli/index.ts"
import { MersenneTwister } from "../src/kernel/index.ts"
import {
  type BaseBoundsProblem,
  type BaseBoundsTranslated,
  baseBoundsChecks,
  columnsFor,
  type DrawResult,
  drawBaseBounds,
  hex,
  parseAddresses,
  parseSize,
  parseSizeOrRandom,
  renderBar,
  renderMarks,
  translateBaseBounds,
  addressCount,
  drawnProblem,
  refusalOf,
  runTranslations,
} from "../src/models/memory/index.ts"

/** Columns of the memory bars. */
const BAR_COLUMNS = 64
/** The most random() draws a run may make to place the base (about 10 s of drawing). */
const MAX_DRAWS = 5e7

const problemOf = (parsed: { ok: true } | { ok: false; error: string }): string | undefined =>
  parsed.ok ? undefined : parsed.error

const flags = {
  addressSpace: flag.string({
    description: "size of the address space (relocation.py -a)",
    unit: "bytes",
    default: "1k",
    allowed: "a size: digits with an optional k, m or g (16k, 1m, 3000)",
    check: (text) => problemOf(parseSize(text)),
  }),
  physicalMemory: flag.string({
    description: "size of physical memory (relocation.py -p)",
    unit: "bytes",
    default: "16k",
    allowed: "a size: digits with an optional k, m or g",
    check: (text) => problemOf(parseSize(text)),
  }),
  numAddresses: flag.integer({
    description: "virtual addresses to draw (relocation.py -n); ignored with --addresses",
    unit: "addresses",
    default: 5,
    min: 0,
    max: 1_000_000,
  }),
  base: flag.string({
    description: "the base register (relocation.py -b); random = drawn from the seed",
    unit: "bytes",
    default: "random",
    allowed: "random, or a size",
    check: (text) => problemOf(parseSizeOrRandom(text)),
  }),
  limit: flag.string({
    description: "the bounds (limit) register (relocation.py -l); random = drawn from the seed",
    unit: "bytes",
    default: "random",
    allowed: "random, or a size",
    check: (text) => problemOf(parseSizeOrRandom(text)),
  }),
  addresses: flag.string({
    description: "virtual addresses to translate instead of drawn ones (no address draws are made)",
    unit: "bytes",
    default: "random",
    allowed: "random, or comma-separated decimal addresses in [0, address space)",
    check: (text) => (text === "random" ? undefined : problemOf(parseAddresses(text))),
  }),
}

type RunParams = Params<typeof flags>

const sizeOf = (text: string): number => (parseSize(text) as { value: number }).value
const registerOf = (text: string): number | undefined => (parseSizeOrRandom(text) as { value?: number }).value

/** The expected draws to place a drawn base: psize / (psize − limit) when the limit is given. */
function expectedBaseDraws(params: RunParams): number {
  const psize = sizeOf(params.physicalMemory)
  const limit = registerOf(params.limit)
  if (params.base !== "random" || limit === undefined || limit >= psize) return 1
  return psize / (psize - limit)
}

/** The problem relocation.py draws for these params and seed, or the rule they break. */
function draw(params: RunParams, seed: number): DrawResult<BaseBoundsProblem> {
  const addresses =
    params.addresses === "random" ? undefined : (parseAddresses(params.addresses) as { value: number[] }).value
  return drawBaseBounds(
    {
      addressSpace: sizeOf(params.addressSpace),
      physicalMemory: sizeOf(params.physicalMemory),
      numAddresses: params.numAddresses,
      base: registerOf(params.base),
      limit: registerOf(params.limit),
      addresses,
    },
    new MersenneTwister(seed),
  )
}

/** OSTEP's command line for this run. */
function ostepCommand(params: RunParams, seed: number): string {
  const args = [`-s ${seed}`, `-a ${params.addressSpace}`, `-p ${params.physicalMemory}`]
  if (params.addresses === "random") args.push(`-n ${params.numAddresses}`)
  if (params.base !== "random") args.push(`-b ${params.base}`)
  if (params.limit !== "random") args.push(`-l ${params.limit}`)
  const command = `relocation.py ${args.join(" ")} -c`
  return params.addresses === "random" ? command : `${command} (OSTEP cannot take the addresses; it draws them)`
}

function registersLines(problem: BaseBoundsProblem): string[] {
  return [`Base   : ${hex(problem.base, 8)} (decimal ${problem.base})`, `Limit  : ${problem.limit}`]
}

function mapSection(problem: BaseBoundsProblem, translations: readonly BaseBoundsTranslated[]): TextSection {
  const { addressSpace: asize, physicalMemory: psize, base, limit } = problem
  const vColumns = columnsFor(asize, BAR_COLUMNS)
  const pColumns = columnsFor(psize, BAR_COLUMNS)
  const validEnd = Math.min(limit, asize)
  const marks = translations.map((t) => ({ address: t.virtual, valid: t.valid }))
  return {
    title: "Address space and physical memory (# = the valid part, at its place in each)",
    lines: [
      `virtual   |${renderBar(asize, vColumns, [{ start: 0, end: validEnd, glyph: "#" }])}| ${asize} bytes`,
      `addresses  ${renderMarks(asize, vColumns, marks)}`,
      `physical  |${renderBar(psize, pColumns, [{ start: base, end: base + limit, glyph: "#" }])}| ${psize} bytes`,
      limit < asize
        ? `virtual [0, ${limit}) is valid and maps to physical [${base}, ${base + limit}); virtual [${limit}, ${asize}) faults.`
        : `the whole address space [0, ${asize}) is valid and maps to physical [${base}, ${base + asize}).`,
      "Marks: v = a valid address, x = a segmentation violation, * = both in one column.",
    ],
  }
}

function answersSection(translations: readonly BaseBoundsTranslated[]): TextSection {
  const lines = translations.map((t, i) => {
    const va = `VA ${String(i).padStart(2)}: ${hex(t.virtual, 8)} (decimal: ${String(t.virtual).padStart(4)}) --> `
    return t.physical === null
      ? `${va}SEGMENTATION VIOLATION`
      : `${va}VALID: ${hex(t.physical, 8)} (decimal: ${String(t.physical).padStart(4)})`
  })
  return { title: "Virtual Address Trace (as relocation.py -c prints it)", lines }
}

function lessonSection(problem: BaseBoundsProblem, translations: readonly BaseBoundsTranslated[]): TextSection {
  const { addressSpace: asize, physicalMemory: psize, base, limit } = problem
  const valid = translations.filter((t) => t.valid).length
  const lines = [
    `${valid} of ${translations.length} addresses are below the bounds ${limit} and translate by adding the base ${base}; ${translations.length - valid} fault.`,
  ]
  if (limit < asize)
    lines.push(
      `Only the first ${limit} of the ${asize} bytes of the address space are valid: bounds protect memory by refusing every address at or past them, however much physical memory is free.`,
    )
  else lines.push(`The bounds ${limit} cover the whole ${asize}-byte address space: no address can fault.`)
  if (psize >= limit)
    lines.push(
      `Any base from 0 to ${psize - limit} keeps [base, base + ${limit}) inside the ${psize} bytes of physical memory (relocation.py redraws a drawn base that fits exactly, at ${psize - limit}).`,
    )
  return { title: "Lesson", lines }
}

/**
 * Translations per second and bytes kept per translation, measured 2026-12-07 on a loaded machine
 * with --num-addresses 1,000,000: JSON 6.0 s of CPU (about 3 of it start-up) and 460 MB peak; the
 * text report (a timeline line and a trace line per address) 8.3 s and 1,020 MB. The text
 * calibration of 2026-12-08 (250,000 addresses, tsx's cost counted in, the other test worker busy)
 * took 4.75 s against 5.50: 90,000 a second leaves about 15%.
 */
const TRANSLATIONS_PER_SECOND = { json: 150_000, text: 90_000 } as const
const BYTES_PER_TRANSLATION = { json: 350, text: 1_100 } as const

/** One step per address, plus the draws that place the base (about 20 draws cost a step). */
function estimate(params: RunParams, { output }: EstimateContext): WorkEstimate {
  const addresses = addressCount(params.addresses, params.numAddresses)
  return workEstimate({
    events: addresses + Math.min(expectedBaseDraws(params), MAX_DRAWS) / 20,
    eventsPerSecond: TRANSLATIONS_PER_SECOND[output],
    keptBytes: BYTES_PER_TRANSLATION[output] * addresses,
    simTime: Math.max(0, addresses - 1),
    advice: "lower --num-addresses (or give fewer --addresses)",
  })
}

const relocation = defineSim({
  name: "relocation",
  title: "Base and bounds: where does a virtual address land, and which ones fault?",
  header: {
    covers:
      "dynamic relocation with a base and a bounds register, segmentation violations, a contiguous address space in physical memory",
    scenario:
      "OSTEP's relocation.py: a 1k address space in 16k of memory, the registers and five addresses drawn from the seed; --seed S draws the problem of relocation.py -s S (with the same -a, -p, -n, -b, -l) and gives its -c answers",
    try: ["--seed 0", "--limit 100 --seed 2", "--base 15000 --limit 1k", "--addresses 0,471,472,1023 --seed 0"],
  },
  time: { decimals: 0, unitName: "steps" },
  metrics: {
    base: { description: "the base register", unit: "bytes" },
    limit: { description: "the bounds (limit) register", unit: "bytes" },
    translations: {
      description: "per address in order: { virtual, valid, physical } (physical null for a violation)",
      unit: "see fields (bytes)",
    },
    violations: { description: "addresses that faulted", unit: "addresses" },
  },
  flags,
  refuse(params, seed) {
    if (expectedBaseDraws(params) > MAX_DRAWS)
      return `--limit ${params.limit} leaves so little room in --physical-memory ${params.physicalMemory} that drawing a base would take about ${Math.round(expectedBaseDraws(params))} draws; give --base or a smaller --limit`
    return refusalOf(draw(params, seed), seed)
  },
  estimate,
  quiz(params, seed) {
    const drawn = draw(params, seed)
    if (!drawn.ok) return drawn.rule
    const { problem } = drawn
    return [
      `${problem.addressSpace}-byte address space, ${problem.physicalMemory} bytes of physical memory (${ostepCommand(params, seed)} without -c).`,
      ...registersLines(problem),
      ...problem.addresses.map(
        (v, i) =>
          `VA ${String(i).padStart(2)}: ${hex(v, 8)} (decimal: ${String(v).padStart(4)}) --> PA or segmentation violation?`,
      ),
      "For each virtual address, write down the physical address it translates to, or that it is a segmentation violation.",
    ].join("\n")
  },
  run(params, context) {
    const problem = drawnProblem(draw(params, context.seed))
    const sim = context.simulation()
    const { base, limit } = problem
    const outcome = runTranslations<BaseBoundsTranslated>(sim, context, {
      addresses: problem.addresses,
      translate: (v) => ({ type: "BaseBoundsTranslated", ...translateBaseBounds(base, limit, v), base, limit }),
      row: ({ virtual, valid, physical }) => ({ virtual, valid, physical }),
      faulted: (t) => !t.valid,
      registers: { base, limit },
      faultCount: "violations",
      noun: "translation",
      checks: (translations) => baseBoundsChecks(problem, translations),
      sections: (translations) => [
        { title: `The problem (OSTEP: ${ostepCommand(params, context.seed)})`, lines: registersLines(problem) },
        mapSection(problem, translations),
        answersSection(translations),
        lessonSection(problem, translations),
      ],
    })
    return { ...fromSimulation(sim), ...outcome }
  },
})

export default relocation

await runMain(relocation, import.meta.url)
