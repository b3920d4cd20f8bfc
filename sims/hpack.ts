/**
 * HPACK: how does HTTP/2 squeeze the same headers, request after request, into a few octets?
 * Covers: HPACK (RFC 7541): static and dynamic tables, eviction, indexed and literal
 *   representations, never-indexed fields, Huffman coding
 * Scenario: RFC 7541 Appendix C.4's three requests on one connection, Huffman on, a 4096-octet
 *   table; the server's decoder reads each block back. --seed draws the requests only with
 *   --random-requests N; --requests does not depend on it
 * Try: --huffman false; --table-size 0; --never-index :authority; --random-requests 30 --table-size
 *   256
 */
import {
  defineSim,
  flag,
  formatCount,
  formatPercent,
  fromSimulation,
  type Params,
  renderTable,
  runMain,
  type TextSection,
  workEstimate,
} from "../src/cli/index.ts"
import { TraceSample, type Traced } from "../src/kernel/index.ts"
import {
  browserRequests,
  checkHpackRoundTrip,
  checkTableWithinLimit,
  entrySize,
  type HeaderField,
  HpackEncoder,
  type HpackResult,
  HpackScenario,
  type Http2Event,
  http2TimelineLine,
  representationWords,
} from "../src/models/http2/index.ts"

/** RFC 7541 C.3/C.4's three requests, in this sim's syntax. */
const RFC_REQUESTS = [
  ":method:GET,:scheme:http,:path:/,:authority:www.example.com",
  ":method:GET,:scheme:http,:path:/,:authority:www.example.com,cache-control:no-cache",
  ":method:GET,:scheme:https,:path:/index.html,:authority:www.example.com,custom-key:custom-value",
].join("|")

/** Most requests and fields a run takes (the report prints every field). */
const MAX_REQUESTS = 1000
const MAX_FIELDS = 10_000
/** Timeline lines shown. */
const TIMELINE_MAX = 200

/**
 * Parses `--requests`: header lists separated by `|`, fields by `,`, each `name:value` split at
 * the first `:` after the name's first character (so `:path:/x` is `:path` and `/x`).
 * @returns the lists, or the sentence that says what is wrong
 */
export function parseRequests(text: string): HeaderField[][] | string {
  const requests = text.split("|")
  if (requests.length > MAX_REQUESTS) return `at most ${formatCount(MAX_REQUESTS)} requests`
  const lists: HeaderField[][] = []
  let total = 0
  for (const [i, request] of requests.entries()) {
    const list: HeaderField[] = []
    for (const field of request === "" ? [] : request.split(",")) {
      const colon = field.indexOf(":", 1)
      if (colon < 0) return `request ${i + 1}: field ${JSON.stringify(field)} has no ':' after its name`
      const name = field.slice(0, colon)
      if (name !== name.toLowerCase())
        return `request ${i + 1}: header name ${JSON.stringify(name)} has upper case letters, which HTTP/2 forbids (RFC 9113 8.2.1)`
      list.push({ name, value: field.slice(colon + 1) })
    }
    total += list.length
    lists.push(list)
  }
  return total > MAX_FIELDS ? `at most ${formatCount(MAX_FIELDS)} fields in all` : lists
}

const flags = {
  requests: flag.string({
    description: "the requests' header lists: lists separated by '|', fields by ',', each name:value",
    default: RFC_REQUESTS,
    allowed: "name:value,...|name:value,... (names in lower case; ':path:/x' is :path and /x)",
    check: (value) => {
      const parsed = parseRequests(value)
      return typeof parsed === "string" ? parsed : undefined
    },
  }),
  randomRequests: flag.integer({
    description: "draw this many browser-like requests from the seed instead of --requests; 0 = use --requests",
    unit: "requests",
    default: 0,
    min: 0,
    max: MAX_REQUESTS,
  }),
  huffman: flag.boolean({ description: "Huffman-code strings unless that is longer", default: true }),
  tableSize: flag.integer({
    description: "SETTINGS_HEADER_TABLE_SIZE: the dynamic table's maximum",
    unit: "octets",
    default: 4096,
    min: 0,
    max: 16_777_216,
  }),
  neverIndex: flag.string({
    description: "header names sent as never-indexed literals (comma list), or none",
    default: "none",
    allowed: "name,... or none",
    check: (value) =>
      value !== "none" && value.split(",").some((name) => name === "") ? "empty name in the list" : undefined,
  }),
}

type HpackParams = Params<typeof flags>

function neverIndexOf(params: HpackParams): string[] {
  return params.neverIndex === "none" ? [] : params.neverIndex.split(",")
}

