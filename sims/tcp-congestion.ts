/**
 * TCP congestion control: how does a sender find out how fast it may send?
 * Covers: slow start, congestion avoidance (AIMD), fast retransmit and recovery, RTO (RFC 6298),
 *   Tahoe, Reno, NewReno, CUBIC, a drop-tail bottleneck, fairness
 * Scenario: one Reno flow sends bulk data for 20 s through a 10 Mbit/s link with a 40 ms RTT and a
 *   20-packet queue; its initial window is RFC 5681's (3 segments of 1460 bytes)
 * Try: --algorithm tahoe; --algorithm newreno; --algorithm cubic; --flows reno,cubic; --flows 2;
 *   --loss 0.01; --queue-packets 100
 */
import { defineSim, flag, formatCount, formatNumber, formatPercent } from "../src/cli/index.ts"
import { fromSimulation, type Params, renderTable, runMain, type TextSection } from "../src/cli/index.ts"
import { type WorkEstimate, workEstimate } from "../src/cli/index.ts"
import { TraceSample, type Traced } from "../src/kernel/index.ts"
import { type Algorithm, ALGORITHMS, initialWindowBytes } from "../src/models/tcp/index.ts"
import { isTcpTimelineRecord, type TcpEvent, TcpScenario, tcpChecks } from "../src/models/tcp/index.ts"
import { type TcpFlowResult, type TcpResult, tcpTimeline, tcpTimelineContext } from "../src/models/tcp/index.ts"
import { encodePcap } from "../src/models/tcp/pcap.ts"
import { captureOf, windowShiftsOf } from "../src/models/tcp/tcp-capture.ts"
import type { TcpSegmentSent } from "../src/models/tcp/tcp-events.ts"

/** The most flows `--flows` admits. */
const FLOWS_MAX = 8
/** Timeline records shown from the start, then from the first drop on. */
const TIMELINE_HEAD = 16
const TIMELINE_LOSS = 24
/** The chart: columns (time buckets) and rows (window levels). */
const CHART_COLUMNS = 64
const CHART_ROWS = 8
/** Bytes of IPv4 and TCP headers per segment on the wire. */
const HEADER_BYTES = 40

/** Why a `--flows` value is not allowed, or undefined when it is. */
function checkFlows(value: string): string | undefined {
  return parseFlows(value, "reno") === undefined
    ? `a count from 1 to ${FLOWS_MAX}, or up to ${FLOWS_MAX} of ${ALGORITHMS.join(", ")} separated by commas`
    : undefined
}

/** The flows' algorithms: `n` flows of `algorithm`, or the list given; undefined when not valid. */
export function parseFlows(value: string, algorithm: Algorithm): Algorithm[] | undefined {
  if (/^\d+$/.test(value)) {
    const count = Number(value)
    return count >= 1 && count <= FLOWS_MAX ? Array.from({ length: count }, () => algorithm) : undefined
  }
  const names = value.split(",")
  if (names.length > FLOWS_MAX || !names.every((name) => (ALGORITHMS as readonly string[]).includes(name)))
    return undefined
  return names as Algorithm[]
}

