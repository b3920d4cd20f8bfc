import { describe, expect, it } from "vitest"
import type { Traced } from "../../../src/kernel/index.ts"
import { type TcpEvent, tcpTimeline, tcpTimelineContext } from "../../../src/models/tcp/index.ts"

const ID = {
  flow: 0,
  clientAddress: "10.0.0.1",
  serverAddress: "10.0.0.2",
  clientPort: 40000,
  serverPort: 80,
  clientIsn: 4294967000,
  serverIsn: 7,
}
const CONTEXT = tcpTimelineContext([{ id: ID, advertisedWindowBytes: { client: 65535, server: 8 * 2 ** 20 } }], 1460)
const stamp = <E extends TcpEvent>(event: E): Traced<TcpEvent> => ({ t: 1, seq: 0, ...event }) as Traced<TcpEvent>

describe("tcpTimeline", () => {
  it("prints relative numbers across the 32-bit wrap, as tcpdump does", () => {
    const line = tcpTimeline(
      stamp({
        type: "TcpSegmentSent",
        flow: 0,
        src: "10.0.0.1",
        dst: "10.0.0.2",
        srcPort: 40000,
        dstPort: 80,
        seqNumber: (4294967000 + 1461) >>> 0,
        ackNumber: 8,
        flags: "P.",
        window: 65535,
        payloadBytes: 1460,
        timeMs: 1,
        retransmission: true,
        inFlightBytes: 2920,
        sendWindowBytes: 4380,
      }),
      CONTEXT,
    )

    expect(line).toBe("IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1461:2921, ack 1, win 65535, length 1460: HTTP")
  })

  it("names drops, fast retransmits and timeouts with windows in segments", () => {
    const seqNumber = (4294967000 + 2921) >>> 0
    const base = { flow: 0, seqNumber }

    const lines = [
      stamp({ type: "TcpSegmentDropped", ...base, payloadBytes: 1460, reason: "queue-full", queuedPackets: 20 }),
      stamp({ type: "TcpSegmentDropped", ...base, payloadBytes: 1460, reason: "random-loss", queuedPackets: 3 }),
      stamp({
        type: "TcpFastRetransmitted",
        ...base,
        partialAck: false,
        ssthreshBytes: 8760,
        cwndBytes: 13140,
        flightBytes: 17520,
      }),
      stamp({
        type: "TcpFastRetransmitted",
        ...base,
        partialAck: true,
        ssthreshBytes: 8760,
        cwndBytes: 11680,
        flightBytes: 14600,
      }),
      stamp({
        type: "TcpRetransmissionTimedOut",
        ...base,
        rtoMs: 2000,
        ssthreshBytes: 2920,
        cwndBytes: 1460,
        flightBytes: 4380,
      }),
      stamp({ type: "TcpCwndChanged", flow: 0, cwndBytes: 1460, ssthreshBytes: null, phase: "slow-start" }),
    ].map((record) => tcpTimeline(record, CONTEXT))

    expect(lines).toEqual([
      "  DROPPED flow 0 seq 2921:4381: the queue is full (20 waiting)",
      "  LOST flow 0 seq 2921:4381 at random (--loss)",
      "  flow 0: 3 duplicate ACKs: fast retransmit of seq 2921; ssthresh 6.0, cwnd 9.0 segments",
      "  flow 0: partial ACK: retransmits seq 2921 at once, stays in fast recovery (cwnd 8.0)",
      "  flow 0: TIMEOUT: resends from seq 2921; ssthresh 2.0, cwnd 1 segment, RTO now 2000ms",
      undefined,
    ])
  })
})