/** Hex in groups of two octets, as the RFC prints blocks. */
function grouped(hex: string): string {
  return hex.match(/.{1,4}/g)?.join(" ") ?? ""
}

function blockSection(result: HpackResult, index: number, tableMax: number): TextSection {
  const block = result.blocks[index]!
  const rows = block.encoded.representations.map((r) => [
    r.field === undefined ? "(table size update)" : `${r.field.name}: ${r.field.value}`,
    representationWords(r.kind, r.index),
    formatCount(r.bytes.length),
  ])
  const table = block.tableFields.map((f, i) => [String(62 + i), `${f.name}: ${f.value}`, formatCount(entrySize(f))])
  return {
    title: `Request ${index + 1}: ${formatCount(block.bytes)} octets for ${formatCount(block.plainBytes)} octets of names and values`,
    lines: [
      ...renderTable([{ header: "field" }, { header: "sent as" }, { header: "octets", align: "right" }], rows),
      `block: ${grouped(block.hex)}`,
      `dynamic table after it: ${formatCount(block.tableSize)} of ${formatCount(tableMax)} octets${table.length === 0 ? ", empty" : ""}`,
      ...(table.length === 0
        ? []
        : renderTable(
            [{ header: "index", align: "right" }, { header: "entry" }, { header: "size", align: "right" }],
            table,
          )),
    ],
  }
}

function totalsSection(result: HpackResult): TextSection {
  const rows = result.blocks.map((block, i) => [
    String(i + 1),
    formatCount(block.plainBytes),
    formatCount(block.bytes),
    block.plainBytes === 0 ? "-" : formatPercent(block.bytes / block.plainBytes, 0),
  ])
  rows.push([
    "all",
    formatCount(result.totalPlainBytes),
    formatCount(result.totalBytes),
    result.totalPlainBytes === 0 ? "-" : formatPercent(result.totalBytes / result.totalPlainBytes, 0),
  ])
  return {
    title: "Octets per request",
    lines: renderTable(
      [
        { header: "request", align: "right" },
        { header: "names and values", align: "right" },
        { header: "header block", align: "right" },
        { header: "block / plain", align: "right" },
      ],
      rows,
    ),
  }
}

/** The same requests' total octets with Huffman coding the other way round. */
function totalWithHuffman(params: HpackParams, requests: readonly HeaderField[][], huffman: boolean): number {
  const encoder = new HpackEncoder({ tableSize: params.tableSize, huffman, neverIndex: neverIndexOf(params) })
  return requests.reduce((sum, request) => sum + encoder.encode(request).bytes.length, 0)
}

function repeatsLine(result: HpackResult): string | undefined {
  const indexed = result.blocks.flatMap((b) => b.encoded.representations.filter((r) => r.kind === "indexed"))
  const dynamic = indexed.filter((r) => r.index > 61).length
  if (indexed.length === 0) return "No field was sent as an index: nothing repeated a table entry exactly."
  return `${formatCount(indexed.length)} field(s) were sent as a single index (${formatCount(indexed.length - dynamic)} into the static table, ${formatCount(dynamic)} into the dynamic table that earlier requests filled): one octet each, as any index below 127 is.`
}

function tableLine(params: HpackParams, result: HpackResult): string {
  if (params.tableSize === 0)
    return "With --table-size 0 there is no dynamic table: only the static table's exact pairs (such as :method: GET) shrink to an index, and every other field is sent in full, every time."
  const added = result.blocks.flatMap((b) =>
    b.encoded.representations.filter((r) => r.kind === "literal-incremental"),
  ).length
  const evicted = added - (result.blocks.at(-1)?.tableFields.length ?? 0)
  const eviction =
    evicted === 0
      ? "nothing was evicted"
      : `${formatCount(evicted)} of them were evicted, oldest first, to make room (a later repeat of an evicted field is sent in full again)`
  return `The dynamic table (at most ${formatCount(params.tableSize)} octets, each entry its name and value plus 32) took ${formatCount(added)} entr${added === 1 ? "y" : "ies"}; ${eviction}.`
}

