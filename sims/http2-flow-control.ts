/**
 * HTTP/2 flow control: why does an upload crawl on a fast link, and how can a window go negative?
 * Covers: per-stream and connection windows, WINDOW_UPDATE and the receiver's policy,
 *   SETTINGS_INITIAL_WINDOW_SIZE and negative windows, increment 0 and overflow errors, max frame
 *   size, concurrent stream limits, padding
 * Scenario: a client opens a TCP connection (Reno) over a 100 Mbit/s link with a 40ms round trip
 *   and uploads 2 streams of 200,000 octets; the server reads at 100 Mbit/s, sends a WINDOW_UPDATE
 *   once half a window was read, and lowers SETTINGS_INITIAL_WINDOW_SIZE to 16,384 at t=150ms.
 *   --seed draws the link's delays only with --jitter-ms
 * Try: --update-threshold 0.1; --new-initial-window 1048576 --streams 1 --bytes-per-stream 1000000;
 *   --new-initial-window 1048576 --streams 1 --bytes-per-stream 1000000 --connection-window
 *   1048576; --bad-update zero; --bad-update overflow --bad-update-stream 0; --streams 4
 *   --max-concurrent-streams 2
 */
import { defineSim, flag, formatCount, formatNumber, formatTime } from "../src/cli/index.ts"
import { fromSimulation, type Params, renderTable, runMain, sparkline, type TextSection } from "../src/cli/index.ts"
import { timeWeightedBuckets, type WorkEstimate, workEstimate } from "../src/cli/index.ts"
import { largest, smallest, TraceSample, type Traced } from "../src/kernel/index.ts"
import type { TcpEvent } from "../src/models/tcp/index.ts"
import {
  checkConnectionWindowRespected,
  checkStreamWindowRespected,
  DEFAULT_INITIAL_WINDOW,
  DEFAULT_MAX_FRAME_SIZE,
  type FlowControlEvent,
  type FlowControlResult,
  FlowControlScenario,
  flowControlTimelineLine,
  MAX_FRAME_SIZE_LIMIT,
  MAX_WINDOW,
} from "../src/models/http2/index.ts"

/** Timeline lines shown at most. */
const TIMELINE_MAX = 60
/** Streams whose windows the chart draws at most. */
const CHART_STREAMS = 8
/** Columns of the chart. */
const CHART_WIDTH = 60
/** How the sim shows times. */
const TIME = { unit: "ms", decimals: 1 } as const

