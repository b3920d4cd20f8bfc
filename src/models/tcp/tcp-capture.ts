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
import type { ConnectionId } from "./tcp-segment.ts"

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

/** The window-scale shift of each endpoint (`address:port`). */
export type WindowShifts = ReadonlyMap<string, number>

/** The shifts of a run's connections, fitted to the largest window each end advertises (see the header). */
export function windowShiftsOf(
  flows: readonly {
    readonly id: ConnectionId
    readonly advertisedWindowBytes: { readonly client: number; readonly server: number }
  }[],
): WindowShifts {
  const shifts = new Map<string, number>()
  for (const { id, advertisedWindowBytes } of flows) {
    shifts.set(endpointOf(id.clientAddress, id.clientPort), windowShift(advertisedWindowBytes.client))
    shifts.set(endpointOf(id.serverAddress, id.serverPort), windowShift(advertisedWindowBytes.server))
  }
  return shifts
}

/** The shifts fitted to the largest window each endpoint advertises after its SYN in `segments`. */
export function observedWindowShifts(segments: readonly TcpSegmentSent[]): WindowShifts {
  const largest = new Map<string, number>()
  for (const s of segments) {
    if (s.flags.startsWith("S")) continue
    const endpoint = endpointOf(s.src, s.srcPort)
    largest.set(endpoint, Math.max(largest.get(endpoint) ?? 0, s.window))
  }
  return new Map([...largest].map(([endpoint, window]) => [endpoint, windowShift(window)]))
}

/** One sent segment as captured: the window field shifted, the options on a SYN. */
export function capturedSegment(s: TcpSegmentSent, mssBytes: number, shifts: WindowShifts): PcapSegment {
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
    window: syn ? Math.min(s.window, WINDOW_FIELD_MAX) : Math.min(Math.floor(s.window / 2 ** shift), WINDOW_FIELD_MAX),
    payloadBytes: s.payloadBytes,
  }
  if (!syn) return base
  const scales = shift > 0 || (shifts.get(endpointOf(s.dst, s.dstPort)) ?? 0) > 0
  return { ...base, mss: mssBytes, ...(scales ? { windowScale: shift } : {}) }
}

/**
 * The capture of `segments` (a run's `TcpSegmentSent` records, in the order sent): one
 * {@link PcapSegment} each, with the MSS and window-scale options on the SYNs. `shifts` defaults to
 * those the segments themselves show ({@link observedWindowShifts}).
 */
export function captureOf(
  segments: readonly TcpSegmentSent[],
  mssBytes: number,
  shifts: WindowShifts = observedWindowShifts(segments),
): PcapSegment[] {
  return segments.map((s) => capturedSegment(s, mssBytes, shifts))
}
