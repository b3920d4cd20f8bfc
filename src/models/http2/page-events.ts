/** What a page load over HTTP/1.1 or HTTP/2 records (docs/http2.md, "A page over HTTP/1.1 and HTTP/2"). */

/** The client asked for a connection (the handshake takes a round trip). */
export interface PageConnectionOpened {
  readonly type: "PageConnectionOpened"
  readonly connection: number
}

/** The client sent a request for a resource on a connection. */
export interface PageRequestSent {
  readonly type: "PageRequestSent"
  readonly resource: number
  readonly connection: number
  readonly path: string
}

/** The first byte of a resource's response reached the client's application. */
export interface PageFirstByteReceived {
  readonly type: "PageFirstByteReceived"
  readonly resource: number
  readonly connection: number
}

/** The last byte of a resource's response reached the client's application. */
export interface PageResourceLoaded {
  readonly type: "PageResourceLoaded"
  readonly resource: number
  readonly connection: number
  readonly bodyBytes: number
}

/** Bytes arrived beyond a lost segment: the connection delivers nothing until the hole is filled. */
export interface PageHoleOpened {
  readonly type: "PageHoleOpened"
  readonly connection: number
  readonly deliveredBytes: number
}

/** The retransmission filled the hole: the held bytes are delivered. */
export interface PageHoleClosed {
  readonly type: "PageHoleClosed"
  readonly connection: number
  readonly stalledMs: number
}

/** Every event of a page load. */
export type PageEvent =
  PageConnectionOpened | PageRequestSent | PageFirstByteReceived | PageResourceLoaded | PageHoleOpened | PageHoleClosed
