/**
 * A linear page table: which frame holds a virtual page, and which addresses fault?
 * Covers: pages and frames, VPN and offset, page-table entries with a valid bit, invalid pages, the
 *   size of a linear page table
 * Scenario: OSTEP's paging-linear-translate.py: a 16k address space of 4k pages in 64k of memory,
 *   the page table (each page valid with --used 50% chance) and five addresses drawn from the seed;
 *   --seed S draws the problem of paging-linear-translate.py -s S (with the same -a, -p, -P, -u,
 *   -n, -A) and gives its -c answers
 * Try: --seed 0; --used 100 --seed 1; --page-table 15,x,x,11 --addresses 0,4095,12288,16383;
 *   --address-space 32k --page-size 1k --physical-memory 48k --seed 2
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
  drawLinearPageTable,
  drawWithin,
  hex,
  type LinearPageTableProblem,
  linearPageChecks,
  type PageTranslated,
  parseAddresses,
  parsePageTable,
  parseSize,
  renderBar,
  renderMarks,
  translateLinear,
  addressCount,
  drawnProblem,
  refusalOf,
  runTranslations,
} from "../src/models/memory/index.ts"

/** Columns of the memory bars. */
const BAR_COLUMNS = 64
/** Page-table entries the text lists (all of them up to this many; --json has every one). */
const TABLE_MAX_LINES = 1024
/** The most random() draws a run may make to build the table (a few seconds of drawing). */
const MAX_DRAWS = 2e7
/** The most pages a table may have (4,194,304; the budget refuses far fewer in a text report). */
const PAGES_MAX = 2 ** 22

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

const flags = {
  addressSpace: size("size of the address space, a power of 2 (paging-linear-translate.py -a)", "16k"),
  physicalMemory: size("size of physical memory, a multiple of the page size (-p)", "64k"),
  pageSize: size("size of a page and of a frame, a power of 2 (-P)", "4k"),
  numAddresses: flag.integer({
    description: "virtual addresses to draw (-n); ignored with --addresses",
    unit: "addresses",
    default: 5,
    min: 0,
    max: 1_000_000,
  }),
  used: flag.integer({
    description: "chance that a virtual page is valid when the table is drawn (-u)",
    unit: "percent",
    default: 50,
    min: 0,
    max: 100,
  }),
  addresses: flag.string({
    description: "virtual addresses to translate instead of drawn ones (-A)",
    unit: "bytes",
    default: "random",
    allowed: "random, or comma-separated decimal addresses in [0, address space)",
    check: (text) => (text === "random" ? undefined : problemOf(parseAddresses(text))),
  }),
  pageTable: flag.string({
    description: "the page table instead of a drawn one: per VPN a frame number or x (no table draws are made)",
    default: "random",
    allowed: "random, or comma-separated frames or x, one per virtual page (15,x,x,11)",
    check: (text) => (text === "random" ? undefined : problemOf(parsePageTable(text))),
  }),
}

type RunParams = Params<typeof flags>

const sizeOf = (text: string): number => (parseSize(text) as { value: number }).value

/** The problem the script draws for these params and seed, or the rule they break. */
function draw(params: RunParams, seed: number): DrawResult<LinearPageTableProblem> {
  const list = <T>(text: string, parse: (t: string) => { ok: boolean; value?: T }): T | undefined =>
    text === "random" ? undefined : parse(text).value
  const options = {
    addressSpace: sizeOf(params.addressSpace),
    physicalMemory: sizeOf(params.physicalMemory),
    pageSize: sizeOf(params.pageSize),
    usedPercent: params.used,
    numAddresses: params.numAddresses,
    pageTable: list(params.pageTable, parsePageTable),
    addresses: list(params.addresses, parseAddresses),
  }
  const refusal = {
    flags: ["used", "physicalMemory"],
    advice: "almost every frame is taken: give more --physical-memory or a lower --used",
  }
  return drawWithin(MAX_DRAWS, new MersenneTwister(seed), refusal, (random) => drawLinearPageTable(options, random))
}

/** OSTEP's command line for this run. */
function ostepCommand(params: RunParams, seed: number): string {
  const args = [`-s ${seed}`, `-a ${params.addressSpace}`, `-p ${params.physicalMemory}`, `-P ${params.pageSize}`]
  args.push(`-u ${params.used}`, params.addresses === "random" ? `-n ${params.numAddresses}` : `-A ${params.addresses}`)
  const command = `paging-linear-translate.py ${args.join(" ")} -c`
  return params.pageTable === "random" ? command : `${command} (OSTEP cannot take the table; it draws it)`
}