const flags = {
  algorithm: flag.choice({
    description: "congestion control of every flow (unless --flows lists them)",
    choices: ALGORITHMS,
    default: "reno",
  }),
  flows: flag.string({
    description: "how many flows share the link (each --algorithm), or their algorithms, e.g. reno,cubic",
    default: "1",
    allowed: `a count from 1 to ${FLOWS_MAX}, or a list of ${ALGORITHMS.join(", ")}`,
    check: checkFlows,
  }),
  bandwidthMbps: flag.number({
    description: "bottleneck link rate",
    unit: "Mbit/s",
    default: 10,
    greaterThan: 0,
    max: 10_000,
  }),
  rttMs: flag.number({
    description: "round-trip propagation delay, without queueing or serialisation",
    unit: "ms",
    default: 40,
    greaterThan: 0,
    max: 10_000,
  }),
  queuePackets: flag.integer({
    description: "bottleneck queue: packets that can wait (drop-tail)",
    unit: "packets",
    default: 20,
    min: 0,
    max: 1_000_000,
  }),
  loss: flag.number({
    description: "probability that a data packet is lost at random before the queue",
    unit: "probability",
    default: 0,
    min: 0,
    lessThan: 1,
  }),
  durationS: flag.number({
    description: "how long the flows send (then they close)",
    unit: "s",
    default: 20,
    greaterThan: 0,
    max: 3600,
  }),
  mss: flag.integer({
    description: "maximum segment size (payload bytes per segment); the initial window follows RFC 5681",
    unit: "bytes",
    default: 1460,
    min: 1,
    max: 65_495,
    help: [
      "Initial window (RFC 5681): 4 segments for an MSS up to 1095 bytes, 3 up to 2190 (so 3 of 1460 by default), 2 above.",
      "Each segment carries 40 bytes of IPv4 and TCP headers on the wire.",
      "--rtt-ms is propagation only: queueing and serialisation come on top.",
      "The receive window is 8 MiB and the RTO floor 1 s (RFC 6298). Times are in ms.",
    ],
  }),
  pcap: flag.outputFile({
    description:
      "write every segment sent (both directions, every flow, as it left its sender) as a libpcap capture for tcpdump -r and Wireshark: Ethernet/IPv4/TCP headers with valid checksums, payload zeros, the MSS and window-scale options on the SYNs",
  }),
}

type TcpParams = Params<typeof flags>

/** Times are the model's milliseconds, to the microsecond as tcpdump shows them. */
const TIME = { unit: "ms", decimals: 3 } as const

const algorithmsOf = (params: TcpParams): Algorithm[] => parseFlows(params.flows, params.algorithm)!

/** The bandwidth-delay product in segments: what the link itself holds. */
function bdpSegments(params: TcpParams): number {
  return (params.bandwidthMbps * 1000 * params.rttMs) / 8 / (params.mss + HEADER_BYTES)
}

/** Picks the timeline's records: the first few, then the first drop and what follows it. */
function timelineSampler(): { where: (record: Traced) => boolean; counts: { shown: number; total: number } } {
  const counts = { shown: 0, total: 0 }
  let afterDrop = -1
  const where = (record: Traced): boolean => {
    if (!isTcpTimelineRecord(record)) return false
    counts.total++
    if (afterDrop < 0 && record.type === "TcpSegmentDropped") afterDrop = 0
    const take = counts.shown < TIMELINE_HEAD || (afterDrop >= 0 && afterDrop++ < TIMELINE_LOSS)
    if (take) counts.shown++
    return take
  }
  return { where, counts }
}

function timelineOf(sample: TraceSample<TcpEvent>, total: number, result: TcpResult, mssBytes: number) {
  const context = tcpTimelineContext(result.flows, mssBytes)
  const entries: { t: number; text: string }[] = []
  let previousSeq = -1
  for (const record of sample.records) {
    if (previousSeq >= 0 && record.seq > previousSeq + 1 && entries.length === TIMELINE_HEAD)
      entries.push({ t: record.t, text: "..." })
    entries.push({ t: record.t, text: tcpTimeline(record, context) ?? "" })
    previousSeq = record.seq
  }
  const shown = sample.records.length
  const title =
    total > shown
      ? `Timeline (${shown} of ${formatCount(total)} segments and events: the first ${Math.min(shown, TIMELINE_HEAD)}${shown > TIMELINE_HEAD ? ", then from the first drop" : ""})`
      : "Timeline"
  return { title, entries }
}

