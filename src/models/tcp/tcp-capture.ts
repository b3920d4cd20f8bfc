/**
 * What `--pcap` writes: the segments a TCP run sent (its `TcpSegmentSent` records, in order) as
 * libpcap records (pcap.ts), captured where each segment left its sender, so a segment the
 * bottleneck later dropped is in the capture as it would be in `tcpdump` on the sending host.
 *
 * The model advertises windows in bytes (the receiver's is 8 MiB, more than the 16-bit field
 * holds), so each endpoint gets the smallest window-scale shift (RFC 7323) that fits the largest
 * window it advertises; both SYNs carry the option when either side needs scaling (scaling is on
 * only if both offer it), a SYN's own window is never scaled (at most 65,535), and every later
 * window field is the window shifted right by the sender's shift. SYNs also carry the MSS option.
 * Timestamps are the simulated milliseconds as whole microseconds. See docs/tcp.md.
 */
import type { PcapSegment } from "./pcap.ts"
import type { TcpSegmentSent } from "./tcp-events.ts"

/** The largest value of the 16-bit window field. */
const WINDOW_FIELD_MAX = 0xffff
/** The largest window-scale shift (RFC 7323). */
const SHIFT_MAX = 14

/** An endpoint of a connection: `address:port`. */
function endpointOf(address: string, port: number): string {
  return `${address}:${port}`
}

/** The smallest shift that fits `window` into the 16-bit field (at most 14). */
export function windowShift(windowBytes: number): number {
  let shift = 0
  while (shift < SHIFT_MAX && windowBytes / 2 ** shift > WINDOW_FIELD_MAX) shift++
  return shift
}

/** The shift each endpoint uses: fitted to the largest window it advertises after its SYN. */
function shiftsOf(segments: readonly TcpSegmentSent[]): Map<string, number> {
  const largest = new Map<string, number>()
  for (const s of segments) {
    if (s.flags.startsWith("S")) continue
    const endpoint = endpointOf(s.src, s.srcPort)
    largest.set(endpoint, Math.max(largest.get(endpoint) ?? 0, s.window))
  }
  return new Map([...largest].map(([endpoint, window]) => [endpoint, windowShift(window)]))
}

/**
 * The capture of `segments` (a run's `TcpSegmentSent` records, in the order sent): one
 * {@link PcapSegment} each, with the MSS and window-scale options on the SYNs.
 */
export function captureOf(segments: readonly TcpSegmentSent[], mssBytes: number): PcapSegment[] {
  const shifts = shiftsOf(segments)
  const connectionScales = (s: TcpSegmentSent): boolean =>
    (shifts.get(endpointOf(s.src, s.srcPort)) ?? 0) > 0 || (shifts.get(endpointOf(s.dst, s.dstPort)) ?? 0) > 0
  return segments.map((s) => {
    const shift = shifts.get(endpointOf(s.src, s.srcPort)) ?? 0
    const syn = s.flags.startsWith("S")
    const base = {
      timeUs: Math.round(s.timeMs * 1000),
      srcAddr: s.src,
      dstAddr: s.dst,
      srcPort: s.srcPort,
      dstPort: s.dstPort,
      seq: s.seqNumber,
      ack: s.ackNumber,
      flags: s.flags,
      window: syn
        ? Math.min(s.window, WINDOW_FIELD_MAX)
        : Math.min(Math.floor(s.window / 2 ** shift), WINDOW_FIELD_MAX),
      payloadBytes: s.payloadBytes,
    }
    if (!syn) return base
    return { ...base, mss: mssBytes, ...(connectionScales(s) ? { windowScale: shift } : {}) }
  })
}