const flags = {
  streams: flag.integer({
    description: "streams the client opens, each an upload",
    unit: "streams",
    default: 2,
    min: 1,
    max: 100,
  }),
  bytesPerStream: flag.integer({
    description: "octets of data each stream uploads",
    unit: "octets",
    default: 200_000,
    min: 0,
    max: 10_000_000,
  }),
  rttMs: flag.number({
    description: "round-trip time of the link (half each way)",
    unit: "ms",
    default: 40,
    min: 0,
    max: 10_000,
  }),
  jitterMs: flag.number({
    description:
      "extra delay of each TCP segment, uniform from 0 to this, drawn from the seed (segments stay in order)",
    unit: "ms",
    default: 0,
    min: 0,
    max: 10_000,
  }),
  // At least 1 kbit/s: a 1,460-octet segment then leaves in 11.7 s, within TCP's largest
  // retransmission timeout (60 s). Below about 0.0002 Mbit/s every copy times out before it has
  // left, each retransmission queues behind the last, and the run never ends (0.0001: over a minute
  // and growing; 1e-9: out of memory).
  bandwidthMbps: flag.number({
    description: "bandwidth of each direction of the link",
    unit: "Mbit/s",
    default: 100,
    min: 0.001,
    max: 100_000,
  }),
  readMbps: flag.number({
    description: "how fast the server's application reads what arrives",
    unit: "Mbit/s",
    default: 100,
    greaterThan: 0,
    max: 100_000,
  }),
  updateThreshold: flag.number({
    description:
      "the server's WINDOW_UPDATE policy: it gives credit back once the data read but not yet acknowledged reaches this fraction of a window (the stream's initial window; 65,535 for the connection)",
    unit: "fraction",
    default: 0.5,
    greaterThan: 0,
    max: 1,
  }),
  settingsAtMs: flag.number({
    description: "when the server sends its new SETTINGS_INITIAL_WINDOW_SIZE",
    unit: "ms",
    default: 150,
    min: 0,
    max: 600_000,
  }),
  newInitialWindow: flag.integer({
    description:
      "the server's new SETTINGS_INITIAL_WINDOW_SIZE (65,535: unchanged; above 2,147,483,647: a connection FLOW_CONTROL_ERROR)",
    unit: "octets",
    default: 16_384,
    min: 0,
    max: 2 ** 31,
  }),
  badUpdate: flag.choice({
    description:
      "a bad WINDOW_UPDATE from the server: none, zero (increment 0) or overflow (increment 2,147,483,647, past the largest window)",
    choices: ["none", "zero", "overflow"],
    default: "none",
  }),
  badUpdateStream: flag.integer({
    description: "the stream the bad WINDOW_UPDATE is on; 0: the connection",
    unit: "stream id",
    default: 1,
    min: 0,
    max: 999,
  }),
  badUpdateAtMs: flag.number({
    description: "when the server sends the bad WINDOW_UPDATE",
    unit: "ms",
    default: 60,
    min: 0,
    max: 600_000,
  }),
  connectionWindow: flag.integer({
    description:
      "the connection window the server opens with a WINDOW_UPDATE on stream 0 right after its SETTINGS (65,535: none); SETTINGS never changes it",
    unit: "octets",
    default: DEFAULT_INITIAL_WINDOW,
    min: DEFAULT_INITIAL_WINDOW,
    max: MAX_WINDOW,
  }),
  padding: flag.integer({
    description: "octets of padding on each DATA frame (they count against the windows); 0: not padded",
    unit: "octets",
    default: 0,
    min: 0,
    max: 255,
  }),
  maxConcurrentStreams: flag.integer({
    description: "the server's SETTINGS_MAX_CONCURRENT_STREAMS",
    unit: "streams",
    default: 100,
    min: 1,
    max: 1000,
  }),
  maxFrameSize: flag.integer({
    description: "the server's SETTINGS_MAX_FRAME_SIZE",
    unit: "octets",
    default: DEFAULT_MAX_FRAME_SIZE,
    min: DEFAULT_MAX_FRAME_SIZE,
    max: MAX_FRAME_SIZE_LIMIT,
  }),
}

type FlowParams = Params<typeof flags>

function scenarioOptions(params: FlowParams) {
  return {
    streams: params.streams,
    bytesPerStream: params.bytesPerStream,
    rttMs: params.rttMs,
    jitterMs: params.jitterMs,
    bandwidthMbps: params.bandwidthMbps,
    readMbps: params.readMbps,
    updateThreshold: params.updateThreshold,
    ...(params.padding === 0 ? {} : { padding: params.padding }),
    maxConcurrentStreams: params.maxConcurrentStreams,
    maxFrameSize: params.maxFrameSize,
    connectionWindow: params.connectionWindow,
    settingsChanges: [{ atMs: params.settingsAtMs, initialWindow: params.newInitialWindow }],
    ...(params.badUpdate === "none"
      ? {}
      : { badUpdate: { kind: params.badUpdate, stream: params.badUpdateStream, atMs: params.badUpdateAtMs } }),
  }
}

/**
 * CPU seconds per DATA frame, measured with the trace hash of a JSON run (the text run computes
 * none) on the shared 2-core machine: 1 stream with a 1-octet window, 34,469 frames in 2.3-3.5 s
 * (67-100 µs a frame); 100 streams of 1 MB, 6,201 frames in 1.0-1.7 s (160-270 µs: the writer
 * looks at every stream per frame); 100 streams with a 100-octet window, 99,352 frames in 13.2 s
 * (133 µs). Estimated as 120 µs plus 1.5 µs per stream.
 */