/** Per bucket of time: the largest cwnd, the ssthresh at its end, its phase at the end, losses in it. */
function buckets(flow: TcpFlowResult, result: TcpResult) {
  const mss = result.mssBytes
  const width = result.durationMs / CHART_COLUMNS
  const cwnd = new Array<number>(CHART_COLUMNS).fill(0)
  const ssthresh = new Array<number>(CHART_COLUMNS).fill(Infinity)
  const phase = new Array<string>(CHART_COLUMNS).fill(" ")
  const marks = new Array<string>(CHART_COLUMNS).fill(" ")
  const series = flow.cwndSeries
  let k = 0
  for (let c = 0; c < CHART_COLUMNS; c++) {
    const end = (c + 1) * width
    let most = k > 0 ? series[k - 1]!.cwndBytes : 0
    while (k < series.length && series[k]!.tMs < end) most = Math.max(most, series[k++]!.cwndBytes)
    const last = k > 0 ? series[k - 1]! : undefined
    cwnd[c] = most / mss
    ssthresh[c] = last === undefined ? Infinity : last.ssthreshBytes / mss
    phase[c] =
      last === undefined ? " " : { "slow-start": "s", "congestion-avoidance": "c", "fast-recovery": "r" }[last.phase]
  }
  for (const loss of flow.losses) {
    const c = Math.min(CHART_COLUMNS - 1, Math.floor(loss.tMs / width))
    if (loss.signal === "timeout") marks[c] = "T"
    else if (marks[c] !== "T") marks[c] = "F"
  }
  return { cwnd, ssthresh, phase, marks }
}

/** One flow's chart: cwnd as bars (#), ssthresh as a line (-), then its phases and losses. */
function flowChart(flow: TcpFlowResult, result: TcpResult, top: number): string[] {
  const { cwnd, ssthresh, phase, marks } = buckets(flow, result)
  const label = (value: number): string => formatNumber(value, 0).padStart(6)
  const lines: string[] = [`flow ${flow.flow} (${flow.algorithm}), cwnd and ssthresh in segments`]
  for (let row = CHART_ROWS; row >= 1; row--) {
    const high = (top * row) / CHART_ROWS
    const low = (top * (row - 1)) / CHART_ROWS
    let line = ""
    for (let c = 0; c < CHART_COLUMNS; c++) {
      if (ssthresh[c]! > low && ssthresh[c]! <= high) line += "-"
      else line += cwnd[c]! > low ? "#" : " "
    }
    lines.push(`${row === CHART_ROWS ? label(top) : row === 1 ? label(0) : "      "} |${line}|`)
  }
  lines.push(`phase  |${phase.join("")}|`, `losses |${marks.join("")}|`)
  return lines
}

function chartSection(result: TcpResult): TextSection {
  // the scale leaves out fast recovery's inflation, which can dwarf the rest; those bars are clipped
  const top = Math.max(
    1,
    ...result.flows.flatMap((flow) =>
      flow.cwndSeries
        .filter((point) => point.phase !== "fast-recovery")
        .map((point) => Math.ceil(point.cwndBytes / result.mssBytes)),
    ),
  )
  const seconds = result.durationMs / 1000
  const lines = result.flows.flatMap((flow) => flowChart(flow, result, top))
  lines.push(
    `each column ${formatNumber(seconds / CHART_COLUMNS, 3)} s, from 0 to ${formatNumber(seconds, 1)} s`,
    "# = the largest cwnd in the column (clipped at the top during fast recovery's inflation),",
    "- = ssthresh at the column's end (drawn over the bars)",
    "phase: s slow start, c congestion avoidance, r fast recovery; losses: F fast retransmit, T timeout",
  )
  return { title: "Congestion window over time", lines }
}

const RIGHT = "right" as const
const FLOW_COLUMNS = [
  { header: "flow" },
  { header: "algorithm" },
  { header: "Mbit/s", align: RIGHT },
  { header: "share", align: RIGHT },
  { header: "resent", align: RIGHT },
  { header: "fast retx", align: RIGHT },
  { header: "timeouts", align: RIGHT },
  { header: "dropped", align: RIGHT },
  { header: "waited", align: RIGHT },
  { header: "SRTT", align: RIGHT },
]

