import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  type Algorithm,
  createCongestionControl,
  initialWindowBytes,
  type Segment,
  TcpSender,
} from "../../../src/models/tcp/index.ts"

const MSS = 1460
const ID = {
  flow: 0,
  clientAddress: "10.0.0.1",
  serverAddress: "10.0.0.2",
  clientPort: 40000,
  serverPort: 80,
  clientIsn: 1000,
  serverIsn: 5000,
}

/** A sender whose segments land in `sent`, connected at t=0 with a window of `segments`. */
function connected(algorithm: Algorithm, segments: number) {
  const sim = new Simulation({ trace: { enabled: false } })
  const sent: Segment[] = []
  const sender = new TcpSender(
    sim,
    sim.trace,
    ID,
    { congestionControl: createCongestionControl(algorithm), mssBytes: MSS, initialWindowSegments: segments },
    (segment) => sent.push(segment),
  )
  sender.open()
  sender.receive({ flow: 0, seq: 0, ack: 1, flags: "S.", payloadBytes: 0, windowBytes: 1 << 30 })
  const ack = (ackSeq: number): void =>
    sender.receive({ flow: 0, seq: 1, ack: ackSeq, flags: ".", payloadBytes: 0, windowBytes: 1 << 30 })
  return { sim, sender, sent, ack }
}

const inSegments = (bytes: number): number => bytes / MSS

describe("TcpSender", () => {
  it("uses RFC 5681's initial window: 4 segments up to 1095 bytes, 3 up to 2190, 2 above", () => {
    expect([536, 1095, 1096, 1460, 2190, 2191, 9000].map((mss) => initialWindowBytes(mss) / mss)).toEqual([
      4, 4, 3, 3, 3, 2, 2,
    ])
  })

  it("sends SYN, then on SYN-ACK the ACK and its initial window of 3 segments", () => {
    const { sent } = connected("reno", 3)

    expect(sent.map((s) => [s.flags, s.seq, s.ack, s.payloadBytes])).toEqual([
      ["S", 0, 0, 0],
      [".", 1, 1, 0],
      ["P.", 1, 1, MSS],
      ["P.", 1 + MSS, 1, MSS],
      ["P.", 1 + 2 * MSS, 1, MSS],
    ])
  })

  it("Reno: cwnd 12, FlightSize 12, 3 dup ACKs → ssthresh 6, cwnd 9, +1 per dup ACK, 6 after the recovery ACK", () => {
    const { sender, sent, ack } = connected("reno", 12)
    expect(inSegments(sender.flightBytes)).toBe(12)
    const before = sent.length

    ack(1)
    ack(1)
    ack(1)
    const afterThird = [inSegments(sender.ssthreshBytes), inSegments(sender.cwndBytes), sender.phase]
    const retransmitted = sent.slice(before).map((s) => s.seq)
    ack(1)
    const afterFourth = inSegments(sender.cwndBytes)
    ack(1 + 12 * MSS)

    expect(afterThird).toEqual([6, 9, "fast-recovery"])
    expect(retransmitted).toEqual([1])
    expect(afterFourth).toBe(10)
    expect([inSegments(sender.cwndBytes), sender.phase]).toEqual([6, "congestion-avoidance"])
    expect([sender.fastRetransmits, sender.retransmits]).toEqual([1, 1])
  })

  it("Tahoe: 3 dup ACKs at cwnd 12 → ssthresh 6, cwnd 1, slow start", () => {
    const { sender, ack } = connected("tahoe", 12)

    ack(1)
    ack(1)
    ack(1)

    expect([inSegments(sender.ssthreshBytes), inSegments(sender.cwndBytes), sender.phase]).toEqual([6, 1, "slow-start"])
  })

  it("NewReno: a partial ACK retransmits the next hole, deflates cwnd and stays in recovery; the full ACK ends it at ssthresh", () => {
    const { sender, sent, ack } = connected("newreno", 12)
    ack(1)
    ack(1)
    ack(1)
    const before = sent.length

    ack(1 + 2 * MSS)
    const partial = [inSegments(sender.cwndBytes), sender.phase, sent.slice(before).map((s) => s.seq)]
    ack(1 + 12 * MSS)

    expect(partial).toEqual([8, "fast-recovery", [1 + 2 * MSS]])
    expect([inSegments(sender.cwndBytes), sender.phase]).toEqual([6, "congestion-avoidance"])
    expect(sender.fastRetransmits).toBe(2)
  })

  it("Reno leaves recovery on a partial ACK (deflates to ssthresh 6)", () => {
    const { sender, ack } = connected("reno", 12)
    ack(1)
    ack(1)
    ack(1)

    ack(1 + 2 * MSS)

    expect([inSegments(sender.cwndBytes), sender.phase]).toEqual([6, "congestion-avoidance"])
  })

  it("timeout with FlightSize 3: ssthresh max(1.5, 2) = 2 segments, cwnd 1, RTO doubled, go back to the first unacked byte", () => {
    const { sim, sender, sent } = connected("reno", 3)
    const before = sent.length

    sim.run({ until: 1500 })

    expect([inSegments(sender.ssthreshBytes), inSegments(sender.cwndBytes)]).toEqual([2, 1])
    expect([sender.timeouts, sender.rtoMs]).toEqual([1, 2000])
    expect(sent.slice(before).map((s) => [s.seq, s.payloadBytes])).toEqual([[1, MSS]])
  })

  it("slow start adds min(acked, SMSS) per ACK of new data, and Reno adds SMSS·SMSS/cwnd per ACK above ssthresh", () => {
    const { sender, ack } = connected("reno", 3)

    ack(1 + MSS)
    const slowStart = inSegments(sender.cwndBytes)
    sender.ssthreshBytes = 4 * MSS
    ack(1 + 2 * MSS)
    const atThreshold = inSegments(sender.cwndBytes)
    ack(1 + 3 * MSS)

    expect(slowStart).toBe(4)
    expect(atThreshold).toBe(4.25)
    expect(sender.cwndBytes).toBeCloseTo(4.25 * MSS + (MSS * MSS) / (4.25 * MSS), 9)
  })
})

describe("TcpSender, application-limited", () => {
  it("sends only what the application wrote, a partial segment last, and more after the next write", () => {
    const sim = new Simulation({ trace: { enabled: false } })
    const sent: Segment[] = []
    const sender = new TcpSender(
      sim,
      sim.trace,
      ID,
      { congestionControl: createCongestionControl("reno"), mssBytes: MSS, applicationLimited: true },
      (segment) => sent.push(segment),
    )
    sender.open()
    sender.write(2000) // before the handshake: held until ESTABLISHED
    expect(sent.map((s) => s.flags)).toEqual(["S"])
    sender.receive({ flow: 0, seq: 0, ack: 1, flags: "S.", payloadBytes: 0, windowBytes: 1 << 30 })
    sender.write(100)
    expect(sent.slice(1).map((s) => [s.flags, s.seq, s.payloadBytes])).toEqual([
      [".", 1, 0],
      ["P.", 1, MSS],
      ["P.", 1 + MSS, 540],
      ["P.", 2001, 100],
    ])
    expect(sender.flightBytes).toBe(2100)
  })
})