/** The table as the script prints it with -v: `[VPN]  0x8000000c` (the top bit is the valid bit). */
function tableLines(problem: LinearPageTableProblem): string[] {
  const shown = problem.pageTable.slice(0, TABLE_MAX_LINES)
  const lines = shown.map(
    (frame, vpn) => `[${String(vpn).padStart(8)}]  ${hex(frame === null ? 0 : (0x80000000 | frame) >>> 0, 8)}`,
  )
  if (problem.pageTable.length > shown.length)
    lines.push(`... ${problem.pageTable.length - shown.length} more entries (--json lists them all)`)
  return [
    "Page Table (from entry 0 down to the max size): the high-order bit is the VALID bit;",
    "if it is 1, the rest of the entry is the PFN, if 0 the page is not valid.",
    ...lines,
  ]
}

function mapSection(problem: LinearPageTableProblem, translations: readonly PageTranslated[]): TextSection {
  const { addressSpace: asize, physicalMemory: psize, pageSize, pageTable } = problem
  const vpages = pageTable.length
  const frames = psize / pageSize
  const vColumns = columnsFor(vpages, BAR_COLUMNS)
  const fColumns = columnsFor(frames, BAR_COLUMNS)
  const mapped = pageTable.flatMap((frame, vpn) => (frame === null ? [] : [{ vpn, frame }]))
  const virtualRegions = mapped.map(({ vpn }) => ({ start: vpn, end: vpn + 1, glyph: "#" }))
  const physicalRegions = mapped.map(({ frame }) => ({ start: frame, end: frame + 1, glyph: "#" }))
  const marks = translations.map((t) => ({ address: t.vpn, valid: t.valid }))
  const pairs = mapped.slice(0, 16).map(({ vpn, frame }) => `${vpn}→${frame}`)
  return {
    title: `Address space and physical memory, by page (# = a valid page and the frame holding it)`,
    lines: [
      `virtual pages  |${renderBar(vpages, vColumns, virtualRegions)}| ${vpages} pages of ${pageSize} bytes (${asize})`,
      `addresses       ${renderMarks(vpages, vColumns, marks)}`,
      `frames         |${renderBar(frames, fColumns, physicalRegions)}| ${frames} frames (${psize})`,
      `VPN→PFN: ${pairs.length === 0 ? "none (every page is invalid)" : pairs.join(", ")}${mapped.length > 16 ? `, ... (${mapped.length} in all)` : ""}`,
      "Marks: v = a valid address, x = an address on an invalid page, * = both in one column.",
    ],
  }
}

function answersSection(translations: readonly PageTranslated[]): TextSection {
  const lines = translations.map((t) => {
    const va = `VA ${hex(t.virtual, 8)} (decimal: ${String(t.virtual).padStart(8)}) --> `
    return t.physical === null
      ? `${va} Invalid (VPN ${t.vpn} not valid)`
      : `${va}${t.physical.toString(16).padStart(8, "0")} (decimal ${String(t.physical).padStart(8)}) [VPN ${t.vpn}]`
  })
  return { title: "Virtual Address Trace (as paging-linear-translate.py -c prints it)", lines }
}

function lessonSection(problem: LinearPageTableProblem, translations: readonly PageTranslated[]): TextSection {
  const { addressSpace: asize, pageSize, pageTable } = problem
  const valid = translations.filter((t) => t.valid).length
  const mapped = pageTable.filter((frame) => frame !== null).length
  const offsetBits = Math.log2(pageSize)
  const vpnBits = Math.log2(pageTable.length)
  return {
    title: "Lesson",
    lines: [
      `Each address splits into a ${vpnBits}-bit VPN and a ${offsetBits}-bit offset (pages of ${pageSize} bytes): the VPN picks the page-table entry, the frame number replaces the VPN, the offset stays.`,
      `${valid} of ${translations.length} addresses are on a valid page and translate; ${translations.length - valid} are on an invalid page and fault.`,
      `The table has ${pageTable.length} entries, ${mapped} of them valid: a linear table needs an entry for every page of the ${asize}-byte address space, used or not.`,
    ],
  }
}

/**
 * Translations per second and bytes kept per translation: as relocation's (the same MMU, one event
 * and one line per address); a page-table entry costs about as much as a translation. The text
 * calibration of 2026-12-08 (249,995 steps, tsx's cost counted in, the other test worker busy)
 * took 4.66 s against 5.50: 90,000 a second leaves about 15%.
 */
const STEPS_PER_SECOND = { json: 150_000, text: 90_000 } as const
const BYTES_PER_STEP = { json: 350, text: 1_100 } as const