function lesson(params: HpackParams, result: HpackResult, requests: readonly HeaderField[][]): TextSection {
  const other = totalWithHuffman(params, requests, !params.huffman)
  const [withH, withoutH] = params.huffman ? [result.totalBytes, other] : [other, result.totalBytes]
  const never = neverIndexOf(params)
  const sensitive = result.blocks.flatMap((b) =>
    b.encoded.representations.filter((r) => r.kind === "literal-never-indexed"),
  )
  const lines = [
    `${formatCount(requests.length)} request(s): ${formatCount(result.totalPlainBytes)} octets of names and values went out as ${formatCount(result.totalBytes)} octets of header blocks.`,
    repeatsLine(result),
    tableLine(params, result),
    params.huffman
      ? `Huffman coding: the blocks take ${formatCount(withH)} octets with it; they would take ${formatCount(withoutH)} without (--huffman false).`
      : `Without Huffman coding the blocks take ${formatCount(withoutH)} octets; they would take ${formatCount(withH)} with it (--huffman true).`,
    ...(never.length === 0
      ? []
      : [
          `${formatCount(sensitive.length)} field(s) named in --never-index were sent as never-indexed literals, the value in full each time: no table entry reveals them to a compression side channel (CRIME), and proxies must not index them either.`,
        ]),
    "The encoder and the decoder each keep a copy of the table and change it block by block: a block can only be decoded after every block before it on the connection, in order.",
  ]
  return { title: "Lesson", lines: lines.filter((line): line is string => line !== undefined) }
}

const hpack = defineSim({
  name: "hpack",
  title: "HPACK: how does HTTP/2 squeeze the same headers, request after request, into a few octets?",
  header: {
    covers:
      "HPACK (RFC 7541): static and dynamic tables, eviction, indexed and literal representations, never-indexed fields, Huffman coding",
    scenario:
      "RFC 7541 Appendix C.4's three requests on one connection, Huffman on, a 4096-octet table; the server's decoder reads each block back. --seed draws the requests only with --random-requests N; --requests does not depend on it",
    try: ["--huffman false", "--table-size 0", "--never-index :authority", "--random-requests 30 --table-size 256"],
  },
  time: { unit: "", decimals: 0, unitName: "steps" },
  metrics: {
    blocks: {
      description:
        "per request: { hex (the block, lowercase, no spaces), bytes, plainBytes (names and values), tableSize (octets after it), table (newest first, [name, value]) }",
      unit: "see fields",
    },
    totalBytes: { description: "octets of every header block", unit: "octets" },
    totalPlainBytes: { description: "octets of every field's name and value", unit: "octets" },
  },
  flags,
  estimate(params) {
    const parsed = parseRequests(params.requests)
    const requests = params.randomRequests > 0 ? params.randomRequests : typeof parsed === "string" ? 0 : parsed.length
    return workEstimate({
      events: 2 * requests + 2,
      eventsPerSecond: 100_000,
      simTime: requests,
      advice: "send fewer --requests",
    })
  },
  quiz(params) {
    const parsed = parseRequests(params.requests)
    const count = params.randomRequests > 0 ? params.randomRequests : typeof parsed === "string" ? 0 : parsed.length
    return [
      `${count} request(s) on one HTTP/2 connection, a dynamic table of ${params.tableSize} octets, Huffman ${params.huffman ? "on" : "off"}.`,
      "1. How many octets does a field cost when it repeats one from an earlier request?",
      "2. Which fields of the first request are already in the static table?",
    ].join("\n")
  },
  run(params, context) {
    const sim = context.simulation()
    const requests =
      params.randomRequests > 0
        ? browserRequests(sim.random("requests"), params.randomRequests)
        : (parseRequests(params.requests) as HeaderField[][])
    const scenario = new HpackScenario(sim, {
      requests,
      huffman: params.huffman,
      tableSize: params.tableSize,
      neverIndex: neverIndexOf(params),
    })
    const shown =
      context.output === "text"
        ? new TraceSample(
            sim.trace,
            (record) => http2TimelineLine(record as Traced<Http2Event>) !== undefined,
            TIMELINE_MAX,
          )
        : undefined
    const result = scenario.run(context.advance)
    const report = {
      ...fromSimulation(sim),
      metrics: result.summary(),
      checks: [checkHpackRoundTrip(result), checkTableWithinLimit(result)],
    }
    if (shown === undefined) return report
    const blocks = result.blocks.slice(0, 20).map((_, i) => blockSection(result, i, params.tableSize))
    return {
      ...report,
      timeline: {
        title:
          shown.total > TIMELINE_MAX ? `Timeline (the first ${TIMELINE_MAX} of ${shown.total} events)` : "Timeline",
        entries: shown.records.map((record) => ({
          t: record.t,
          text: http2TimelineLine(record as Traced<Http2Event>)!,
        })),
      },
      sections: [...blocks, totalsSection(result), lesson(params, result, requests)],
    }
  },
})

export default hpack

await runMain(hpack, import.meta.url)