const SECONDS_PER_FRAME = 1.2e-4
const SECONDS_PER_FRAME_PER_STREAM = 1.5e-6
/** Events per DATA frame (send, delivery, read, updates), measured: 4.8-5.0. */
const EVENTS_PER_FRAME = 5
/** Bytes a DATA frame keeps (two window points, a credit step, its JSON), about. */
const BYTES_PER_FRAME = 400

/**
 * DATA frames the run sends, about, not fewer: a frame is at most the credit the server gives
 * back at once, its threshold of the smaller of the stream and connection windows (measured: 2.9
 * octets a frame with a 1-octet window, 100 with a 100-octet window, 13,000 by default), plus the
 * frames each stream sends before the server's SETTINGS arrive.
 */
function framesOf(params: FlowParams): number {
  const window = Math.min(params.newInitialWindow, params.connectionWindow)
  const frame = Math.max(1, Math.min(params.maxFrameSize, Math.floor(params.updateThreshold * window)))
  return Math.ceil((params.streams * params.bytesPerStream) / frame) + 8 * params.streams + 16
}

/**
 * CPU seconds per TCP data segment (its delivery, its ACK, their trace records), measured with the
 * trace hash: 2 streams of 10,000,000 octets in frames of 16,384 (windows of 2^31 − 1), 13,700
 * segments and 1,221 frames in 2.5 s of CPU, tsx start-up included (about 100 µs a segment).
 */
const SECONDS_PER_SEGMENT = 1e-4
/** Events per data segment (its delivery and its ACK's), measured: about 2.3. */
const EVENTS_PER_SEGMENT = 2.5

function estimate(params: FlowParams): WorkEstimate {
  const frames = framesOf(params)
  const segments = Math.ceil((params.streams * params.bytesPerStream) / 1460)
  const seconds = frames * (SECONDS_PER_FRAME + SECONDS_PER_FRAME_PER_STREAM * params.streams)
  const events = EVENTS_PER_FRAME * frames + EVENTS_PER_SEGMENT * segments
  return workEstimate({
    events,
    eventsPerSecond: events / (seconds + SECONDS_PER_SEGMENT * segments),
    keptBytes: BYTES_PER_FRAME * frames,
    simTime: 0,
    advice: "lower --streams or --bytes-per-stream, or raise --new-initial-window or --update-threshold",
  })
}

/** The chart of the client's send windows: one sparkline per window on a shared scale. */
function windowChart(result: FlowControlResult): TextSection {
  const end = Math.max(result.endMs, 1e-9)
  const streams = [0, ...[...result.bytesSent.keys()].slice(0, CHART_STREAMS)]
  const series = streams.map((stream) => {
    const points = result.windowSeries.filter((p) => p.stream === stream).map((p) => ({ t: p.t, value: p.window }))
    return { stream, points: stream === 0 ? [{ t: 0, value: DEFAULT_INITIAL_WINDOW }, ...points] : points }
  })
  const values = series.flatMap((s) => s.points.map((p) => p.value))
  const low = smallest(values, 0)
  const high = largest(values)
  const lines = series
    .filter((s) => s.points.length > 0)
    .map((s) => {
      const buckets = timeWeightedBuckets(s.points, 0, end, CHART_WIDTH)
      const least = smallest(s.points.map((p) => p.value))
      const most = largest(s.points.map((p) => p.value))
      const name = s.stream === 0 ? "connection" : `stream ${s.stream}`
      return `${name.padEnd(10)} ${sparkline(buckets, { min: low, max: high })}  ${formatCount(least)} … ${formatCount(most)}`
    })
  return {
    title: "The client's send windows over time",
    lines: [
      `0 … ${formatTime(result.endMs, TIME)}, one column per ${formatTime(end / CHART_WIDTH, TIME)}; every row on the scale ${formatCount(low)} (▁) … ${formatCount(high)} (█); at the right each window's lowest … highest`,
      ...lines,
    ],
  }
}