function flowTable(result: TcpResult): TextSection {
  const total = result.flows.reduce((sum, flow) => sum + flow.throughputMbps, 0)
  const rows = result.flows.map((flow) => [
    String(flow.flow),
    flow.algorithm,
    formatNumber(flow.throughputMbps, 3),
    total === 0 ? "-" : formatPercent(flow.throughputMbps / total),
    formatCount(flow.retransmits),
    formatCount(flow.fastRetransmits),
    formatCount(flow.timeouts),
    formatCount(flow.drops),
    `${formatNumber(flow.queueDelayMsMean, 2)}ms`,
    flow.srttMs === null ? "-" : `${formatNumber(flow.srttMs, 1)}ms`,
  ])
  const bottleneck = [
    `Bottleneck: busy ${formatPercent(result.utilisation)} of the ${formatNumber(result.durationMs / 1000, 1)} s; queue wait mean ${formatNumber(result.queueDelayMsMean, 2)}ms, largest ${formatNumber(result.queueDelayMsMax, 2)}ms;`,
    `${formatCount(result.droppedQueueFull)} packet(s) dropped at the full queue, ${formatCount(result.lostAtRandom)} lost at random. Jain's fairness index: ${formatNumber(result.jainFairness, 4)}.`,
  ]
  return {
    title: "Flows (throughput: bytes delivered in order by the end, per second)",
    lines: [...renderTable(FLOW_COLUMNS, rows), ...bottleneck],
  }
}

/** The first loss of a flow and the largest window before it (segments), or undefined. */
function firstLoss(flow: TcpFlowResult, mss: number) {
  const loss = flow.losses[0]
  if (loss === undefined) return undefined
  const before = flow.cwndSeries.filter((point) => point.tMs <= loss.tMs && point.ssthreshBytes === Infinity)
  const peak = before.reduce((most, point) => Math.max(most, point.cwndBytes), 0) / mss
  return { ...loss, peak }
}

function lesson(params: TcpParams, result: TcpResult): TextSection {
  const bdp = bdpSegments(params)
  const lines = [
    `The link holds ${formatNumber(bdp, 1)} segments in flight (bandwidth × RTT) and the queue ${formatCount(params.queuePackets)} more: in general a window`,
    "larger than both together must lose packets, and a window smaller than the first leaves the link idle.",
  ]
  for (const flow of result.flows) lines.push(...flowLesson(flow, result))
  if (result.flows.length === 1) lines.push(...utilisationLesson(result, bdp))
  else lines.push(...fairnessLesson(result))
  return { title: "Lesson", lines }
}

function flowLesson(flow: TcpFlowResult, result: TcpResult): string[] {
  const name = `Flow ${flow.flow} (${flow.algorithm})`
  const first = firstLoss(flow, result.mssBytes)
  if (first === undefined)
    return [`${name} lost no segment: its window only grew (slow start doubles it every round trip).`]
  const how = first.signal === "timeout" ? "a timeout" : "three duplicate ACKs"
  const fast = flow.losses.filter((loss) => loss.signal === "dup-acks").length
  const timeouts = flow.losses.length - fast
  const partial = flow.fastRetransmits - fast
  const lines = [
    `${name}: slow start grew cwnd to ${formatNumber(first.peak, 0)} segments before the first loss, noticed at t=${formatNumber(first.tMs / 1000, 3)} s by ${how}.`,
    `It answered ${formatCount(fast)} loss(es) with a fast retransmit and ${formatCount(timeouts)} with a timeout` +
      (partial > 0 ? `, and resent ${formatCount(partial)} more hole(s) on partial ACKs without halving again.` : "."),
  ]
  if (flow.algorithm === "tahoe")
    lines.push(
      "Tahoe has no fast recovery: every loss restarts slow start from one segment (compare --algorithm reno).",
    )
  else if (timeouts > 0 && flow.algorithm === "reno")
    lines.push(
      "A timeout drops cwnd to one segment after waiting at least an RTO (1 s or more): several losses in one window",
      "cost Reno its fast recovery; NewReno and CUBIC retransmit each hole on a partial ACK instead (try --algorithm newreno).",
    )
  return lines
}

