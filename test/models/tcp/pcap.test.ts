import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import fc from "fast-check"
import { afterAll, describe, expect, it } from "vitest"
import {
  DEFAULT_SNAP_LENGTH,
  encodePcap,
  pcapChunks,
  type PcapSegment,
  TcpdumpFormatter,
  tcpFlagBits,
} from "../../../src/models/tcp/pcap.ts"
import { checkProperty } from "../../laws/index.ts"
import { binaryOnPath } from "../../real-tools.ts"

const TEST_FILE = "test/models/tcp/pcap.test.ts"

const tcpdump = binaryOnPath("tcpdump")
const tshark = binaryOnPath("tshark")
if (tcpdump === undefined) console.warn("pcap: tcpdump test SKIPPED, no tcpdump on PATH (apt-get install -y tcpdump)")
if (tshark === undefined) console.warn("pcap: tshark test SKIPPED, no tshark on PATH (apt-get install -y tshark)")

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex")

/** RFC 1071's sum written out again, independently of the writer: the folded one's-complement sum. */
function foldedSum(bytes: Uint8Array, from: number, to: number, start = 0): number {
  let sum = start
  for (let i = from; i < to; i += 2) sum += bytes[i]! * 256 + (i + 1 < to ? bytes[i + 1]! : 0)
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000)
  return sum
}

/** One record as a tiny independent reader sees it. */
interface ParsedRecord {
  readonly seconds: number
  readonly micros: number
  readonly captured: number
  readonly length: number
  readonly frame: Uint8Array
}