function streamFate(result: FlowControlResult, stream: number): string {
  if (result.completed.includes(stream)) return "completed"
  const error = result.errors.find((e) => e.scope === "stream" && e.stream === stream)
  if (error !== undefined) return `reset by the ${error.by}: ${error.error}`
  const connection = result.errors.find((e) => e.scope === "connection")
  return connection === undefined ? "unfinished" : `connection ended: ${connection.error}`
}

function streamTable(result: FlowControlResult): TextSection {
  const rows = [...result.bytesSent].map(([stream, octets]) => [
    String(stream),
    formatCount(octets),
    formatTime(result.blockedMs.get(stream) ?? 0, TIME),
    streamFate(result, stream),
  ])
  return {
    title: "Streams",
    lines: renderTable(
      [
        { header: "stream", align: "right" },
        { header: "octets sent (with padding)", align: "right" },
        { header: "blocked", align: "right" },
        { header: "outcome" },
      ],
      rows,
    ),
  }
}

const sum = (values: Iterable<number>): number => [...values].reduce((a, b) => a + b, 0)

function throughputLines(params: FlowParams, result: FlowControlResult): string[] {
  const data = params.streams * params.bytesPerStream
  const bdp = (params.bandwidthMbps * 1000 * params.rttMs) / 8
  // the report's values (rounded to the microsecond), so the text and the JSON round alike
  const { blockedMs, blockedOnConnectionMs } = result.summary()
  const blocked = Object.values(blockedMs)
  const lines = [
    result.transferMs === null
      ? `The upload did not finish: ${formatCount(result.completed.length)} of ${formatCount(params.streams)} stream(s) completed.`
      : `${formatCount(params.streams)} stream(s) uploaded ${formatCount(data)} octets of data in ${formatTime(result.transferMs, TIME)}${result.transferMs > 0 ? `: ${formatNumber((data * 8) / (result.transferMs * 1000), 1)} Mbit/s on a ${formatNumber(params.bandwidthMbps, 1)} Mbit/s link` : ""}.`,
  ]
  if (params.rttMs > 0)
    lines.push(
      `The link carries ${formatCount(Math.round(bdp))} octets per ${formatTime(params.rttMs, TIME)} round trip; the ${formatCount(params.connectionWindow)}-octet connection window is ${formatNumber((params.connectionWindow / bdp) * 100, 1)}% of that, and a sender whose window is spent waits for WINDOW_UPDATEs a round trip away.`,
    )
  const onConnection = sum(Object.values(blockedOnConnectionMs))
  lines.push(
    sum(blocked) === 0
      ? "No stream ever waited for credit in this run."
      : `Streams waited for credit (data ready, window spent) for ${formatTime(Math.max(...blocked), TIME)} at most, ${formatTime(sum(blocked), TIME)} summed over streams: ${formatTime(onConnection, TIME)} of it for the connection window, which all streams share and only a WINDOW_UPDATE on stream 0 raises (--connection-window), the rest for their own windows (SETTINGS_INITIAL_WINDOW_SIZE and WINDOW_UPDATEs on the stream).`,
    `The server sent ${formatCount(result.windowUpdates)} WINDOW_UPDATE frame(s): it gave credit back each time the data its application had read reached ${formatNumber(params.updateThreshold, 2)} of a window (${formatCount(Math.ceil(params.updateThreshold * params.connectionWindow))} octets of the connection's ${formatCount(params.connectionWindow)}). A lower --update-threshold returns credit sooner, in smaller pieces.`,
  )
  return lines
}

