/**
 * A classic libpcap file writer for simulated TCP segments (docs/tcp-rounds.md, "Packet captures"):
 * each segment becomes an Ethernet II / IPv4 / TCP frame with real field values and valid
 * checksums, so `tcpdump -r` and Wireshark open the file and analyse the connection.
 *
 * The file is the classic format (not pcapng): a 24-octet global header (magic `a1b2c3d4` written
 * little-endian, microsecond timestamps, version 2.4, LINKTYPE_ETHERNET) and one record per segment
 * (16-octet record header, then the frame). Timestamps are simulated time from the epoch (0 s).
 * Frames: Ethernet II with a fixed locally administered MAC per IPv4 address (`02:00:` and the four
 * address octets); IPv4 with IHL 5, DF, TTL 64, an identification counting per source address from
 * 1, and a valid header checksum; TCP with the options padded to a multiple of 4 octets, urgent
 * pointer 0 and a valid checksum over the pseudo-header, the header and the payload. The payload is
 * `payloadBytes` zero octets (a simulation carries no data), which add nothing to a checksum.
 *
 * Size: a record is 16 + 54 + options + payload octets when written in full, so a capture grows
 * with the payload (about 1.5 kB per full-sized segment). `snapLength` truncates each record like
 * `tcpdump -s` (the record says the frame's real length); {@link pcapChunks} yields the file in
 * pieces (the global header, then one record per segment) for a caller that streams it.
 *
 * {@link TcpdumpFormatter} prints each segment as `tcpdump -nn` (4.99) prints it from such a file,
 * for a text timeline.
 *
 * Pure: no Node imports; returns bytes.
 */

/** One TCP segment to capture. */
export interface PcapSegment {
  /** Simulated time in integer microseconds; the record's timestamp is the epoch (0 s) plus this. */
  readonly timeUs: number
  /** Dotted IPv4 source address, e.g. `"10.0.0.1"`. */
  readonly srcAddr: string
  /** Dotted IPv4 destination address. */
  readonly dstAddr: string
  readonly srcPort: number
  readonly dstPort: number
  /** Absolute sequence number (uint32). */
  readonly seq: number
  /** Absolute acknowledgement number (uint32); 0 when the ACK flag is not set. */
  readonly ack: number
  /** The flags as tcpdump prints them: `S`, `S.`, `.`, `P.`, `F.`, `FP.`, `R`, `R.` (any order; also `U`, `E`, `W`). */
  readonly flags: string
  /** The 16-bit window field as sent (unscaled). */
  readonly window: number
  /** TCP payload length in octets (the payload itself is zeros). */
  readonly payloadBytes: number
  /** MSS option in octets (SYN segments). Default: no option. */
  readonly mss?: number
  /** Window-scale option, the shift count 0..14 (SYN segments). Default: no option. */
  readonly windowScale?: number
  /** SACK-permitted option (SYN segments). Default false. */
  readonly sackPermitted?: boolean
}

/** Options of {@link encodePcap} and {@link pcapChunks}. */
export interface PcapOptions {
  /**
   * The most octets of each frame written (tcpdump's `-s`): a longer frame's record keeps its
   * real length and is cut to this. Default 262,144 (tcpdump's default; every frame in full).
   */
  readonly snapLength?: number
}

/** tcpdump's default snapshot length. */
export const DEFAULT_SNAP_LENGTH = 262_144

/** Octets of the global header, a record header, Ethernet II, IPv4 (no options) and TCP (no options). */
export const PCAP_GLOBAL_HEADER_BYTES = 24
export const PCAP_RECORD_HEADER_BYTES = 16
const ETHERNET_BYTES = 14
const IPV4_BYTES = 20
const TCP_BYTES = 20

/** TCP flag bits by tcpdump's letter. */
const FLAG_BITS: Readonly<Record<string, number>> = {
  F: 0x01,
  S: 0x02,
  R: 0x04,
  P: 0x08,
  ".": 0x10,
  U: 0x20,
  E: 0x40,
  W: 0x80,
}

/** The TCP flags byte of tcpdump's letters (e.g. `"FP."` = FIN, PSH, ACK); throws on an unknown or repeated letter. */
export function tcpFlagBits(flags: string): number {
  let bits = 0
  for (const letter of flags) {
    const bit = FLAG_BITS[letter]
    if (bit === undefined) throw new RangeError(`unknown TCP flag letter ${JSON.stringify(letter)} in "${flags}"`)
    if ((bits & bit) !== 0) throw new RangeError(`TCP flag letter ${JSON.stringify(letter)} repeated in "${flags}"`)
    bits |= bit
  }
  return bits
}