/** Reads a little-endian microsecond libpcap file back: its snap length and its records. */
function readPcap(bytes: Uint8Array): { snapLength: number; linkType: number; records: ParsedRecord[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  expect(view.getUint32(0, true)).toBe(0xa1b2c3d4)
  const records: ParsedRecord[] = []
  let at = 24
  while (at < bytes.length) {
    const captured = view.getUint32(at + 8, true)
    records.push({
      seconds: view.getUint32(at, true),
      micros: view.getUint32(at + 4, true),
      captured,
      length: view.getUint32(at + 12, true),
      frame: bytes.subarray(at + 16, at + 16 + captured),
    })
    at += 16 + captured
  }
  expect(at).toBe(bytes.length)
  return { snapLength: view.getUint32(16, true), linkType: view.getUint32(20, true), records }
}

/** Whether the IPv4 header checksum and the TCP checksum (pseudo-header, header, zero payload) verify. */
function checksumsVerify(frame: Uint8Array, tcpHeaderBytes: number, tcpLength: number): boolean {
  const ip = foldedSum(frame, 14, 34) === 0xffff
  const pseudo =
    foldedSum(frame, 26, 34) + // source and destination addresses
    6 +
    tcpLength
  return ip && foldedSum(frame, 34, 34 + tcpHeaderBytes, pseudo) === 0xffff
}

const CLIENT = { srcAddr: "10.0.0.1", srcPort: 40000, dstAddr: "10.0.0.2", dstPort: 80 }
const SERVER = { srcAddr: "10.0.0.2", srcPort: 80, dstAddr: "10.0.0.1", dstPort: 40000 }

const SYN: PcapSegment = {
  ...CLIENT,
  timeUs: 0,
  seq: 1000,
  ack: 0,
  flags: "S",
  window: 64240,
  payloadBytes: 0,
  mss: 1460,
  sackPermitted: true,
  windowScale: 7,
}

/** Handshake, five data segments (the second lost), three dup ACKs, a fast retransmission, FIN/ACK close. */
function connection(): PcapSegment[] {
  const c = (timeUs: number, seq: number, flags: string, payloadBytes: number): PcapSegment => ({
    ...CLIENT,
    timeUs,
    seq,
    ack: 5001,
    flags,
    window: 502,
    payloadBytes,
  })
  const s = (timeUs: number, ack: number, flags = "."): PcapSegment => ({
    ...SERVER,
    timeUs,
    seq: 5001,
    ack,
    flags,
    window: 509,
    payloadBytes: 0,
  })
  return [
    SYN,
    { ...SYN, ...SERVER, timeUs: 20_000, seq: 5000, ack: 1001, flags: "S.", window: 65160 },
    c(40_000, 1001, ".", 0),
    c(40_000, 1001, "P.", 1460),
    c(40_010, 2461, ".", 1460),
    c(40_020, 3921, ".", 1460),
    c(40_030, 5381, ".", 1460),
    c(40_040, 6841, ".", 1460),
    s(60_000, 2461),
    s(60_020, 2461),
    s(60_030, 2461),
    s(60_040, 2461),
    c(60_050, 2461, ".", 1460),
    s(80_050, 8301),
    c(80_100, 8301, "F.", 0),
    { ...s(100_100, 8302, "F.") },
    { ...c(120_100, 8302, ".", 0), ack: 5002 },
  ]
}

describe("encodePcap: the bytes", () => {
  it("writes the global header: magic a1b2c3d4 little-endian, v2.4, zone 0, sigfigs 0, snaplen, Ethernet", () => {
    expect(hex(encodePcap([]))).toBe("d4c3b2a1" + "02000400" + "00000000" + "00000000" + "00000400" + "01000000")
    expect(hex(encodePcap([], { snapLength: 96 }).subarray(16, 20))).toBe("60000000")
  })

  it("writes a SYN with MSS, SACK-permitted and window scale exactly", () => {
    const record = encodePcap([{ ...SYN, timeUs: 1_500_002 }]).subarray(24)
    expect(hex(record)).toBe(
      [
        "01000000" + "22a10700" + "42000000" + "42000000", // 1 s + 500,002 µs; 66 octets captured of 66
        "02000a000002" + "02000a000001" + "0800", // Ethernet: to 10.0.0.2's MAC, from 10.0.0.1's, IPv4
        "4500" + "0034" + "0001" + "4000" + "4006" + "26c1" + "0a000001" + "0a000002", // IPv4, ID 1, DF, TTL 64
        "9c40" + "0050" + "000003e8" + "00000000" + "8002" + "faf0" + "bfa5" + "0000", // TCP, offset 8 words, SYN
        "020405b4" + "01010402" + "01030307", // mss 1460; nop nop sackOK; nop wscale 7
      ].join(""),
    )
  })

  it("has header checksums that verify when recomputed independently", () => {
    const { records } = readPcap(encodePcap(connection()))
    for (const record of records) {
      const tcpHeaderBytes = (record.frame[46]! >> 4) * 4
      const tcpLength = record.frame[16]! * 256 + record.frame[17]! - 20
      expect(checksumsVerify(record.frame, tcpHeaderBytes, tcpLength)).toBe(true)
    }
    expect(foldedSum(new Uint8Array([0x45, 0, 0, 0x34]), 0, 4)).toBe(0x4534)
  })

  it("counts the IPv4 identification per source address from 1", () => {
    const ids = readPcap(encodePcap(connection())).records.map((r) => [r.frame[29], r.frame[18]! * 256 + r.frame[19]!])
    expect(ids.slice(0, 4)).toEqual([
      [1, 1],
      [2, 1],
      [1, 2],
      [1, 3],
    ])
  })

  it("truncates records to the snap length like tcpdump -s, keeping the real length", () => {
    const { snapLength, records } = readPcap(encodePcap(connection(), { snapLength: 96 }))
    expect(snapLength).toBe(96)
    expect(records.map((r) => [r.captured, r.length]).slice(2, 5)).toEqual([
      [54, 54],
      [96, 1514],
      [96, 1514],
    ])
  })

  it("streams the same bytes in chunks: the global header, then one record per segment", () => {
    const chunks = [...pcapChunks(connection())]
    expect(chunks).toHaveLength(1 + connection().length)
    expect(hex(Buffer.concat(chunks))).toBe(hex(encodePcap(connection())))
  })

  it("maps tcpdump's flag letters to the flag bits, rejecting unknown and repeated letters", () => {
    expect(["S", "S.", ".", "P.", "F.", "FP.", "R", "R."].map(tcpFlagBits)).toEqual([
      0x02, 0x12, 0x10, 0x18, 0x11, 0x19, 0x04, 0x14,
    ])
    expect(() => tcpFlagBits("SX")).toThrow(/unknown TCP flag letter "X"/)
    expect(() => tcpFlagBits("..")).toThrow(/repeated/)
  })

  it("rejects a value its header field cannot hold, naming the field", () => {
    expect(() => encodePcap([{ ...SYN, seq: 2 ** 32 }])).toThrow(/seq must be an integer in 0..4294967295/)
    expect(() => encodePcap([{ ...SYN, window: 70_000 }])).toThrow(/window/)
    expect(() => encodePcap([{ ...SYN, srcAddr: "10.0.0.256" }])).toThrow(/not a dotted IPv4 address/)
    expect(() => encodePcap([{ ...SYN, timeUs: 1.5 }])).toThrow(/timeUs/)
    expect(() => encodePcap([], { snapLength: 0 })).toThrow(/snapLength/)
  })
})

const segmentArbitrary: fc.Arbitrary<PcapSegment> = fc.record(
  {
    timeUs: fc.integer({ min: 0, max: 10 ** 12 }),
    srcAddr: fc.ipV4(),
    dstAddr: fc.ipV4(),
    srcPort: fc.integer({ min: 0, max: 0xffff }),
    dstPort: fc.integer({ min: 0, max: 0xffff }),
    seq: fc.integer({ min: 0, max: 0xffffffff }),
    ack: fc.integer({ min: 0, max: 0xffffffff }),
    flags: fc.constantFrom("S", "S.", ".", "P.", "F.", "FP.", "R", "R."),
    window: fc.integer({ min: 0, max: 0xffff }),
    payloadBytes: fc.integer({ min: 0, max: 9000 }),
    mss: fc.integer({ min: 0, max: 0xffff }),
    windowScale: fc.integer({ min: 0, max: 14 }),
    sackPermitted: fc.boolean(),
  },
  {
    requiredKeys: [
      "timeUs",
      "srcAddr",
      "dstAddr",
      "srcPort",
      "dstPort",
      "seq",
      "ack",
      "flags",
      "window",
      "payloadBytes",
    ],
  },
)

describe("TcpdumpFormatter", () => {
  it("prints the connection as tcpdump -nn does: absolute on the SYNs, then relative to each side's first sequence number", () => {
    const formatter = new TcpdumpFormatter()
    const lines = connection().map((segment) => formatter.line(segment))
    expect([lines[0], lines[1], lines[3], lines[8], lines[15]]).toEqual([
      "IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 64240, options [mss 1460,nop,nop,sackOK,nop,wscale 7], length 0",
      "IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65160, options [mss 1460,nop,nop,sackOK,nop,wscale 7], length 0",
      "IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1:1461, ack 1, win 502, length 1460: HTTP",
      "IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 1461, win 509, length 0",
      "IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [F.], seq 1, ack 7302, win 509, length 0",
    ])
  })

  it("orders flag letters as tcpdump does (F S R P . U E W) and wraps relative numbers at 2^32", () => {
    const formatter = new TcpdumpFormatter()
    const at = (seq: number, ack: number, flags: string) => formatter.line({ ...SYN, seq, ack, flags, mss: undefined })
    expect(at(10, 20, "W.UEPRSF")).toBe(
      "IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [FSRP.UEW], seq 10, ack 20, win 64240, urg 0, options [nop,nop,sackOK,nop,wscale 7], length 0",
    )
    expect(at(5, 2 ** 32 - 1, "F.")).toBe(
      "IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [F.], seq 4294967291, ack 4294967276, win 64240, options [nop,nop,sackOK,nop,wscale 7], length 0",
    )
  })
})

describe("encodePcap: any segment list", () => {
  it("gives a file whose records, lengths, timestamps and checksums read back", () => {
    checkProperty(
      fc.property(
        fc.array(segmentArbitrary, { maxLength: 20 }),
        fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }),
        (segments, snap) => {
          const { snapLength, linkType, records } = readPcap(encodePcap(segments, { snapLength: snap }))
          expect([snapLength, linkType]).toEqual([snap ?? DEFAULT_SNAP_LENGTH, 1])
          expect(records).toHaveLength(segments.length)
          records.forEach((record, i) => {
            const segment = segments[i]!
            const options =
              (segment.mss === undefined ? 0 : 4) +
              (segment.sackPermitted === true ? 4 : 0) +
              (segment.windowScale === undefined ? 0 : 4)
            const length = 54 + options + segment.payloadBytes
            expect([record.length, record.captured]).toEqual([length, Math.min(length, snapLength)])
            expect(record.seconds * 1_000_000 + record.micros).toBe(segment.timeUs)
            if (record.captured === length)
              expect(checksumsVerify(record.frame, 20 + options, 20 + options + segment.payloadBytes)).toBe(true)
          })
        },
      ),
      { testFile: TEST_FILE },
    )
  })
})

