/** What a page load measured (docs/http2.md, "A page over HTTP/1.1 and HTTP/2"). */
import type { PageProtocol } from "./page-scenario.ts"

/** One resource's waterfall: when it was needed, requested, began and finished arriving (ms; -1 never). */
export interface ResourceTiming {
  readonly resource: number
  readonly path: string
  readonly bodyBytes: number
  /** The connection that carried it (-1 before it was requested). */
  connection: number
  /** When the page needed it: 0 for the HTML, the HTML's arrival for the rest (-1 if the HTML never arrived). */
  neededAtMs: number
  requestSentMs: number
  firstByteMs: number
  loadedMs: number
  /** How long its connection had a hole (a lost segment) while it was requested and not yet loaded, ms. */
  stallMs: number
}

/** The fields of a {@link PageResult}. */
export interface PageResultFields {
  readonly protocol: PageProtocol
  readonly resources: readonly ResourceTiming[]
  readonly connections: number
  /** Bytes the TCP connections carried both ways: payload plus 40 bytes of headers per segment. */
  readonly bytesOnWire: number
  /** Request and response header bytes of the whole page, HPACK-coded and as HTTP/1.1 text. */
  readonly headerBytes: { readonly hpack: number; readonly text: number }
  readonly retransmits: number
  /** HTTP/2: WINDOW_UPDATE frames the client sent (the one opening the connection window included); 0 for HTTP/1.1. */
  readonly windowUpdates: number
  /** HTTP/2: time response streams had bytes to send and no flow-control credit, summed over streams, ms. */
  readonly flowBlockedMs: number
  /** Per connection, the [start, end) ms intervals it had a hole. */
  readonly holes: readonly (readonly [number, number][])[]
}

/** A page load's result; {@link PageResult.summary} is the sim's JSON `metrics`. */
export class PageResult implements PageResultFields {
  readonly protocol: PageProtocol
  readonly resources: readonly ResourceTiming[]
  readonly connections: number
  readonly bytesOnWire: number
  readonly headerBytes: { readonly hpack: number; readonly text: number }
  readonly retransmits: number
  readonly windowUpdates: number
  readonly flowBlockedMs: number
  readonly holes: readonly (readonly [number, number][])[]

  constructor(fields: PageResultFields) {
    this.protocol = fields.protocol
    this.resources = fields.resources
    this.connections = fields.connections
    this.bytesOnWire = fields.bytesOnWire
    this.headerBytes = fields.headerBytes
    this.retransmits = fields.retransmits
    this.windowUpdates = fields.windowUpdates
    this.flowBlockedMs = fields.flowBlockedMs
    this.holes = fields.holes
  }

  /** When the last resource arrived, ms (-1 if one never did). */
  get pageLoadMs(): number {
    return this.resources.some((r) => r.loadedMs < 0) ? -1 : Math.max(...this.resources.map((r) => r.loadedMs))
  }

  /** Summed stall of every resource, ms. */
  get stallMs(): number {
    return this.resources.reduce((sum, r) => sum + r.stallMs, 0)
  }

  /** Resources that were needed but waited for a connection or behind other responses, in total ms. */
  get waitingMs(): number {
    return this.resources.reduce((sum, r) => sum + Math.max(0, r.firstByteMs - r.neededAtMs), 0)
  }

  /** The JSON metrics: page load, per-resource timings, connections, bytes on the wire, header bytes. */
  summary() {
    return {
      protocol: this.protocol,
      pageLoadMs: this.pageLoadMs,
      resourceMs: this.resources.map((r) => ({
        path: r.path,
        bodyBytes: r.bodyBytes,
        connection: r.connection,
        neededAtMs: r.neededAtMs,
        requestSentMs: r.requestSentMs,
        firstByteMs: r.firstByteMs,
        loadedMs: r.loadedMs,
        stallMs: r.stallMs,
      })),
      connections: this.connections,
      bytesOnWire: this.bytesOnWire,
      headerBytes: { hpack: this.headerBytes.hpack, text: this.headerBytes.text },
      retransmits: this.retransmits,
      windowUpdates: this.windowUpdates,
      flowBlockedMs: this.flowBlockedMs,
      stallMs: this.stallMs,
    }
  }
}