function utilisationLesson(result: TcpResult, bdp: number): string[] {
  const busy = formatPercent(result.utilisation)
  const flow = result.flows[0]!
  const below = flow.losses.filter((loss) => {
    const after = flow.cwndSeries.find((point) => point.tMs >= loss.tMs && point.ssthreshBytes !== Infinity)
    return after !== undefined && after.ssthreshBytes / result.mssBytes < bdp
  }).length
  const lines = [`The link was busy ${busy} of the time.`]
  if (flow.losses.length > 0)
    lines.push(
      `${formatCount(below)} of the ${formatCount(flow.losses.length)} loss responses set ssthresh below the ${formatNumber(bdp, 1)} segments the link holds:`,
      below > 0
        ? "until congestion avoidance grew the window back past that, the link idled part of every round trip."
        : "each time, so the queue kept the link busy while the window recovered.",
    )
  return lines
}

function fairnessLesson(result: TcpResult): string[] {
  const total = result.flows.reduce((sum, flow) => sum + flow.throughputMbps, 0)
  const shares = result.flows.map(
    (flow) => `${flow.algorithm} ${formatPercent(total === 0 ? 0 : flow.throughputMbps / total)}`,
  )
  return [
    `The ${result.flows.length} flows took ${shares.join(", ")} of the throughput; Jain's index ${formatNumber(result.jainFairness, 4)} (1 = equal shares,`,
    `${formatNumber(1 / result.flows.length, 2)} = one flow takes all). In general AIMD pulls flows of the same algorithm and RTT towards equal shares,`,
    "though an exactly periodic drop-tail queue can lock them in phase (docs/tcp.md, phase effects).",
  ]
}

/**
 * Events per second of a run, measured 2026-12-07 on the 2-core machine: the default run (29,745
 * events, 14,909 data segments) with the trace sampled for the timeline; JSON runs also hash every
 * record: 606,057 events (--bandwidth-mbps 200 --queue-packets 2000) took 4 s of CPU beyond start-up,
 * 150,000 events/s; per data segment about 2 kernel events and 4-5 records. 120,000 leaves room.
 */
const EVENTS_PER_SECOND = 120_000
/** Bytes kept per window-history point (JSON's cwndSeries and the chart). */
const BYTES_PER_POINT = 200
/** Memory of one captured segment's record (a stamped `TcpSegmentSent` and its pcap input), bytes. */
const CAPTURED_RECORD_BYTES = 400
/** A captured frame's record header, Ethernet, IPv4 and TCP headers with options, bytes. */
const PCAP_FRAME_BYTES = 16 + 14 + 20 + 32
/** Writing one captured segment costs about this many events' time (5 µs against 120,000/s). */
const PCAP_EVENTS_PER_SEGMENT = 0.6

function estimate(params: TcpParams): WorkEstimate {
  const flows = algorithmsOf(params).length
  const segments = (params.bandwidthMbps * 1e6 * params.durationS) / 8 / (Math.min(params.mss, 1460) + HEADER_BYTES)
  const handshakes = flows * 20
  const events = 2.2 * segments + handshakes + 1000
  // --pcap keeps every segment sent (a data segment and about one ACK each) and writes its frame.
  const captured = params.pcap === "" ? 0 : 2 * segments
  const captureBytes = captured * (CAPTURED_RECORD_BYTES + PCAP_FRAME_BYTES) + segments * params.mss
  return workEstimate({
    events: events + captured * PCAP_EVENTS_PER_SEGMENT,
    eventsPerSecond: EVENTS_PER_SECOND,
    keptBytes: segments * BYTES_PER_POINT + captureBytes,
    simTime: params.durationS * 1000,
    advice: `lower --bandwidth-mbps or --duration-s, or raise --mss${params.pcap === "" ? "" : ", or leave out --pcap"}`,
  })
}

