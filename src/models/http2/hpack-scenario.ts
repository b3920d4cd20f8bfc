/**
 * An HPACK scenario: a client sends a sequence of requests' header lists on one HTTP/2 connection;
 * its encoder compresses each into a header block (RFC 7541), and the server's decoder reads each
 * block back with its own dynamic table. One block per unit of simulated time (block `i` at `t = i`).
 *
 * `run(advance)` returns an {@link HpackResult} whose `summary()` is the `hpack` sim's JSON metrics.
 */
import { type Advance, runUntil, type Scenario, type ScenarioResult } from "../../check/core/index.ts"
import type { ProcessGenerator, Simulation, TraceOf } from "../../kernel/index.ts"
import { type HeaderBlock, HpackDecoder, HpackEncoder, HpackError, toHex } from "./hpack.ts"
import { entrySize, type HeaderField, octets } from "./hpack-table.ts"
import type { Http2Event } from "./http2-events.ts"

/** Options of an {@link HpackScenario}. */
export interface HpackScenarioOptions {
  /** The header list of each request, in order. */
  readonly requests: readonly (readonly HeaderField[])[]
  /** Huffman-code strings unless that is longer. Default true. */
  readonly huffman?: boolean
  /** SETTINGS_HEADER_TABLE_SIZE, the dynamic table's maximum in octets (both sides). Default 4096. */
  readonly tableSize?: number
  /** Names sent as never-indexed literals. Default none. */
  readonly neverIndex?: readonly string[]
}

/** One block as the JSON report shows it. */
export type BlockSummary = {
  /** The block's octets as lowercase hex without spaces. */
  readonly hex: string
  readonly bytes: number
  /** The fields' names and values in octets, uncompressed. */
  readonly plainBytes: number
  /** The dynamic table's size in octets after the block (entries' sizes, 32 octets of overhead each). */
  readonly tableSize: number
  /** The dynamic table after the block, newest first (index 62 first), as `[name, value]`. */
  readonly table: readonly (readonly [string, string])[]
}

/** A block as encoded, with the decoder's verdict. */
export interface EncodedBlock extends Readonly<BlockSummary> {
  readonly encoded: HeaderBlock
  readonly tableFields: readonly HeaderField[]
  readonly fieldsMatch: boolean
  readonly tablesMatch: boolean
  readonly error: string | undefined
}

/** What an HPACK run produced. */
export class HpackResult implements ScenarioResult {
  constructor(
    readonly blocks: readonly EncodedBlock[],
    readonly tableMax: number,
  ) {}

  /** Octets of every block. */
  get totalBytes(): number {
    return this.blocks.reduce((sum, block) => sum + block.bytes, 0)
  }

  /** Octets of every field's name and value, uncompressed. */
  get totalPlainBytes(): number {
    return this.blocks.reduce((sum, block) => sum + block.plainBytes, 0)
  }

  /** The `hpack` sim's JSON metrics. */
  summary(): { blocks: BlockSummary[]; totalBytes: number; totalPlainBytes: number } {
    const blocks = this.blocks.map(({ hex, bytes, plainBytes, tableSize, table }) => ({
      hex,
      bytes,
      plainBytes,
      tableSize,
      table: table.map(([name, value]) => [name, value] as const),
    }))
    return { blocks, totalBytes: this.totalBytes, totalPlainBytes: this.totalPlainBytes }
  }
}

/** See the file header. */
export class HpackScenario implements Scenario<HpackResult> {
  private readonly encoder: HpackEncoder
  private readonly decoder: HpackDecoder
  private readonly trace: TraceOf<Http2Event>
  private readonly blocks: EncodedBlock[] = []
  private readonly tableMax: number

  constructor(
    readonly sim: Simulation,
    private readonly options: HpackScenarioOptions,
  ) {
    this.tableMax = options.tableSize ?? 4096
    this.encoder = new HpackEncoder({
      tableSize: this.tableMax,
      huffman: options.huffman ?? true,
      neverIndex: options.neverIndex ?? [],
    })
    this.decoder = new HpackDecoder(this.tableMax)
    this.trace = sim.trace
    sim.spawn(this.connection(), "connection")
  }

  /** Runs until every block is sent and read. */
  run(advance: Advance = runUntil): HpackResult {
    advance(this.sim, Infinity)
    return new HpackResult(this.blocks, this.tableMax)
  }

  private *connection(): ProcessGenerator<void> {
    for (const [i, request] of this.options.requests.entries()) {
      yield* this.sim.sleep(1)
      this.send(i + 1, request)
    }
  }

  private send(block: number, request: readonly HeaderField[]): void {
    const encoded = this.encoder.encode(request)
    const plainBytes = request.reduce((sum, f) => sum + octets(f.name).length + octets(f.value).length, 0)
    const table = this.encoder.table
    this.trace.record({
      type: "HeaderBlockEncoded",
      block,
      fields: request.length,
      octets: encoded.bytes.length,
      plainOctets: plainBytes,
      tableOctets: table.size,
      tableEntries: table.fields.length,
    })
    for (const r of encoded.representations) {
      if (r.field === undefined) continue
      const { name, value } = r.field
      this.trace.record({
        type: "FieldEncoded",
        block,
        name,
        value,
        representation: r.kind,
        index: r.index,
        octets: r.bytes.length,
      })
    }
    const verdict = this.receive(block, encoded, request)
    this.blocks.push({
      hex: toHex(encoded.bytes),
      bytes: encoded.bytes.length,
      plainBytes,
      tableSize: table.size,
      table: table.fields.map((f) => [f.name, f.value] as const),
      encoded,
      tableFields: [...table.fields],
      ...verdict,
    })
  }

  /** The server decodes the block: do the fields and the two tables agree? */
  private receive(
    block: number,
    encoded: HeaderBlock,
    request: readonly HeaderField[],
  ): { fieldsMatch: boolean; tablesMatch: boolean; error: string | undefined } {
    try {
      const decoded = this.decoder.decode(encoded.bytes)
      const fieldsMatch = sameFields(decoded.fields, request)
      const tablesMatch =
        sameFields(this.decoder.table.fields, this.encoder.table.fields) &&
        this.decoder.table.size === this.encoder.table.size
      this.trace.record({ type: "HeaderBlockDecoded", block, fieldsMatch, tablesMatch })
      return { fieldsMatch, tablesMatch, error: undefined }
    } catch (error) {
      if (!(error instanceof HpackError)) throw error
      this.trace.record({
        type: "HeaderBlockDecoded",
        block,
        fieldsMatch: false,
        tablesMatch: false,
        error: error.message,
      })
      return { fieldsMatch: false, tablesMatch: false, error: error.message }
    }
  }
}

function sameFields(a: readonly HeaderField[], b: readonly HeaderField[]): boolean {
  return a.length === b.length && a.every((f, i) => f.name === b[i]!.name && f.value === b[i]!.value)
}

/** The size in octets of `field` in a dynamic table (re-exported for reports). */
export { entrySize }
