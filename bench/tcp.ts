/**
 * Benchmark `tcp`: one Reno flow over a 1 Gbit/s bottleneck (RTT 40 ms, MSS 1460) for 10 s of
 * simulated time — about 800,000 data segments and as many ACKs — with the trace off and no
 * window history kept. The queue holds one bandwidth-delay product (3,425 packets, the classic
 * buffer size), so the flow fills the link: its 8 MiB receive window, not a loss, caps it (with
 * the sim's 20 packets the slow-start burst overflows the queue, timeouts follow, and the run
 * carries only about 24,000 segments: a cost per segment would not show).
 *
 * Target (issue 23): < 2 s of wall time.
 *
 * Run: `npx tsx bench/tcp.ts` (simulated seconds from BENCH_TCP_SECONDS, default 10).
 */
import { Simulation } from "../src/kernel/index.ts"
import { TcpScenario } from "../src/models/tcp/index.ts"
import { isMainModule, wallClockMs } from "./bench-kit.ts"

/** What one run reports. */
export interface TcpBenchResult {
  readonly system: "simsys"
  readonly workload: "tcp"
  readonly events: number
  /** Simulated time at the end (the close included), ms. */
  readonly simTime: number
  readonly segments: number
  readonly throughputMbps: number
  readonly wallMs: number
  readonly eventsPerSec: number
  readonly segmentsPerSec: number
  readonly peakRssMb: number
}

/**
 * Runs the workload.
 * @param seconds - simulated seconds of sending
 */
export function runTcpBench(seconds: number): TcpBenchResult {
  const startedMs = wallClockMs()
  const sim = new Simulation({ seed: 1, trace: { enabled: false } })
  const scenario = new TcpScenario(sim, {
    flows: ["reno"],
    bandwidthMbps: 1000,
    rttMs: 40,
    queuePackets: 3425,
    durationMs: seconds * 1000,
    recordCwndSeries: false,
  })
  const result = scenario.run()
  const wallMs = wallClockMs() - startedMs
  const flow = result.flows[0]!
  const segments = flow.segmentsSent + scenario.flows[0]!.receiver.segmentsSent
  return {
    system: "simsys",
    workload: "tcp",
    events: sim.eventsProcessed,
    simTime: sim.now,
    segments,
    throughputMbps: Math.round(flow.throughputMbps),
    wallMs: Math.round(wallMs),
    eventsPerSec: Math.round(sim.eventsProcessed / (wallMs / 1000)),
    segmentsPerSec: Math.round(segments / (wallMs / 1000)),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }
}

if (isMainModule(import.meta.url)) {
  const seconds = Number(process.env["BENCH_TCP_SECONDS"] ?? 10)
  console.log(JSON.stringify(runTcpBench(seconds)))
}
