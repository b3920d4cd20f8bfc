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

/** The TCP options of a segment, padded with end-of-list octets to a multiple of 4 (Linux's layout). */
function tcpOptions(segment: PcapSegment): number[] {
  const options: number[] = []
  if (segment.mss !== undefined) {
    checkRange("mss", segment.mss, 0xffff)
    options.push(2, 4, segment.mss >>> 8, segment.mss & 0xff)
  }
  if (segment.sackPermitted === true) options.push(1, 1, 4, 2)
  if (segment.windowScale !== undefined) {
    checkRange("windowScale", segment.windowScale, 14)
    options.push(1, 3, 3, segment.windowScale)
  }
  while (options.length % 4 !== 0) options.push(0)
  return options
}

function checkSegment(segment: PcapSegment): void {
  checkRange("timeUs", segment.timeUs, Number.MAX_SAFE_INTEGER)
  checkRange("srcPort", segment.srcPort, 0xffff)
  checkRange("dstPort", segment.dstPort, 0xffff)
  checkRange("seq", segment.seq, 0xffffffff)
  checkRange("ack", segment.ack, 0xffffffff)
  checkRange("window", segment.window, 0xffff)
  checkRange("payloadBytes", segment.payloadBytes, 0xffff - IPV4_BYTES - TCP_BYTES - 12)
}

/** Writes the frame of one segment (Ethernet, IPv4, TCP, zero payload) into `frame`. */
function writeFrame(frame: Uint8Array, segment: PcapSegment, options: readonly number[], ipId: number): void {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
  const src = ipv4Octets(segment.srcAddr)
  const dst = ipv4Octets(segment.dstAddr)
  frame.set([0x02, 0x00, ...dst, 0x02, 0x00, ...src], 0)
  view.setUint16(12, 0x0800)
  const ip = ETHERNET_BYTES
  const tcpLength = TCP_BYTES + options.length + segment.payloadBytes
  frame.set([0x45, 0x00], ip)
  view.setUint16(ip + 2, IPV4_BYTES + tcpLength)
  view.setUint16(ip + 4, ipId)
  view.setUint16(ip + 6, 0x4000)
  frame.set([64, 6, 0, 0, ...src, ...dst], ip + 8)
  view.setUint16(ip + 10, internetChecksum(frame.subarray(ip, ip + IPV4_BYTES)))
  const tcp = ip + IPV4_BYTES
  view.setUint16(tcp, segment.srcPort)
  view.setUint16(tcp + 2, segment.dstPort)
  view.setUint32(tcp + 4, segment.seq)
  view.setUint32(tcp + 8, segment.ack)
  frame[tcp + 12] = ((TCP_BYTES + options.length) / 4) << 4
  frame[tcp + 13] = tcpFlagBits(segment.flags)
  view.setUint16(tcp + 14, segment.window)
  frame.set(options, tcp + TCP_BYTES)
  // The pseudo-header's sum: addresses, protocol 6, TCP length; the zero payload adds nothing.
  const word = (octets: readonly number[], i: number): number => (octets[i]! << 8) | octets[i + 1]!
  const initial = word(src, 0) + word(src, 2) + word(dst, 0) + word(dst, 2) + 6 + tcpLength
  view.setUint16(tcp + 16, internetChecksum(frame.subarray(tcp, tcp + TCP_BYTES + options.length), initial))
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
  const ids = new Map<string, number>()
  for (const segment of segments) {
    checkSegment(segment)
    const tcpOpts = tcpOptions(segment)
    const length = ETHERNET_BYTES + IPV4_BYTES + TCP_BYTES + tcpOpts.length + segment.payloadBytes
    const captured = Math.min(length, snapLength)
    const ipId = ids.get(segment.srcAddr) ?? 1
    ids.set(segment.srcAddr, (ipId + 1) & 0xffff)
    const frame = new Uint8Array(length)
    writeFrame(frame, segment, tcpOpts, ipId)
    const record = new Uint8Array(PCAP_RECORD_HEADER_BYTES + captured)
    const view = new DataView(record.buffer)
    view.setUint32(0, Math.floor(segment.timeUs / 1_000_000), true)
    view.setUint32(4, segment.timeUs % 1_000_000, true)
    view.setUint32(8, captured, true)
    view.setUint32(12, length, true)
    record.set(frame.subarray(0, captured), PCAP_RECORD_HEADER_BYTES)
    yield record
  }
}

/** The whole capture of `segments` as one libpcap file (see the file header for its layout). */
export function encodePcap(segments: Iterable<PcapSegment>, options: PcapOptions = {}): Uint8Array {
  const chunks = [...pcapChunks(segments, options)]
  const bytes = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0))
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.length
  }
  return bytes
}