describe.skipIf(tcpdump === undefined && tshark === undefined)("real tools read the capture", () => {
  const dir = mkdtempSync(join(tmpdir(), "pcap-"))
  const file = join(dir, "connection.pcap")
  writeFileSync(file, encodePcap(connection()))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it.skipIf(tcpdump === undefined)(
    "tcpdump -nn -tt -r prints the connection: flags, relative seq/ack, win, length, options",
    () => {
      const run = spawnSync(tcpdump!, ["-nn", "-tt", "-r", file], { encoding: "utf8" })
      expect(run.status, run.stderr).toBe(0)
      const c = "IP 10.0.0.1.40000 > 10.0.0.2.80: Flags"
      const s = "IP 10.0.0.2.80 > 10.0.0.1.40000: Flags"
      expect(run.stdout.split("\n")).toEqual([
        `0.000000 ${c} [S], seq 1000, win 64240, options [mss 1460,nop,nop,sackOK,nop,wscale 7], length 0`,
        `0.020000 ${s} [S.], seq 5000, ack 1001, win 65160, options [mss 1460,nop,nop,sackOK,nop,wscale 7], length 0`,
        `0.040000 ${c} [.], ack 1, win 502, length 0`,
        `0.040000 ${c} [P.], seq 1:1461, ack 1, win 502, length 1460: HTTP`,
        `0.040010 ${c} [.], seq 1461:2921, ack 1, win 502, length 1460: HTTP`,
        `0.040020 ${c} [.], seq 2921:4381, ack 1, win 502, length 1460: HTTP`,
        `0.040030 ${c} [.], seq 4381:5841, ack 1, win 502, length 1460: HTTP`,
        `0.040040 ${c} [.], seq 5841:7301, ack 1, win 502, length 1460: HTTP`,
        `0.060000 ${s} [.], ack 1461, win 509, length 0`,
        `0.060020 ${s} [.], ack 1461, win 509, length 0`,
        `0.060030 ${s} [.], ack 1461, win 509, length 0`,
        `0.060040 ${s} [.], ack 1461, win 509, length 0`,
        `0.060050 ${c} [.], seq 1461:2921, ack 1, win 502, length 1460: HTTP`,
        `0.080050 ${s} [.], ack 7301, win 509, length 0`,
        `0.080100 ${c} [F.], seq 7301, ack 1, win 502, length 0`,
        `0.100100 ${s} [F.], seq 1, ack 7302, win 509, length 0`,
        `0.120100 ${c} [.], ack 2, win 502, length 0`,
        "",
      ])
      expect(run.stderr).toContain("link-type EN10MB (Ethernet), snapshot length 262144")
      const formatter = new TcpdumpFormatter()
      const time = (timeUs: number): string => (timeUs / 1e6).toFixed(6)
      expect(connection().map((seg) => `${time(seg.timeUs)} ${formatter.line(seg)}`)).toEqual(
        run.stdout.split("\n").slice(0, -1),
      )
    },
  )

  it.skipIf(tcpdump === undefined)(
    "tcpdump prints what TcpdumpFormatter prints, for every combination of flags and for generated connections",
    () => {
      const letters = ["S", "F", "P", "R", "U", "E", "W", "."]
      const combinations = Array.from({ length: 255 }, (_, m) => ({
        ...CLIENT,
        dstPort: 50000,
        timeUs: m,
        seq: 1000 + m,
        ack: 7000 + m,
        flags: letters.filter((_, i) => ((m + 1) >> i) & 1).join(""),
        window: 100,
        payloadBytes: m % 3 === 0 ? 0 : 10,
      }))
      const generated = fc.array(
        fc.record({
          segment: segmentArbitrary,
          endpoints: fc.constantFrom<readonly [string, number, string, number]>(
            ["10.0.0.1", 40000, "10.0.0.2", 50000],
            ["10.0.0.2", 50000, "10.0.0.1", 40000],
            ["10.0.0.3", 40001, "10.0.0.2", 50001],
          ),
        }),
        { minLength: 1, maxLength: 60 },
      )
      checkProperty(
        fc.property(generated, (drawn) => {
          const segments = [
            ...combinations,
            ...drawn.map(({ segment, endpoints: [srcAddr, srcPort, dstAddr, dstPort] }, i) => ({
              ...segment,
              srcAddr,
              srcPort,
              dstAddr,
              dstPort,
              timeUs: 1000 + i,
            })),
          ]
          const path = join(dir, "generated.pcap")
          writeFileSync(path, encodePcap(segments))
          const run = spawnSync(tcpdump!, ["-nn", "-r", path], { encoding: "utf8" })
          expect(run.status, run.stderr).toBe(0)
          const printed = run.stdout
            .split("\n")
            .slice(0, -1)
            .map((line) => line.replace(/^\S+ /, ""))
          const formatter = new TcpdumpFormatter()
          expect(segments.map((segment) => formatter.line(segment))).toEqual(printed)
        }),
        { testFile: TEST_FILE, numRuns: 8 },
      )
    },
  )

  it.skipIf(tshark === undefined)(
    "tshark finds every checksum good and analyses the dup ACKs and the retransmission",
    () => {
      const fields = [
        "frame.number",
        "tcp.checksum.status", // 1 is "Good" (0 bad, 2 unverified)
        "ip.checksum.status",
        "tcp.analysis.duplicate_ack_num",
        "tcp.analysis.retransmission",
        "tcp.analysis.fast_retransmission",
        "tcp.analysis.flags", // any expert analysis at all
      ]
      const options = ["-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE", "-T", "fields"]
      const run = spawnSync(tshark!, ["-r", file, ...options, ...fields.flatMap((f) => ["-e", f])], {
        encoding: "utf8",
      })
      expect(run.status, run.stderr).toBe(0)
      const plain = (frame: number): string => `${frame}\t1\t1\t\t\t\t`
      expect(run.stdout.split("\n")).toEqual([
        ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map(plain),
        "10\t1\t1\t1\t\t\t1",
        "11\t1\t1\t2\t\t\t1",
        "12\t1\t1\t3\t\t\t1",
        "13\t1\t1\t\t1\t1\t1",
        ...[14, 15, 16, 17].map(plain),
        "",
      ])
    },
  )
})