const tcpCongestion = defineSim({
  name: "tcp-congestion",
  title: "TCP congestion control: how does a sender find out how fast it may send?",
  header: {
    covers:
      "slow start, congestion avoidance (AIMD), fast retransmit and recovery, RTO (RFC 6298), Tahoe, Reno, NewReno, CUBIC, a drop-tail bottleneck, fairness",
    scenario:
      "one Reno flow sends bulk data for 20 s through a 10 Mbit/s link with a 40 ms RTT and a 20-packet queue; its initial window is RFC 5681's (3 segments of 1460 bytes)",
    try: [
      "--algorithm tahoe",
      "--algorithm newreno",
      "--algorithm cubic",
      "--flows reno,cubic",
      "--flows 2",
      "--loss 0.01",
      "--queue-packets 100",
    ],
  },
  time: TIME,
  metrics: {
    cwndSeries: {
      description:
        "per flow, the window history: {t (s), cwnd (segments), ssthresh (segments; null before the first loss)} at every change of cwnd's whole segments, ssthresh or phase",
      unit: "see fields",
    },
    throughputMbps: { description: "per flow, bytes delivered in order by --duration-s, as a rate", unit: "Mbit/s" },
    retransmits: { description: "per flow, segments sent again", unit: "segments" },
    timeouts: { description: "per flow, retransmission timer expiries (a lost SYN included)", unit: "timeouts" },
    fastRetransmits: {
      description: "per flow, retransmissions on three duplicate ACKs (and NewReno's on partial ACKs)",
      unit: "retransmissions",
    },
    utilisation: { description: "fraction of --duration-s the bottleneck spent transmitting", unit: "fraction" },
    jainFairness: { description: "Jain's index of the flows' throughputs (1 = equal shares)", unit: "fraction" },
    queueDelayMsMean: { description: "mean wait of a packet in the bottleneck queue", unit: "ms" },
    queueDelayMsMax: { description: "longest wait of a packet in the bottleneck queue", unit: "ms" },
    drops: { description: "per flow, packets dropped at the full queue or lost at random", unit: "packets" },
  },
  flags,
  estimate,
  quiz(params) {
    const algorithms = algorithmsOf(params)
    const iw = initialWindowBytes(params.mss) / params.mss
    return [
      `${algorithms.length} flow(s) (${algorithms.join(", ")}) share a ${params.bandwidthMbps} Mbit/s link, RTT ${params.rttMs} ms, a queue of ${params.queuePackets} packets; MSS ${params.mss} bytes, initial window ${iw} segments.`,
      "1. About how many segments can be in flight before the queue overflows?",
      "2. Will the first loss be noticed by three duplicate ACKs or by a timeout?",
      "3. What fraction of the time will the link be busy?",
    ].join("\n")
  },
  run(params, context) {
    const sim = context.simulation()
    const sampler = timelineSampler()
    const sample =
      context.output === "text"
        ? new TraceSample<TcpEvent>(sim.trace, sampler.where, TIMELINE_HEAD + TIMELINE_LOSS)
        : undefined
    const scenario = new TcpScenario(sim, {
      flows: algorithmsOf(params),
      bandwidthMbps: params.bandwidthMbps,
      rttMs: params.rttMs,
      queuePackets: params.queuePackets,
      lossProbability: params.loss,
      durationMs: params.durationS * 1000,
      mssBytes: params.mss,
    })
    const sent: TcpSegmentSent[] = []
    if (params.pcap !== "")
      sim.trace.listen((r) => void (r.type === "TcpSegmentSent" && sent.push(r as unknown as TcpSegmentSent)))
    const result = scenario.run(context.advance)
    const files =
      params.pcap === ""
        ? {}
        : { files: { pcap: encodePcap(captureOf(sent, params.mss, windowShiftsOf(result.flows))) } }
    const text =
      sample === undefined
        ? {}
        : {
            timeline: timelineOf(sample, sampler.counts.total, result, params.mss),
            sections: [chartSection(result), flowTable(result), lesson(params, result)],
          }
    return { ...fromSimulation(sim), metrics: result.summary(), checks: tcpChecks(result.watch), ...files, ...text }
  },
})

export default tcpCongestion

await runMain(tcpCongestion, import.meta.url)