/** The four octets of a dotted IPv4 address; throws on anything else. */
export function ipv4Octets(address: string): number[] {
  const parts = address.split(".")
  const octets = parts.map((part) => (/^\d{1,3}$/.test(part) ? Number(part) : NaN))
  if (octets.length !== 4 || octets.some((o) => !(o <= 255)))
    throw new RangeError(`not a dotted IPv4 address: ${JSON.stringify(address)}`)
  return octets
}

/** The Internet checksum (RFC 1071) of `bytes`, starting from the 32-bit partial sum `initial`. */
export function internetChecksum(bytes: Uint8Array, initial = 0): number {
  let sum = initial
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!
  if (bytes.length % 2 === 1) sum += bytes[bytes.length - 1]! << 8
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16)
  return ~sum & 0xffff
}

function checkRange(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new RangeError(`${name} must be an integer in 0..${max}, got ${value}`)
}

function checkSegment(segment: PcapSegment): void {
  checkRange("timeUs", segment.timeUs, Number.MAX_SAFE_INTEGER)
  checkRange("srcPort", segment.srcPort, 0xffff)
  checkRange("dstPort", segment.dstPort, 0xffff)
  checkRange("seq", segment.seq, 0xffffffff)
  checkRange("ack", segment.ack, 0xffffffff)
  checkRange("window", segment.window, 0xffff)
  checkRange("payloadBytes", segment.payloadBytes, 0xffff - IPV4_BYTES - TCP_BYTES - 12)
  if (segment.mss !== undefined) checkRange("mss", segment.mss, 0xffff)
  if (segment.windowScale !== undefined) checkRange("windowScale", segment.windowScale, 14)
}

/** The folded one's-complement sum of `bytes[from, to)` (an even length), plus `initial`. */
function onesSum(bytes: Uint8Array, from: number, to: number, initial: number): number {
  let sum = initial
  for (let i = from; i < to; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16)
  return sum
}

/**
 * Writes the headers of each segment (Ethernet, IPv4, TCP with options) into one scratch buffer,
 * keeping the per-source IPv4 identification and the parsed addresses and flags between segments.
 */
class HeaderWriter {
  readonly bytes = new Uint8Array(ETHERNET_BYTES + IPV4_BYTES + TCP_BYTES + 12)
  private readonly view = new DataView(this.bytes.buffer)
  private readonly addresses = new Map<string, readonly number[]>()
  private readonly flags = new Map<string, number>()
  private readonly ids = new Map<string, number>()

  /** Writes `segment`'s headers; returns their length in octets (54 plus the options). */
  write(segment: PcapSegment): number {
    const { bytes, view } = this
    const src = this.address(segment.srcAddr)
    const dst = this.address(segment.dstAddr)
    const optionBytes = this.writeOptions(segment, ETHERNET_BYTES + IPV4_BYTES + TCP_BYTES)
    const tcpLength = TCP_BYTES + optionBytes + segment.payloadBytes
    bytes[0] = bytes[6] = 0x02 // locally administered, unicast: 02:00 and the IPv4 address
    bytes.set(dst, 2)
    bytes.set(src, 8)
    view.setUint16(12, 0x0800)
    const ip = ETHERNET_BYTES
    const id = this.ids.get(segment.srcAddr) ?? 1
    this.ids.set(segment.srcAddr, (id + 1) & 0xffff)
    view.setUint32(ip, 0x4500_0000 | (IPV4_BYTES + tcpLength))
    view.setUint32(ip + 4, (id << 16) | 0x4000) // identification; flags DF, fragment offset 0
    view.setUint32(ip + 8, 0x4006_0000) // TTL 64, protocol 6, checksum 0 until computed
    bytes.set(src, ip + 12)
    bytes.set(dst, ip + 16)
    view.setUint16(ip + 10, ~onesSum(bytes, ip, ip + IPV4_BYTES, 0) & 0xffff)
    const tcp = ip + IPV4_BYTES
    view.setUint16(tcp, segment.srcPort)
    view.setUint16(tcp + 2, segment.dstPort)
    view.setUint32(tcp + 4, segment.seq)
    view.setUint32(tcp + 8, segment.ack)
    bytes[tcp + 12] = ((TCP_BYTES + optionBytes) / 4) << 4
    bytes[tcp + 13] = this.flagBits(segment.flags)
    view.setUint32(tcp + 14, segment.window << 16) // window; checksum 0 until computed
    view.setUint16(tcp + 18, 0) // urgent pointer
    // The pseudo-header (addresses, protocol 6, TCP length), then the header; the zero payload adds nothing.
    const pseudo = onesSum(bytes, ip + 12, ip + 20, 6 + tcpLength)
    view.setUint16(tcp + 16, ~onesSum(bytes, tcp, tcp + TCP_BYTES + optionBytes, pseudo) & 0xffff)
    return tcp + TCP_BYTES + optionBytes
  }