/** One step per address and per page-table entry, plus the frame draws (20 a step). */
function estimate(params: RunParams, { output }: EstimateContext): WorkEstimate {
  const addresses = addressCount(params.addresses, params.numAddresses)
  const pageSize = Math.max(1, sizeOf(params.pageSize))
  const vpages = Math.ceil(sizeOf(params.addressSpace) / pageSize)
  const frames = Math.max(vpages + 1, Math.floor(sizeOf(params.physicalMemory) / pageSize))
  const frameDraws =
    params.pageTable === "random" ? (params.used / 100) * frames * Math.log(frames / (frames - vpages)) : 0
  const steps = addresses + vpages
  return workEstimate({
    events: steps + Math.min(frameDraws, MAX_DRAWS) / 20,
    eventsPerSecond: STEPS_PER_SECOND[output],
    keptBytes: BYTES_PER_STEP[output] * steps,
    simTime: Math.max(0, addresses - 1),
    advice: "lower --num-addresses, or --address-space against --page-size (fewer pages)",
  })
}

const pagingTranslate = defineSim({
  name: "paging-translate",
  title: "A linear page table: which frame holds a virtual page, and which addresses fault?",
  header: {
    covers:
      "pages and frames, VPN and offset, page-table entries with a valid bit, invalid pages, the size of a linear page table",
    scenario:
      "OSTEP's paging-linear-translate.py: a 16k address space of 4k pages in 64k of memory, the page table (each page valid with --used 50% chance) and five addresses drawn from the seed; --seed S draws the problem of paging-linear-translate.py -s S (with the same -a, -p, -P, -u, -n, -A) and gives its -c answers",
    try: [
      "--seed 0",
      "--used 100 --seed 1",
      "--page-table 15,x,x,11 --addresses 0,4095,12288,16383",
      "--address-space 32k --page-size 1k --physical-memory 48k --seed 2",
    ],
  },
  time: { decimals: 0, unitName: "steps" },
  metrics: {
    pageTable: { description: "per VPN from 0: the frame number, or null for an invalid page", unit: "frames" },
    translations: {
      description: "per address in order: { virtual, vpn, offset, valid, physical } (physical null when invalid)",
      unit: "see fields (bytes; vpn in pages)",
    },
    invalid: { description: "addresses on an invalid page", unit: "addresses" },
  },
  flags,
  refuse(params, seed) {
    const pages = sizeOf(params.addressSpace) / Math.max(1, sizeOf(params.pageSize))
    if (pages > PAGES_MAX)
      return `--address-space ${params.addressSpace} / --page-size ${params.pageSize} = ${pages} pages; a table of more than ${PAGES_MAX} entries is over the run budget`
    return refusalOf(draw(params, seed), seed)
  },
  estimate,
  quiz(params, seed) {
    const drawn = draw(params, seed)
    if (!drawn.ok) return drawn.rule
    const { problem } = drawn
    return [
      `${problem.addressSpace}-byte address space, ${problem.physicalMemory} bytes of physical memory, pages of ${problem.pageSize} bytes (${ostepCommand(params, seed)} without -c).`,
      ...tableLines(problem),
      ...problem.addresses.map((v) => `VA ${hex(v, 8)} (decimal: ${String(v).padStart(8)}) --> PA or invalid address?`),
      "For each virtual address, write down the physical address it translates to, or that it is invalid.",
    ].join("\n")
  },
  run(params, context) {
    const problem = drawnProblem(draw(params, context.seed))
    const sim = context.simulation()
    const outcome = runTranslations<PageTranslated>(sim, context, {
      addresses: problem.addresses,
      translate: (v) => {
        const answer = translateLinear(problem.pageTable, problem.pageSize, v)
        const pfn = problem.pageTable[answer.vpn] ?? null
        return { type: "PageTranslated", ...answer, pfn, pageSize: problem.pageSize }
      },
      row: ({ virtual, vpn, offset, valid, physical }) => ({ virtual, vpn, offset, valid, physical }),
      faulted: (t) => !t.valid,
      registers: { pageTable: problem.pageTable },
      faultCount: "invalid",
      noun: "translation",
      checks: (translations) => linearPageChecks(problem, translations),
      sections: (translations) => [
        { title: `The problem (OSTEP: ${ostepCommand(params, context.seed)})`, lines: tableLines(problem) },
        mapSection(problem, translations),
        answersSection(translations),
        lessonSection(problem, translations),
      ],
    })
    return { ...fromSimulation(sim), ...outcome }
  },
})

export default pagingTranslate

await runMain(pagingTranslate, import.meta.url)
