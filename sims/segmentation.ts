/**
 * Segmentation: which segment does an address fall in, and where does it land?
 * Covers: two segments growing apart (heap up, stack down), base and limit registers per segment,
 *   segmentation violations
 * Scenario: OSTEP's segmentation.py: a 1k address space in 16k of memory, both segments' registers
 *   and five addresses drawn from the seed; --seed S draws the problem of segmentation.py -s S
 *   (with the same -a, -p, -n, -A, -b, -l, -B, -L) and gives its -c answers
 * Try: --seed 0; --addresses 0,1,2,1021,1022,1023 --seed 1; --address-space 128 --physical-memory
 *   512 --base0 0 --limit0 20 --base1 512 --limit1 20 --addresses 19,20,107,108,127
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
  columnsFor,
  type DrawResult,
  drawSegmentation,
  drawWithin,
  hex,
  parseAddresses,
  parseSize,
  parseSizeOrRandom,
  renderBar,
  renderMarks,
  type SegmentationProblem,
  segmentationChecks,
  type SegmentTranslated,
  translateSegmented,
  addressCount,
  drawnProblem,
  refusalOf,
  runTranslations,
} from "../src/models/memory/index.ts"

/** Columns of the memory bars. */
const BAR_COLUMNS = 64
/** The most random() draws a run may make to place the segments (a few seconds of drawing). */
const MAX_DRAWS = 5e7

const problemOf = (parsed: { ok: true } | { ok: false; error: string }): string | undefined =>
  parsed.ok ? undefined : parsed.error

const size = (description: string, fallback: string) =>
  flag.string({
    description,
    unit: "bytes",
    default: fallback,
    allowed: "a size: digits with an optional k, m or g (16k, 1m, 3000)",
    check: (text) => problemOf(parseSize(text)),
  })

const register = (description: string) =>
  flag.string({
    description: `${description}; random = drawn from the seed`,
    unit: "bytes",
    default: "random",
    allowed: "random, or a size",
    check: (text) => problemOf(parseSizeOrRandom(text)),
  })

const flags = {
  addressSpace: size("size of the address space (segmentation.py -a)", "1k"),
  physicalMemory: size("size of physical memory (segmentation.py -p)", "16k"),
  numAddresses: flag.integer({
    description: "virtual addresses to draw (segmentation.py -n); ignored with --addresses",
    unit: "addresses",
    default: 5,
    min: 0,
    max: 1_000_000,
  }),
  addresses: flag.string({
    description: "virtual addresses to translate instead of drawn ones (segmentation.py -A)",
    unit: "bytes",
    default: "random",
    allowed: "random, or comma-separated decimal addresses in [0, address space)",
    check: (text) => (text === "random" ? undefined : problemOf(parseAddresses(text))),
  }),
  base0: register("segment 0's base, where it starts growing up (segmentation.py -b)"),
  limit0: register("segment 0's limit (segmentation.py -l)"),
  base1: register("segment 1's base: the address just above it, as it grows down (segmentation.py -B)"),
  limit1: register("segment 1's limit (segmentation.py -L)"),
}

type RunParams = Params<typeof flags>

const sizeOf = (text: string): number => (parseSize(text) as { value: number }).value
const registerOf = (text: string): number | undefined => (parseSizeOrRandom(text) as { value?: number }).value

/** The problem segmentation.py draws for these params and seed, or the rule they break. */
function draw(params: RunParams, seed: number): DrawResult<SegmentationProblem> {
  const addresses =
    params.addresses === "random" ? undefined : (parseAddresses(params.addresses) as { value: number[] }).value
  const options = {
    addressSpace: sizeOf(params.addressSpace),
    physicalMemory: sizeOf(params.physicalMemory),
    numAddresses: params.numAddresses,
    base0: registerOf(params.base0),
    limit0: registerOf(params.limit0),
    base1: registerOf(params.base1),
    limit1: registerOf(params.limit1),
    addresses,
  }
  const refusal = {
    flags: ["base0", "limit0", "base1", "limit1"],
    advice: "the segments leave almost no room to place a drawn base: give the bases or smaller limits",
  }
  return drawWithin(MAX_DRAWS, new MersenneTwister(seed), refusal, (random) => drawSegmentation(options, random))
}