function settingsLines(params: FlowParams, result: FlowControlResult): string[] {
  const applied = result.steps.some((step) => step.kind === "initial-window")
  const value = params.newInitialWindow
  if (value > MAX_WINDOW) {
    const error = result.errors.find((e) => e.scope === "connection" && e.error === "FLOW_CONTROL_ERROR")
    if (error === undefined) return []
    return [
      `At t=${formatTime(params.settingsAtMs, TIME)} the server sent SETTINGS_INITIAL_WINDOW_SIZE ${formatCount(value)}, above 2,147,483,647: a connection error FLOW_CONTROL_ERROR, so the client sent GOAWAY and the connection ended.`,
    ]
  }
  if (!applied || value === DEFAULT_INITIAL_WINDOW) return []
  const stalled =
    value === 0 && result.transferMs === null && result.errors.length === 0
      ? [
          "With an initial window of 0 no stream may send until the receiver grants credit beyond it; this server only gives back credit for data its application read, never more than the window, so the uploads stalled for good.",
        ]
      : []
  const change = `At t=${formatTime(params.settingsAtMs, TIME)} the server ${value < DEFAULT_INITIAL_WINDOW ? "lowered" : "raised"} SETTINGS_INITIAL_WINDOW_SIZE from 65,535 to ${formatCount(value)}: every stream still sending moved by the difference, ${formatCount(value - DEFAULT_INITIAL_WINDOW)} octets, at once; the connection window did not change.`
  const negative = [...result.bytesSent.keys()].flatMap((stream) => {
    const least = smallest(result.windowSeries.filter((p) => p.stream === stream).map((p) => p.window))
    return least < 0 ? [`stream ${stream} to ${formatCount(least)}`] : []
  })
  if (negative.length === 0)
    return [
      ...stalled,
      change,
      value < DEFAULT_INITIAL_WINDOW ? "No stream had used that much of its window then, so none went negative." : "",
    ].filter(Boolean)
  return [
    change,
    ...stalled,
    `Octets already sent stay sent, so windows went negative: ${negative.join(", ")}. The client sent no DATA on such a stream while its window was 0 or less; only WINDOW_UPDATEs bring it back.`,
  ]
}

function errorLines(params: FlowParams, result: FlowControlResult): string[] {
  const lines: string[] = []
  const settingsError = (e: FlowControlResult["errors"][number]): boolean =>
    e.scope === "connection" && params.newInitialWindow > MAX_WINDOW && e.reason.startsWith("SETTINGS")
  for (const error of result.errors.filter((e) => e.by === "client" && !settingsError(e))) {
    lines.push(
      error.scope === "stream"
        ? `${error.reason}: a stream error, so the client reset stream ${error.stream} with RST_STREAM ${error.error}; the other streams went on.`
        : `${error.reason}: a connection error, so the client sent GOAWAY ${error.error} and the connection ended with every unfinished stream.`,
    )
  }
  if (params.badUpdate === "overflow" && result.errors.some((e) => e.by === "client"))
    lines.push(
      "An increment of 2,147,483,647 overflows any window above 0; on a window of 0 or less it fits, and then the next update overflows.",
    )
  if (params.badUpdate !== "none" && !result.errors.some((e) => e.by === "client"))
    lines.push(
      `The bad WINDOW_UPDATE (--bad-update ${params.badUpdate} on stream ${params.badUpdateStream} at t=${formatTime(params.badUpdateAtMs, TIME)}) caused no error in this run: an update for a stream that sends no more is not an error, and an overflow needs a positive window.`,
    )
  const refused = result.errors.filter((e) => e.error === "REFUSED_STREAM")
  if (refused.length > 0) {
    const octets = sum(refused.map((e) => result.bytesSent.get(e.stream) ?? 0))
    lines.push(
      `The client opened streams before the server's SETTINGS_MAX_CONCURRENT_STREAMS ${formatCount(params.maxConcurrentStreams)} arrived; the server refused ${formatCount(refused.length)} with REFUSED_STREAM and the client sent those requests again on new streams. The ${formatCount(octets)} octets of DATA already sent on refused streams still counted against the connection window on both sides, or the two ends' windows would disagree.`,
    )
  }
  if (params.padding > 0)
    lines.push(
      `Every padded DATA frame spent ${formatCount(params.padding + 1)} octets of window on padding and its length octet: padding is flow controlled too.`,
    )
  return lines
}

function lesson(params: FlowParams, result: FlowControlResult): TextSection {
  return {
    title: "Lesson",
    lines: [...throughputLines(params, result), ...settingsLines(params, result), ...errorLines(params, result)],
  }
}