  /** The SYN options in Linux's layout (MSS; nop nop sackOK; nop wscale), padded with end-of-list to 4 octets. */
  private writeOptions(segment: PcapSegment, at: number): number {
    if (segment.mss === undefined && segment.sackPermitted !== true && segment.windowScale === undefined) return 0
    const options: number[] = []
    if (segment.mss !== undefined) options.push(2, 4, segment.mss >>> 8, segment.mss & 0xff)
    if (segment.sackPermitted === true) options.push(1, 1, 4, 2)
    if (segment.windowScale !== undefined) options.push(1, 3, 3, segment.windowScale)
    while (options.length % 4 !== 0) options.push(0)
    this.bytes.set(options, at)
    return options.length
  }

  private address(text: string): readonly number[] {
    let octets = this.addresses.get(text)
    if (octets === undefined) this.addresses.set(text, (octets = ipv4Octets(text)))
    return octets
  }

  private flagBits(text: string): number {
    let bits = this.flags.get(text)
    if (bits === undefined) this.flags.set(text, (bits = tcpFlagBits(text)))
    return bits
  }
}

/** Writes `value` (uint32) at `at`, least significant octet first. */
function littleEndian32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value & 0xff
  bytes[at + 1] = (value >>> 8) & 0xff
  bytes[at + 2] = (value >>> 16) & 0xff
  bytes[at + 3] = value >>> 24
}

/** The 24-octet global header (little-endian, microseconds, v2.4, Ethernet). */
function globalHeader(snapLength: number): Uint8Array {
  const bytes = new Uint8Array(PCAP_GLOBAL_HEADER_BYTES)
  const view = new DataView(bytes.buffer)
  view.setUint32(0, 0xa1b2c3d4, true)
  view.setUint16(4, 2, true)
  view.setUint16(6, 4, true)
  view.setUint32(16, snapLength, true)
  view.setUint32(20, 1, true)
  return bytes
}

/**
 * The capture in pieces: the global header, then one record per segment in the order given (each
 * a new array). Throws a RangeError naming the field on a value a header cannot hold.
 */
export function* pcapChunks(segments: Iterable<PcapSegment>, options: PcapOptions = {}): Generator<Uint8Array> {
  const snapLength = options.snapLength ?? DEFAULT_SNAP_LENGTH
  if (!Number.isInteger(snapLength) || snapLength < 1 || snapLength > 0xffffffff)
    throw new RangeError(`snapLength must be a positive integer, got ${snapLength}`)
  yield globalHeader(snapLength)
  const headers = new HeaderWriter()
  for (const segment of segments) {
    checkSegment(segment)
    const headerBytes = headers.write(segment)
    const length = headerBytes + segment.payloadBytes
    const captured = Math.min(length, snapLength)
    const record = new Uint8Array(PCAP_RECORD_HEADER_BYTES + captured)
    littleEndian32(record, 0, Math.floor(segment.timeUs / 1_000_000))
    littleEndian32(record, 4, segment.timeUs % 1_000_000)
    littleEndian32(record, 8, captured)
    littleEndian32(record, 12, length)
    record.set(headers.bytes.subarray(0, Math.min(headerBytes, captured)), PCAP_RECORD_HEADER_BYTES)
    yield record
  }
}

/** The whole capture of `segments` as one libpcap file (see the file header for its layout). */
export function encodePcap(segments: Iterable<PcapSegment>, options: PcapOptions = {}): Uint8Array {
  let bytes = new Uint8Array(1 << 16)
  let length = 0
  for (const chunk of pcapChunks(segments, options)) {
    if (length + chunk.length > bytes.length) {
      const grown = new Uint8Array(Math.max(2 * bytes.length, length + chunk.length))
      grown.set(bytes.subarray(0, length))
      bytes = grown
    }
    bytes.set(chunk, length)
    length += chunk.length
  }
  return bytes.slice(0, length)
}