/** OSTEP's command line for this run. */
function ostepCommand(params: RunParams, seed: number): string {
  const args = [`-s ${seed}`, `-a ${params.addressSpace}`, `-p ${params.physicalMemory}`]
  args.push(params.addresses === "random" ? `-n ${params.numAddresses}` : `-A ${params.addresses}`)
  const registers = [
    ["-b", params.base0],
    ["-l", params.limit0],
    ["-B", params.base1],
    ["-L", params.limit1],
  ]
  for (const [option, value] of registers) if (value !== "random") args.push(`${option} ${value}`)
  return `segmentation.py ${args.join(" ")} -c`
}

function registersLines(problem: SegmentationProblem): string[] {
  const [zero, one] = problem.segments
  return [
    `Segment 0 base  (grows positive) : ${hex(zero.base, 8)} (decimal ${zero.base})`,
    `Segment 0 limit                  : ${zero.limit}`,
    `Segment 1 base  (grows negative) : ${hex(one.base, 8)} (decimal ${one.base})`,
    `Segment 1 limit                  : ${one.limit}`,
  ]
}

function mapSection(problem: SegmentationProblem, translations: readonly SegmentTranslated[]): TextSection {
  const { addressSpace: asize, physicalMemory: psize } = problem
  const [zero, one] = problem.segments
  const vColumns = columnsFor(asize, BAR_COLUMNS)
  const pColumns = columnsFor(psize, BAR_COLUMNS)
  const virtualRegions = [
    { start: 0, end: Math.min(zero.limit, asize / 2), glyph: "0" },
    { start: Math.max(asize - one.limit, asize / 2), end: asize, glyph: "1" },
  ]
  const physicalRegions = [
    { start: zero.base, end: zero.base + zero.limit, glyph: "0" },
    { start: one.base - one.limit, end: one.base, glyph: "1" },
  ]
  const marks = translations.map((t) => ({ address: t.virtual, valid: t.valid }))
  return {
    title: "Address space and physical memory (0, 1 = the valid part of segment 0, 1)",
    lines: [
      `virtual   |${renderBar(asize, vColumns, virtualRegions)}| ${asize} bytes`,
      `addresses  ${renderMarks(asize, vColumns, marks)}`,
      `physical  |${renderBar(psize, pColumns, physicalRegions)}| ${psize} bytes`,
      `segment 0: virtual [0, ${zero.limit}) → physical [${zero.base}, ${zero.base + zero.limit}), growing up.`,
      `segment 1: virtual [${asize - one.limit}, ${asize}) → physical [${one.base - one.limit}, ${one.base}), growing down from ${one.base}.`,
      "Marks: v = a valid address, x = a segmentation violation, * = both in one column.",
    ],
  }
}

function answersSection(translations: readonly SegmentTranslated[]): TextSection {
  const lines = translations.map((t, i) => {
    const va = `VA ${String(i).padStart(2)}: ${hex(t.virtual, 8)} (decimal: ${String(t.virtual).padStart(4)}) --> `
    return t.physical === null
      ? `${va}SEGMENTATION VIOLATION (SEG${t.segment})`
      : `${va}VALID in SEG${t.segment}: ${hex(t.physical, 8)} (decimal: ${String(t.physical).padStart(4)})`
  })
  return { title: "Virtual Address Trace (as segmentation.py -c prints it)", lines }
}

function lessonSection(problem: SegmentationProblem, translations: readonly SegmentTranslated[]): TextSection {
  const { addressSpace: asize } = problem
  const [zero, one] = problem.segments
  const valid = (segment: number) => translations.filter((t) => t.valid && t.segment === segment).length
  const faults = translations.filter((t) => !t.valid).length
  const lines = [
    `${valid(0) + valid(1)} of ${translations.length} addresses are valid: ${valid(0)} in segment 0 (below its limit ${zero.limit}), ${valid(1)} in segment 1 (within ${one.limit} bytes of the top of the ${asize}-byte address space); ${faults} fault.`,
  ]
  const gap = asize - zero.limit - one.limit
  if (gap > 0)
    lines.push(
      `The ${gap} bytes of the address space between the two segments are unmapped and take no physical memory: each segment is placed on its own, unlike base and bounds.`,
    )
  if (one.limit > 0)
    lines.push(
      `Segment 1 grows down: its base register ${one.base} is the address just above it, so the top virtual address ${asize - 1} lands at ${one.base - 1}.`,
    )
  return { title: "Lesson", lines }
}

