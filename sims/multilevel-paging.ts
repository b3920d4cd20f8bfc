/**
 * A two-level page table: which value does a load fetch, and where does the walk fault?
 * Covers: page directory and page-table pages, PDE and PTE with a valid bit, the two-level walk,
 *   why a second level saves memory
 * Scenario: OSTEP's paging-multilevel-translate.py: 32-byte pages, 128 physical pages, 32 KB
 *   address spaces; 64 pages allocated and ten addresses drawn from the seed; --seed S builds the
 *   memory of paging-multilevel-translate.py -s S (with the same -a, -n) and gives its -c answers
 * Try: --seed 0; --allocated 8 --seed 3; --addresses 0x611c,0x3da8,0x17f5 --seed 0
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
  type DrawResult,
  drawTwoLevelMemory,
  hex,
  memoryPages,
  PAGE_BYTES,
  parseAddresses,
  PHYSICAL_PAGES,
  renderBar,
  renderMarks,
  translateTwoLevel,
  twoLevelChecks,
  type TwoLevelProblem,
  type TwoLevelWalked,
  VIRTUAL_PAGES,
  addressCount,
  drawnProblem,
  refusalOf,
  runTranslations,
} from "../src/models/memory/index.ts"

/** Virtual pages per column of the address-space bar (1024 pages in 64 columns). */
const BAR_COLUMNS = 64

const problemOf = (parsed: { ok: true } | { ok: false; error: string }): string | undefined =>
  parsed.ok ? undefined : parsed.error

const flags = {
  allocated: flag.integer({
    description: "virtual pages to allocate (paging-multilevel-translate.py -a)",
    unit: "pages",
    default: 64,
    min: 0,
    max: VIRTUAL_PAGES,
  }),
  numAddresses: flag.integer({
    description: "virtual addresses to draw (-n); ignored with --addresses",
    unit: "addresses",
    default: 10,
    min: 0,
    max: 1_000_000,
  }),
  addresses: flag.string({
    description: "virtual addresses to translate instead of drawn ones (the memory is still drawn)",
    unit: "bytes",
    default: "random",
    allowed: "random, or comma-separated addresses in [0, 32768), each decimal or 0x hex",
    check: (text) => (text === "random" ? undefined : problemOf(parseAddresses(text, { hex: true }))),
  }),
}

type RunParams = Params<typeof flags>

/** The memory and addresses the script draws for these params and seed, or the rule they break. */
function draw(params: RunParams, seed: number): DrawResult<TwoLevelProblem> {
  const addresses =
    params.addresses === "random"
      ? undefined
      : (parseAddresses(params.addresses, { hex: true }) as { value: number[] }).value
  return drawTwoLevelMemory(
    { allocated: params.allocated, numAddresses: params.numAddresses, addresses },
    new MersenneTwister(seed),
  )
}

/** OSTEP's command line for this run. */
function ostepCommand(params: RunParams, seed: number): string {
  const command = `paging-multilevel-translate.py -s ${seed} -a ${params.allocated} -n ${params.numAddresses} -c`
  return params.addresses === "random" ? command : `${command} (OSTEP cannot take the addresses; it draws them)`
}

/** The pages of the page table: the targets of the directory's valid entries. */
function tablePages(problem: TwoLevelProblem): number[] {
  const pages: number[] = []
  for (let i = 0; i < 32; i++) {
    const pde = problem.memory[problem.pdbr * PAGE_BYTES + i]!
    if ((pde & 0x80) !== 0) pages.push(pde & 0x7f)
  }
  return pages
}

function memoryLines(problem: TwoLevelProblem): string[] {
  return [
    ...memoryPages(problem.memory).map((bytes, page) => `page ${String(page).padStart(3)}:${bytes}`),
    "",
    `PDBR: ${problem.pdbr}  (decimal) [This means the page directory is held in this page]`,
  ]
}

function mapSection(problem: TwoLevelProblem, translations: readonly TwoLevelWalked[]): TextSection {
  const role = Array.from({ length: PHYSICAL_PAGES }, () => ".")
  for (const page of problem.dataPages) role[page] = "#"
  for (const page of tablePages(problem)) role[page] = "P"
  role[problem.pdbr] = "D"
  const virtualRegions = problem.allocatedPages.map((vp) => ({ start: vp, end: vp + 1, glyph: "#" }))
  const marks = translations.map((t) => ({ address: t.virtual >> 5, valid: t.fault === null }))
  const directory = Array.from({ length: 32 }, (_, i) =>
    (problem.memory[problem.pdbr * PAGE_BYTES + i]! & 0x80) !== 0 ? "P" : ".",
  ).join("")
  return {
    title: "Address space and physical memory, by page",
    lines: [
      `virtual pages    |${renderBar(VIRTUAL_PAGES, BAR_COLUMNS, virtualRegions)}| 1024, 16 a column`,
      `addresses         ${renderMarks(VIRTUAL_PAGES, BAR_COLUMNS, marks)}`,
      `directory        |${directory}| 32 entries`,
      `physical   0- 63 |${role.slice(0, 64).join("")}|`,
      `physical  64-127 |${role.slice(64).join("")}|`,
      "Virtual pages: # = allocated. Directory entries: P = valid (that page of the page table exists).",
      "Physical pages: D = the page directory, P = a page of the page table, # = data, . = free.",
      "Marks: v = a valid address, x = a fault (directory or table entry not valid), * = both.",
    ],
  }
}

