/**
 * `--pcap` of tcp-congestion: the run's segments as a capture the real tcpdump and tshark read
 * (src/models/tcp/tcp-capture.ts): the handshake with its options, the window scale that makes
 * the receiver's 8 MiB window fit the 16-bit field, and the same segments as the run's records.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { EXIT_CODE } from "../../../src/cli/index.ts"
import { Simulation, type Traced } from "../../../src/kernel/index.ts"
import { type TcpEvent, TcpScenario, tcpTimeline, tcpTimelineContext } from "../../../src/models/tcp/index.ts"
import { encodePcap } from "../../../src/models/tcp/pcap.ts"
import { captureOf, observedWindowShifts, windowShift, windowShiftsOf } from "../../../src/models/tcp/tcp-capture.ts"
import type { TcpSegmentSent } from "../../../src/models/tcp/tcp-events.ts"
import tcpCongestion from "../../../sims/tcp-congestion.ts"
import { runCaptured } from "../../cli/run-captured.ts"
import { binaryOnPath } from "../../real-tools.ts"

const scratch = mkdtempSync(join(tmpdir(), "tcp-capture-"))
const tcpdump = binaryOnPath("tcpdump")
const tshark = binaryOnPath("tshark")

function sent(fields: Partial<TcpSegmentSent>): TcpSegmentSent {
  return {
    type: "TcpSegmentSent",
    flow: 0,
    src: "10.0.0.1",
    dst: "10.0.0.2",
    srcPort: 40000,
    dstPort: 80,
    seqNumber: 1000,
    ackNumber: 0,
    flags: ".",
    window: 65535,
    payloadBytes: 0,
    timeMs: 0,
    retransmission: false,
    inFlightBytes: 0,
    sendWindowBytes: 0,
    ...fields,
  }
}

describe("captureOf", () => {
  it("fits each endpoint's largest window with the smallest shift, on both SYNs, never scaling a SYN's own window", () => {
    const segments = [
      sent({ flags: "S", window: 65535 }),
      sent({ src: "10.0.0.2", dst: "10.0.0.1", srcPort: 80, dstPort: 40000, flags: "S.", window: 8 * 2 ** 20 }),
      sent({ flags: ".", timeMs: 40.0004 }),
      sent({ src: "10.0.0.2", dst: "10.0.0.1", srcPort: 80, dstPort: 40000, flags: ".", window: 8 * 2 ** 20 - 100 }),
    ]

    const capture = captureOf(segments, 1460)

    expect([windowShift(65535), windowShift(65536), windowShift(8 * 2 ** 20), windowShift(2 ** 40)]).toEqual([
      0, 1, 8, 14,
    ])
    expect(capture.map((c) => [c.flags, c.window, c.mss, c.windowScale])).toEqual([
      ["S", 65535, 1460, 0],
      ["S.", 65535, 1460, 8],
      [".", 65535, undefined, undefined],
      [".", 32767, undefined, undefined],
    ])
    expect(capture[2]!.timeUs).toBe(40000)
  })

  it("leaves the option out when neither side needs scaling", () => {
    const capture = captureOf([sent({ flags: "S" }), sent({ flags: "." })], 536)

    expect(capture[0]).toMatchObject({ mss: 536 })
    expect(capture[0]!.windowScale).toBeUndefined()
  })
})

describe("tcp-congestion --pcap", () => {
  const pcap = join(scratch, "run.pcap")
  const args = ["--duration-s", "1", "--pcap", pcap, "--json"]

  it("writes the run's segments; an unwritable path is bad input before the run", async () => {
    const run = await runCaptured(tcpCongestion, args)
    const missing = join(scratch, "no-such-dir", "run.pcap")
    const refused = await runCaptured(tcpCongestion, ["--pcap", missing])

    expect(run.code).toBe(EXIT_CODE.ok)
    expect(readFileSync(pcap).subarray(0, 4)).toEqual(Buffer.from([0xd4, 0xc3, 0xb2, 0xa1]))
    expect(refused.code).toBe(EXIT_CODE.badInput)
    expect(refused.stderr).toContain(`cannot write --pcap ${missing}`)
  })

  it.skipIf(tcpdump === undefined)("opens in tcpdump: the handshake with its options, then data and ACKs", async () => {
    await runCaptured(tcpCongestion, args)
    const read = spawnSync(tcpdump!, ["-nn", "-tt", "-r", pcap], { encoding: "utf8" })

    const lines = read.stdout.trimEnd().split("\n")
    expect(read.status).toBe(0)
    expect(lines[0]).toMatch(
      /^0\.000000 IP 10\.0\.0\.1\.40000 > 10\.0\.0\.2\.80: Flags \[S\], seq \d+, win 65535, options \[mss 1460,nop,wscale 0\], length 0$/,
    )
    expect(lines[1]).toMatch(
      /^0\.020032 IP 10\.0\.0\.2\.80 > 10\.0\.0\.1\.40000: Flags \[S\.\], seq \d+, ack \d+, win 65535, options \[mss 1460,nop,wscale 8\], length 0$/,
    )
    expect(lines[2]).toBe("0.040032 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 1, win 65535, length 0")
    expect(lines[3]).toBe(
      "0.040032 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1:1461, ack 1, win 65535, length 1460: HTTP",
    )
    expect(lines.at(-2)).toMatch(/Flags \[F\.\]/)
  })

  it.skipIf(tshark === undefined)(
    "tshark verifies every checksum and scales the receiver's window back to 8 MiB",
    async () => {
      await runCaptured(tcpCongestion, args)
      const fields = ["ip.checksum.status", "tcp.checksum.status", "tcp.srcport", "tcp.window_size"]
      const read = spawnSync(
        tshark!,
        [
          "-r",
          pcap,
          "-o",
          "ip.check_checksum:TRUE",
          "-o",
          "tcp.check_checksum:TRUE",
          "-T",
          "fields",
          ...fields.flatMap((f) => ["-e", f]),
        ],
        { encoding: "utf8", env: { ...process.env, HOME: scratch } },
      )

      const rows = read.stdout
        .trimEnd()
        .split("\n")
        .map((line) => line.split("\t"))
      expect(read.status).toBe(0)
      expect(rows.length).toBeGreaterThan(100)
      // tshark's checksum status: 0 bad, 1 good, 2 unverified
      expect(rows.every(([ip, tcp]) => ip === "1" && tcp === "1")).toBe(true)
      const serverAcks = rows.slice(2).filter(([, , port]) => port === "80")
      expect(serverAcks.length).toBeGreaterThan(0)
      expect(serverAcks.every(([, , , window]) => window === String(8 * 2 ** 20))).toBe(true)
    },
  )
})

describe("the timeline and the capture", () => {
  /** A two-flow run with random loss (so retransmissions and dup ACKs), every record kept. */
  function lossyRun() {
    const sim = new Simulation({ seed: 3, trace: { keep: Infinity } })
    const result = new TcpScenario(sim, { flows: ["reno", "cubic"], durationMs: 400, lossProbability: 0.02 }).run()
    const records = sim.trace.records() as unknown as readonly Traced<TcpEvent>[]
    const sent = records.filter((r): r is Traced<TcpSegmentSent> => r.type === "TcpSegmentSent")
    return { result, sent }
  }

  it("the run's configured window shifts are the shifts its segments show", () => {
    const { result, sent } = lossyRun()

    expect([...windowShiftsOf(result.flows)].sort()).toEqual([...observedWindowShifts(sent)].sort())
    expect(sent.some((s) => s.retransmission)).toBe(true)
  })

  it.skipIf(tcpdump === undefined)("prints every segment exactly as tcpdump -nn -tt -r prints the capture", () => {
    const { result, sent } = lossyRun()
    const path = join(scratch, "timeline.pcap")
    writeFileSync(path, encodePcap(captureOf(sent, 1460, windowShiftsOf(result.flows))))
    const context = tcpTimelineContext(result.flows, 1460)

    const read = spawnSync(tcpdump!, ["-nn", "-tt", "-r", path], { encoding: "utf8" })
    const timeline = sent.map((s) => `${(s.timeMs / 1000).toFixed(6)} ${tcpTimeline(s, context)}`)

    expect(read.status, read.stderr).toBe(0)
    expect(timeline.length).toBeGreaterThan(200)
    expect(timeline).toEqual(read.stdout.trimEnd().split("\n"))
  })
})