/**
 * Translations per second and bytes kept per translation: as relocation's (the same MMU, one
 * event and one line per address), measured there with --num-addresses 1,000,000. The text
 * calibration of 2026-12-08 (250,000 addresses, tsx's cost counted in, the other test worker busy)
 * took 5.13 s against 5.50: 85,000 a second leaves about 15%.
 */
const TRANSLATIONS_PER_SECOND = { json: 150_000, text: 85_000 } as const
const BYTES_PER_TRANSLATION = { json: 350, text: 1_100 } as const

/** One step per address, plus up to {@link MAX_DRAWS} draws to place the segments (20 a step). */
function estimate(params: RunParams, { output }: EstimateContext): WorkEstimate {
  const addresses = addressCount(params.addresses, params.numAddresses)
  return workEstimate({
    events: addresses,
    eventsPerSecond: TRANSLATIONS_PER_SECOND[output],
    keptBytes: BYTES_PER_TRANSLATION[output] * addresses,
    simTime: Math.max(0, addresses - 1),
    advice: "lower --num-addresses (or give fewer --addresses)",
  })
}

const segmentation = defineSim({
  name: "segmentation",
  title: "Segmentation: which segment does an address fall in, and where does it land?",
  header: {
    covers:
      "two segments growing apart (heap up, stack down), base and limit registers per segment, segmentation violations",
    scenario:
      "OSTEP's segmentation.py: a 1k address space in 16k of memory, both segments' registers and five addresses drawn from the seed; --seed S draws the problem of segmentation.py -s S (with the same -a, -p, -n, -A, -b, -l, -B, -L) and gives its -c answers",
    try: [
      "--seed 0",
      "--addresses 0,1,2,1021,1022,1023 --seed 1",
      "--address-space 128 --physical-memory 512 --base0 0 --limit0 20 --base1 512 --limit1 20 --addresses 19,20,107,108,127",
    ],
  },
  time: { decimals: 0, unitName: "steps" },
  metrics: {
    segments: {
      description: "[{ base, limit }, { base, limit }]: segment 0, then segment 1 (its base is its top)",
      unit: "see fields (bytes)",
    },
    translations: {
      description:
        "per address in order: { virtual, segment, valid, physical } (segment 0 or 1; physical null for a violation)",
      unit: "see fields (bytes)",
    },
    violations: { description: "addresses that faulted", unit: "addresses" },
  },
  flags,
  refuse(params, seed) {
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
      `Addresses from ${problem.addressSpace / 2} up are in segment 1, which grows down from its base.`,
      "For each virtual address, write down the physical address it translates to, or that it is a segmentation violation.",
    ].join("\n")
  },
  run(params, context) {
    const problem = drawnProblem(draw(params, context.seed))
    const sim = context.simulation()
    const outcome = runTranslations<SegmentTranslated>(sim, context, {
      addresses: problem.addresses,
      translate: (v) => {
        const answer = translateSegmented(problem.addressSpace, problem.segments, v)
        const { base, limit } = problem.segments[answer.segment]
        return { type: "SegmentTranslated", ...answer, addressSpace: problem.addressSpace, base, limit }
      },
      row: ({ virtual, segment, valid, physical }) => ({ virtual, segment, valid, physical }),
      faulted: (t) => !t.valid,
      registers: { segments: problem.segments.map(({ base, limit }) => ({ base, limit })) },
      faultCount: "violations",
      noun: "translation",
      checks: (translations) => segmentationChecks(problem, translations),
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

export default segmentation

await runMain(segmentation, import.meta.url)
