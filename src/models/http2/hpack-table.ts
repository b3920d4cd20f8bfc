/**
 * HPACK's two tables (RFC 7541 section 2.3): the static table of 61 entries (Appendix A) and the
 * dynamic table, one index space: 1..61 static, then 62 for the newest dynamic entry, 63 for the
 * one before it, and so on.
 *
 * The dynamic table is a FIFO bounded in octets: an entry's size is its name's and value's length
 * in octets plus 32 (section 4.1); adding an entry first evicts the oldest entries until it fits;
 * an entry larger than the whole table empties it and is not added (section 4.4); lowering the
 * maximum evicts until the size fits (section 4.3).
 */

/** A header field: a name and a value (octet strings; here UTF-8 text). */
export interface HeaderField {
  readonly name: string
  readonly value: string
}

/** RFC 7541 Appendix A, index 1 first. */
export const STATIC_TABLE: readonly HeaderField[] = [
  [":authority", ""],
  [":method", "GET"],
  [":method", "POST"],
  [":path", "/"],
  [":path", "/index.html"],
  [":scheme", "http"],
  [":scheme", "https"],
  [":status", "200"],
  [":status", "204"],
  [":status", "206"],
  [":status", "304"],
  [":status", "400"],
  [":status", "404"],
  [":status", "500"],
  ["accept-charset", ""],
  ["accept-encoding", "gzip, deflate"],
  ["accept-language", ""],
  ["accept-ranges", ""],
  ["accept", ""],
  ["access-control-allow-origin", ""],
  ["age", ""],
  ["allow", ""],
  ["authorization", ""],
  ["cache-control", ""],
  ["content-disposition", ""],
  ["content-encoding", ""],
  ["content-language", ""],
  ["content-length", ""],
  ["content-location", ""],
  ["content-range", ""],
  ["content-type", ""],
  ["cookie", ""],
  ["date", ""],
  ["etag", ""],
  ["expect", ""],
  ["expires", ""],
  ["from", ""],
  ["host", ""],
  ["if-match", ""],
  ["if-modified-since", ""],
  ["if-none-match", ""],
  ["if-range", ""],
  ["if-unmodified-since", ""],
  ["last-modified", ""],
  ["link", ""],
  ["location", ""],
  ["max-forwards", ""],
  ["proxy-authenticate", ""],
  ["proxy-authorization", ""],
  ["range", ""],
  ["referer", ""],
  ["refresh", ""],
  ["retry-after", ""],
  ["server", ""],
  ["set-cookie", ""],
  ["strict-transport-security", ""],
  ["transfer-encoding", ""],
  ["user-agent", ""],
  ["vary", ""],
  ["via", ""],
  ["www-authenticate", ""],
].map(([name, value]) => ({ name: name!, value: value! }))

/** The octets of `text` (UTF-8). */
export function octets(text: string): Uint8Array {
  return new TextEncoder().encode(text)
}

/** An entry's size in the dynamic table: name and value octets plus 32 (RFC 7541 section 4.1). */
export function entrySize(field: HeaderField): number {
  return octets(field.name).length + octets(field.value).length + 32
}

/** The dynamic table of one direction of a connection. */
export class DynamicTable {
  /** Newest first. */
  private readonly entries: HeaderField[] = []
  private octetSize = 0

  /** @param maxSize the maximum size in octets (SETTINGS_HEADER_TABLE_SIZE or a smaller size update) */
  constructor(private max: number) {}

  /** The maximum size now, in octets. */
  get maxSize(): number {
    return this.max
  }

  /** The size now, in octets (entries' sizes summed). */
  get size(): number {
    return this.octetSize
  }

  /** The entries, newest first (index 62 first). */
  get fields(): readonly HeaderField[] {
    return this.entries
  }

  /** Changes the maximum size, evicting the oldest entries until the table fits. */
  resize(maxSize: number): void {
    this.max = maxSize
    this.evictTo(maxSize)
  }

  /** Adds `field` as the newest entry, evicting what it must; a field larger than the table empties it. */
  add(field: HeaderField): void {
    const size = entrySize(field)
    if (size > this.max) {
      this.entries.length = 0
      this.octetSize = 0
      return
    }
    this.evictTo(this.max - size)
    this.entries.unshift(field)
    this.octetSize += size
  }

  private evictTo(limit: number): void {
    while (this.octetSize > limit) this.octetSize -= entrySize(this.entries.pop()!)
  }

  /** The field at HPACK index `index` (static or dynamic), or undefined when out of range. */
  at(index: number): HeaderField | undefined {
    if (index >= 1 && index <= STATIC_TABLE.length) return STATIC_TABLE[index - 1]
    return this.entries[index - STATIC_TABLE.length - 1]
  }

  /**
   * Where `field` is: the lowest index holding both its name and value (`exact` true), else the
   * lowest index holding its name, else 0. The static table comes first, then the newest dynamic
   * entries.
   */
  find(field: HeaderField): { readonly index: number; readonly exact: boolean } {
    let nameIndex = 0
    for (let i = 1; i <= STATIC_TABLE.length + this.entries.length; i++) {
      const entry = this.at(i)!
      if (entry.name !== field.name) continue
      if (entry.value === field.value) return { index: i, exact: true }
      if (nameIndex === 0) nameIndex = i
    }
    return { index: nameIndex, exact: false }
  }
}
