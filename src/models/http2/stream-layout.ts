/**
 * What one direction of a connection carries, laid out in its byte stream: each message (an
 * HTTP/1.1 request, an HTTP/2 frame, a resource's first byte) ends at an offset, and is handled
 * once TCP has delivered every byte up to there, in order (docs/http2.md, "TCP underneath").
 */

/** The messages of one byte stream (see the file header). */
export class StreamLayout<T> {
  /** Bytes written to the stream so far. */
  written = 0
  private readonly ends: number[] = []
  private readonly messages: T[] = []
  private head = 0

  /** Appends `bytes` to the stream; `message` is due once all of them have been delivered. */
  append(bytes: number, message: T): void {
    this.written += bytes
    this.ends.push(this.written)
    this.messages.push(message)
  }

  /** `message` is due once the next byte written has been delivered (a response's first byte). */
  markNextByte(message: T): void {
    this.ends.push(this.written + 1)
    this.messages.push(message)
  }

  /** The messages that became due now that `delivered` bytes have arrived in order, oldest first. */
  due(delivered: number): T[] {
    const out: T[] = []
    while (this.head < this.ends.length && this.ends[this.head]! <= delivered) out.push(this.messages[this.head++]!)
    return out
  }
}