const http2FlowControl = defineSim({
  name: "http2-flow-control",
  title: "HTTP/2 flow control: why does an upload crawl on a fast link, and how can a window go negative?",
  header: {
    covers:
      "per-stream and connection windows, WINDOW_UPDATE and the receiver's policy, SETTINGS_INITIAL_WINDOW_SIZE and negative windows, increment 0 and overflow errors, max frame size, concurrent stream limits, padding",
    scenario:
      "a client opens a TCP connection (Reno) over a 100 Mbit/s link with a 40ms round trip and uploads 2 streams of 200,000 octets; the server reads at 100 Mbit/s, sends a WINDOW_UPDATE once half a window was read, and lowers SETTINGS_INITIAL_WINDOW_SIZE to 16,384 at t=150ms. --seed draws the link's delays only with --jitter-ms",
    try: [
      "--update-threshold 0.1",
      "--new-initial-window 1048576 --streams 1 --bytes-per-stream 1000000",
      "--new-initial-window 1048576 --streams 1 --bytes-per-stream 1000000 --connection-window 1048576",
      "--bad-update zero",
      "--bad-update overflow --bad-update-stream 0",
      "--streams 4 --max-concurrent-streams 2",
    ],
  },
  time: TIME,
  metrics: {
    windowSeries: {
      description: "the client's send windows at every change: { t (ms), stream (0: the connection), window (octets) }",
      unit: "see fields",
    },
    bytesSent: { description: "per stream id: flow-controlled octets sent (data and padding)", unit: "octets" },
    blockedMs: { description: "per stream id: time it had data to send and no credit", unit: "ms" },
    blockedOnConnectionMs: {
      description: "per stream id: the part of blockedMs when its own window had room and the connection's did not",
      unit: "ms",
    },
    errors: {
      description:
        "stream and connection errors: { t (ms), by (client|server), scope (stream|connection), stream, error (code), reason }",
      unit: "see fields",
    },
    windowUpdates: { description: "WINDOW_UPDATE frames the server sent", unit: "frames" },
    completedStreams: { description: "streams whose whole upload the server read, in order", unit: "stream ids" },
    transferMs: { description: "when the server had read every upload (null if some never finished)", unit: "ms" },
  },
  flags,
  estimate,
  quiz(params) {
    return [
      `A client uploads ${params.streams} stream(s) of ${params.bytesPerStream} octets; the round trip is ${params.rttMs}ms; every window starts at 65,535 octets.`,
      `At t=${params.settingsAtMs}ms the server sets SETTINGS_INITIAL_WINDOW_SIZE to ${params.newInitialWindow}.`,
      "1. How many octets can the client send, over all streams, before its first connection WINDOW_UPDATE arrives?",
      "2. What happens to a stream's window if the client has already sent more than the new initial window on it?",
    ].join("\n")
  },
  run(params, context) {
    const sim = context.simulation()
    const shown =
      context.output === "text"
        ? new TraceSample(
            sim.trace,
            (record) => flowControlTimelineLine(record as Traced<FlowControlEvent | TcpEvent>) !== undefined,
            TIMELINE_MAX,
          )
        : undefined
    const result = new FlowControlScenario(sim, scenarioOptions(params)).run(context.advance)
    const report = {
      ...fromSimulation(sim),
      metrics: result.summary(),
      checks: [checkStreamWindowRespected(result), checkConnectionWindowRespected(result)],
    }
    if (shown === undefined) return report
    return {
      ...report,
      timeline: {
        title:
          shown.total > TIMELINE_MAX ? `Timeline (the first ${TIMELINE_MAX} of ${shown.total} events)` : "Timeline",
        entries: shown.records.map((record) => ({
          t: record.t,
          text: flowControlTimelineLine(record as Traced<FlowControlEvent | TcpEvent>)!,
        })),
      },
      sections: [windowChart(result), streamTable(result), lesson(params, result)],
    }
  },
})

export default http2FlowControl

await runMain(http2FlowControl, import.meta.url)