function walkLines(t: TwoLevelWalked): string[] {
  const entry = (byte: number) => `(valid ${byte >> 7}, pfn ${hex(byte & 0x7f, 2)} [decimal ${byte & 0x7f}])`
  const lines = [
    `Virtual Address ${hex(t.virtual, 4)}:`,
    `  --> pde index:0x${t.pdeIndex.toString(16)} [decimal ${t.pdeIndex}] pde contents:0x${t.pde.toString(16)} ${entry(t.pde)}`,
  ]
  if (t.fault === "pde") return [...lines, "      --> Fault (page directory entry not valid)"]
  lines.push(
    `    --> pte index:0x${t.pteIndex!.toString(16)} [decimal ${t.pteIndex}] pte contents:0x${t.pte!.toString(16)} ${entry(t.pte!)}`,
  )
  if (t.fault === "pte") return [...lines, "      --> Fault (page table entry not valid)"]
  return [...lines, `      --> Translates to Physical Address ${hex(t.physical!, 3)} --> Value: ${hex(t.value!, 2)}`]
}

function lessonSection(problem: TwoLevelProblem, translations: readonly TwoLevelWalked[]): TextSection {
  const pdeFaults = translations.filter((t) => t.fault === "pde").length
  const pteFaults = translations.filter((t) => t.fault === "pte").length
  const tables = tablePages(problem).length
  const lines = [
    `${translations.length - pdeFaults - pteFaults} of ${translations.length} addresses translate; ${pdeFaults} fault at the page directory (no page of the page table covers their 32 virtual pages) and ${pteFaults} at the page table.`,
    `The page table of ${problem.allocatedPages.length} mapped pages takes ${tables} page(s) plus the directory: ${tables + 1} of the 33 pages a full two-level table would take (a linear table of one-byte entries for 1024 pages always takes 32).`,
    "Each translation reads memory twice before the data, the directory entry and then the table entry: the price of the smaller table, which a TLB hides.",
  ]
  return { title: "Lesson", lines }
}

/**
 * Walks per second and bytes kept per walk, measured 2026-12-07 (loaded machine) with
 * --num-addresses 200,000: JSON 5.6 s of CPU (about 3 of it start-up) and 381 MB peak (ten fields a
 * row), the text report (a timeline line and OSTEP's four walk lines each) 8.0 s and 779 MB.
 * A clean clone's CI later measured the JSON calibration run (150,000 addresses) at 5.54 s of CPU
 * against 5.50 estimated: 50,000 a second leaves a margin. The text calibration of 2026-12-08
 * (75,000 addresses, tsx's cost counted in, the other test worker busy) took 5.51 s against 5.50:
 * 22,000 a second leaves about 15%.
 */
const TRANSLATIONS_PER_SECOND = { json: 50_000, text: 22_000 } as const
const BYTES_PER_TRANSLATION = { json: 1_200, text: 3_500 } as const

/** One step per address; the memory (at most a few thousand draws) costs nothing measurable. */
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

const multilevelPaging = defineSim({
  name: "multilevel-paging",
  title: "A two-level page table: which value does a load fetch, and where does the walk fault?",
  header: {
    covers:
      "page directory and page-table pages, PDE and PTE with a valid bit, the two-level walk, why a second level saves memory",
    scenario:
      "OSTEP's paging-multilevel-translate.py: 32-byte pages, 128 physical pages, 32 KB address spaces; 64 pages allocated and ten addresses drawn from the seed; --seed S builds the memory of paging-multilevel-translate.py -s S (with the same -a, -n) and gives its -c answers",
    try: ["--seed 0", "--allocated 8 --seed 3", "--addresses 0x611c,0x3da8,0x17f5 --seed 0"],
  },
  time: { decimals: 0, unitName: "steps" },
  metrics: {
    pdbr: { description: "the page holding the page directory", unit: "page number" },
    memory: { description: "128 strings, page 0 first: each page's 32 bytes as 64 hex digits", unit: "bytes (hex)" },
    translations: {
      description:
        "per address in order: { virtual, pdeIndex, pde, pdeValid, pteIndex, pte, pteValid, physical, value, fault } (pte fields null after an invalid PDE; physical and value null on a fault; fault null, pde or pte)",
      unit: "see fields (bytes)",
    },
    faults: { description: "addresses whose walk faulted", unit: "addresses" },
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
      `The memory of ${ostepCommand(params, seed)} without -c: 128 pages of 32 bytes; a PDE or PTE's top bit is its valid bit, the other 7 a page number.`,
      ...memoryLines(problem),
      ...problem.addresses.map(
        (v) =>
          `Virtual Address ${v.toString(16).padStart(4, "0")}: Translates To What Physical Address (And Fetches what Value)? Or Fault?`,
      ),
    ].join("\n")
  },
  run(params, context) {
    const problem = drawnProblem(draw(params, context.seed))
    const sim = context.simulation()
    const outcome = runTranslations<TwoLevelWalked>(sim, context, {
      addresses: problem.addresses,
      translate: (v) => ({ type: "TwoLevelWalked", ...translateTwoLevel(problem.memory, problem.pdbr, v) }),
      row: ({ type: _type, ...answer }) => answer,
      faulted: (t) => t.fault !== null,
      registers: { pdbr: problem.pdbr, memory: memoryPages(problem.memory) },
      faultCount: "faults",
      noun: "walk",
      checks: (translations) => twoLevelChecks(problem, translations),
      sections: (translations) => [
        { title: `The memory (OSTEP: ${ostepCommand(params, context.seed)})`, lines: memoryLines(problem) },
        mapSection(problem, translations),
        {
          title: "The walks (as paging-multilevel-translate.py -c prints them)",
          lines: translations.flatMap(walkLines),
        },
        lessonSection(problem, translations),
      ],
    })
    return { ...fromSimulation(sim), ...outcome }
  },
})

export default multilevelPaging

await runMain(multilevelPaging, import.meta.url)