/** The port tcpdump decodes as HTTP. */
const HTTP_PORT = 80

/** Which letters tcpdump prints, in its order. */
const TCPDUMP_FLAG_ORDER = ["F", "S", "R", "P", ".", "U", "E", "W"] as const

/**
 * The line `tcpdump -nn` prints for each segment, without the timestamp:
 * `IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1:1461, ack 1, win 502, length 1460`, so a
 * text timeline can show the same segments the capture holds. Sequence and acknowledgement numbers
 * are relative as tcpdump makes them (without `-S`): a connection's first segment with the ACK flag
 * (the SYN-ACK in a whole capture), and any later SYN with ACK, sets both directions' bases and is
 * printed absolute; segments without ACK print absolute numbers. A data segment from or to port 80
 * ends in `: HTTP`, as tcpdump's HTTP printer shows a payload of zeros; no other port's protocol
 * printer is imitated.
 */
export class TcpdumpFormatter {
  /** Per connection (keyed by its ordered endpoints): the sequence bases of its two directions. */
  private readonly bases = new Map<string, { first: string; seq: number; ack: number }>()

  /**
   * Sets the relative numbering of a connection before its SYNs are seen (as tcpdump would have
   * from its handshake), for a timeline that shows a sample of the segments: `client` and
   * `server` are `address.port`, each with its initial sequence number.
   */
  knowConnection(client: string, clientIsn: number, server: string, serverIsn: number): void {
    const key = client < server ? `${client} ${server}` : `${server} ${client}`
    this.bases.set(key, { first: client, seq: clientIsn, ack: serverIsn })
  }

  /** The line of `segment`, the next in capture order. */
  line(segment: PcapSegment): string {
    const bits = tcpFlagBits(segment.flags)
    const from = `${segment.srcAddr}.${segment.srcPort}`
    const to = `${segment.dstAddr}.${segment.dstPort}`
    let [seq, ack] = [segment.seq, segment.ack]
    if ((bits & FLAG_BITS["."]!) !== 0) [seq, ack] = this.relative(from, to, segment, bits)
    const flags = TCPDUMP_FLAG_ORDER.filter((letter) => (bits & FLAG_BITS[letter]!) !== 0).join("")
    const parts = [`IP ${from} > ${to}: Flags [${flags}]`]
    if (segment.payloadBytes > 0 || (bits & (FLAG_BITS.S! | FLAG_BITS.F! | FLAG_BITS.R!)) !== 0)
      parts.push(`seq ${seq}${segment.payloadBytes > 0 ? `:${(seq + segment.payloadBytes) >>> 0}` : ""}`)
    if ((bits & FLAG_BITS["."]!) !== 0) parts.push(`ack ${ack}`)
    parts.push(`win ${segment.window}`)
    if ((bits & FLAG_BITS.U!) !== 0) parts.push("urg 0")
    const options = tcpdumpOptions(segment)
    if (options !== "") parts.push(`options [${options}]`)
    parts.push(`length ${segment.payloadBytes}`)
    // tcpdump hands a payload on port 80 to its HTTP printer, which shows zeros as just "HTTP".
    const http = segment.payloadBytes > 0 && (segment.srcPort === HTTP_PORT || segment.dstPort === HTTP_PORT)
    return parts.join(", ") + (http ? ": HTTP" : "")
  }

  private relative(from: string, to: string, segment: PcapSegment, bits: number): [number, number] {
    const key = from < to ? `${from} ${to}` : `${to} ${from}`
    const known = this.bases.get(key)
    if (known === undefined || (bits & FLAG_BITS.S!) !== 0) {
      this.bases.set(key, { first: from, seq: segment.seq, ack: (segment.ack - 1) >>> 0 })
      return [segment.seq, segment.ack]
    }
    const [seqBase, ackBase] = known.first === from ? [known.seq, known.ack] : [known.ack, known.seq]
    return [(segment.seq - seqBase) >>> 0, (segment.ack - ackBase) >>> 0]
  }
}

/** The options as tcpdump lists them: `mss 1460,nop,nop,sackOK,nop,wscale 7`. */
function tcpdumpOptions(segment: PcapSegment): string {
  const names: string[] = []
  if (segment.mss !== undefined) names.push(`mss ${segment.mss}`)
  if (segment.sackPermitted === true) names.push("nop", "nop", "sackOK")
  if (segment.windowScale !== undefined) names.push("nop", `wscale ${segment.windowScale}`)
  return names.join(",")
}
