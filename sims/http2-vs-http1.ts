/**
 * HTTP/1.1 vs HTTP/2: why does one connection beat six, and when does it lose?
 * Covers: browser connection pools, pipelining and application-level head-of-line blocking, HTTP/2
 *   multiplexing, HPACK vs text headers, TCP-level head-of-line blocking when a segment is lost,
 *   HTTP/2 flow-control windows
 * Scenario: a page of 40 resources (the HTML first, the rest requested once it has arrived; body
 *   sizes log-normal, median 8,000 bytes) over a 10 Mbit/s link with a 100ms round trip; every
 *   request and response travels inside TCP Reno connections the browser opens; --seed draws the
 *   sizes, the headers and the losses
 * Try: --protocol h1; --protocol h1-pipelined; --loss 0.02; --protocol h1 --loss 0.02; --rtt-ms 20;
 *   --h2-window 65535
 */
import { defineSim, flag, formatCount, formatPercent, formatTime } from "../src/cli/index.ts"
import { fromSimulation, type Params, runMain, type TextSection } from "../src/cli/index.ts"
import { type WorkEstimate, workEstimate } from "../src/cli/index.ts"
import { TraceSample, type Traced } from "../src/kernel/index.ts"
import {
  CHROME_CONNECTION_WINDOW_BYTES,
  CHROME_STREAM_WINDOW_BYTES,
  checkEveryResourceLoaded,
  checkResponsesInOrder,
  PAGE_PROTOCOLS,
  type PageEvent,
  type PageResult,
  PageScenario,
  pageTimelineLine,
  type ResourceTiming,
} from "../src/models/http2/index.ts"
import type { TcpEvent } from "../src/models/tcp/index.ts"

/** Timeline lines shown at most. */
const TIMELINE_MAX = 60
/** Rows of the waterfall at most, and its columns. */
const WATERFALL_ROWS = 60
const WATERFALL_WIDTH = 40
const TIME = { unit: "ms", decimals: 1 } as const

const flags = {
  protocol: flag.choice({
    description:
      "h1: HTTP/1.1, up to 6 connections, one request at a time on each; h1-pipelined: requests pipelined, responses in request order; h2: HTTP/2, one connection, every stream multiplexed",
    choices: PAGE_PROTOCOLS,
    default: "h2",
  }),
  resources: flag.integer({
    description: "resources of the page, the HTML document included",
    unit: "resources",
    default: 40,
    min: 1,
    max: 2000,
  }),
  rttMs: flag.number({
    description: "round-trip propagation delay of the path (half each way)",
    unit: "ms",
    default: 100,
    min: 0,
    max: 10_000,
  }),
  loss: flag.number({
    description: "probability that a server-to-client segment is lost at random (TCP retransmits it)",
    unit: "probability",
    default: 0,
    min: 0,
    lessThan: 1,
  }),
  bandwidthMbps: flag.number({
    description: "rate of the access link all connections share",
    unit: "Mbit/s",
    default: 10,
    greaterThan: 0,
    max: 100_000,
  }),
  h2Window: flag.integer({
    description:
      "h2 only: the client's SETTINGS_INITIAL_WINDOW_SIZE, the flow-control window of each response stream (Chrome's by default; the connection window stays Chrome's 15,728,640; 65535 is the RFC's default)",
    unit: "bytes",
    default: CHROME_STREAM_WINDOW_BYTES,
    min: 16_384,
    max: 2_147_483_647,
  }),
}

type PageParams = Params<typeof flags>

/**
 * CPU seconds per segment of the run (a data segment, its ACK and their events), measured on the
 * shared 2-core machine with requests and responses inside TCP: 2,000 resources in 2.4 s of CPU
 * with --loss 0.1 (h1), 2.3 s on h2 with --h2-window 16384 and 2.4 s on h2 with --loss 0.1, tsx
 * start-up included, about 40,000 segments: 60 µs a segment; estimated at 100 µs to stay above
 * a loaded machine's times.
 */
const SECONDS_PER_SEGMENT = 1e-4
/** Mean body size of the log-normal sizes (median 8,000, sigma 1: 8,000 e^0.5), bytes. */
const MEAN_BODY_BYTES = 13_190

function estimate(params: PageParams): WorkEstimate {
  const segments = Math.ceil((params.resources * MEAN_BODY_BYTES) / 1460 / (1 - params.loss)) + 10 * params.resources
  return workEstimate({
    events: 4 * segments,
    eventsPerSecond: 4 / SECONDS_PER_SEGMENT,
    keptBytes: 300 * params.resources,
    simTime: 0,
    advice: "lower --resources or --loss",
  })
}

/** One resource's row: '.' not needed yet, '-' queued for a connection, '=' waiting for its first byte, '#' arriving, 'x' its connection had a hole. */
function ganttRow(r: ResourceTiming, holes: readonly (readonly [number, number])[], endMs: number): string {
  const column = (t: number): number => Math.min(WATERFALL_WIDTH - 1, Math.floor((t / endMs) * WATERFALL_WIDTH))
  let row = ""
  for (let c = 0; c < WATERFALL_WIDTH; c++) {
    const [from, to] = [(c / WATERFALL_WIDTH) * endMs, ((c + 1) / WATERFALL_WIDTH) * endMs]
    const stalled = holes.some(([a, b]) => a < to && b > from) && from < r.loadedMs && to > r.requestSentMs
    if (c > column(r.loadedMs) || to <= r.neededAtMs) row += " "
    else if (stalled) row += "x"
    else if (to <= r.requestSentMs) row += "-"
    else if (to <= r.firstByteMs) row += "="
    else row += "#"
  }
  return row
}

function waterfall(result: PageResult): TextSection {
  const endMs = Math.max(1e-9, ...result.resources.flatMap((r) => [r.requestSentMs, r.firstByteMs, r.loadedMs]))
  const shown = result.resources.slice(0, WATERFALL_ROWS)
  const width = Math.max(...shown.map((r) => r.path.length))
  const lines = shown.map((r) => {
    const holes = result.holes[r.connection] ?? []
    const name = `${String(r.resource).padStart(3)} ${r.path.padEnd(width)} ${formatCount(r.bodyBytes).padStart(7)} c${r.connection < 0 ? "-" : r.connection}`
    const unfinished = { ...r, loadedMs: endMs, firstByteMs: r.firstByteMs < 0 ? endMs : r.firstByteMs }
    if (r.neededAtMs < 0) return `${name} |${" ".repeat(WATERFALL_WIDTH)}| never requested`
    if (r.loadedMs < 0) return `${name} |${ganttRow(unfinished, holes, endMs)}| not arrived`
    return `${name} |${ganttRow(r, holes, endMs)}| ${formatTime(r.loadedMs, TIME)}`
  })
  const more = result.resources.length - shown.length
  return {
    title: "Waterfall",
    lines: [
      `0 … ${formatTime(endMs, TIME)}, one column per ${formatTime(endMs / WATERFALL_WIDTH, TIME)}: - queued for a connection, = request sent, waiting for the first byte, # arriving, x its connection held bytes back behind a lost segment; at the right when it had arrived`,
      ...lines,
      ...(more > 0 ? [`… and ${formatCount(more)} more resources (the JSON report has all)`] : []),
    ],
  }
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0)

function overviewLines(params: PageParams, result: PageResult): string[] {
  const bodies = sum(result.resources.map((r) => r.bodyBytes))
  const { hpack, text } = result.headerBytes
  const arrived = result.resources.filter((r) => r.loadedMs >= 0).length
  const done =
    result.pageLoadMs >= 0
      ? ""
      : `The page did not finish within the simulated hour: ${formatCount(arrived)} of ${formatCount(result.resources.length)} resources arrived (each lost retransmission doubles TCP's timer). `
  return [
    done === ""
      ? `The page (${formatCount(result.resources.length)} resources, ${formatCount(bodies)} bytes of bodies) loaded in ${formatTime(result.pageLoadMs, TIME)} over ${formatCount(result.connections)} TCP connection(s), which carried ${formatCount(result.bytesOnWire)} bytes both ways (payload plus 40 bytes of headers per segment).`
      : `${done}Its ${formatCount(result.connections)} TCP connection(s) carried ${formatCount(result.bytesOnWire)} bytes both ways (payload plus 40 bytes of headers per segment).`,
    `Request and response headers: ${formatCount(text)} bytes as HTTP/1.1 text, ${formatCount(hpack)} with HPACK on one connection (${formatPercent(hpack / text)} of it: after the first request only what changes is sent); this run used ${params.protocol === "h2" ? "HPACK" : "text"}.`,
  ]
}

function blockingLines(params: PageParams, result: PageResult): string[] {
  const rest = result.resources.slice(1)
  if (rest.length === 0) return []
  const queued = rest.filter((r) => r.requestSentMs > r.neededAtMs)
  const queuedMs = sum(queued.map((r) => r.requestSentMs - r.neededAtMs))
  if (params.protocol === "h1") {
    return [
      queued.length === 0
        ? "Every subresource got a connection at once: there were no more of them than connections."
        : `HTTP/1.1 head-of-line blocking: ${formatCount(queued.length)} of ${formatCount(rest.length)} subresources waited for a connection (a free one, or a new one's handshake; one request at a time on each of ${formatCount(result.connections)}), ${formatTime(queuedMs, TIME)} summed, ${formatTime(Math.max(...queued.map((r) => r.requestSentMs - r.neededAtMs)), TIME)} at most.`,
    ]
  }
  if (params.protocol === "h1-pipelined") {
    const behind = rest.filter((r) =>
      rest.some((o) => o.connection === r.connection && o.resource < r.resource && o.requestSentMs === r.requestSentMs),
    )
    const behindMs = sum(behind.map((r) => r.firstByteMs - r.requestSentMs - params.rttMs))
    if (behind.length === 0) return ["Each connection carried one subresource, so no response waited behind another."]
    return [
      `Pipelining sends every request at once, but each connection answers in request order: ${formatCount(behind.length)} responses waited behind earlier ones on their connection, ${formatTime(behindMs, TIME)} summed beyond a round trip before their first byte (a large response holds back every one queued behind it).`,
    ]
  }
  if (rest.some((r) => r.firstByteMs < 0)) return []
  const spread = Math.max(...rest.map((r) => r.firstByteMs)) - Math.min(...rest.map((r) => r.firstByteMs))
  return [
    `HTTP/2 requested all ${formatCount(rest.length)} subresources at once on one connection and interleaved their DATA frames: their response headers arrived within ${formatTime(spread, TIME)} of each other, and no response waited for another to finish.`,
  ]
}

function flowControlLines(params: PageParams, result: PageResult): string[] {
  if (params.protocol !== "h2" || result.connections === 0) return []
  const updates = result.windowUpdates - 1
  const blocked =
    result.flowBlockedMs > 0
      ? `response streams waited ${formatTime(result.flowBlockedMs, TIME)} summed for credit`
      : "no response ever waited for credit"
  return [
    `HTTP/2 flow control: the client allowed ${formatCount(params.h2Window)} bytes per stream and ${formatCount(CHROME_CONNECTION_WINDOW_BYTES)} for the connection, and gave credit back with ${formatCount(updates)} more WINDOW_UPDATE frame(s); ${blocked}${params.h2Window === CHROME_STREAM_WINDOW_BYTES ? " (try --h2-window 65535, the RFC's default)" : ""}.`,
  ]
}

function lossLines(params: PageParams, result: PageResult): string[] {
  const holes = result.holes.flat()
  if (holes.length === 0)
    return [
      params.loss === 0
        ? "No segment was lost, so TCP never held bytes back (try --loss 0.02)."
        : `No segment was lost in this run (--loss ${params.loss}), so TCP never held bytes back.`,
    ]
  const holeMs = sum(holes.map(([a, b]) => b - a))
  if (result.pageLoadMs < 0)
    return [
      `TCP head-of-line blocking: ${formatCount(holes.length)} hole(s) closed (${formatCount(result.retransmits)} retransmission(s)), holding back the bytes behind them for ${formatTime(holeMs, TIME)} in total.`,
    ]
  const stalled = result.resources.filter((r) => r.stallMs > 0)
  const mostAtOnce = Math.max(
    ...result.holes.flatMap((own, connection) =>
      own.map(
        ([a, b]) =>
          result.resources.filter((r) => r.connection === connection && r.requestSentMs < b && r.loadedMs > a).length,
      ),
    ),
  )
  return [
    `TCP head-of-line blocking: ${formatCount(holes.length)} hole(s) (a lost segment; ${formatCount(result.retransmits)} retransmission(s)) kept their connection from delivering the bytes behind them for ${formatTime(holeMs, TIME)} in total. ${formatCount(stalled.length)} resources stalled, ${formatTime(result.stallMs, TIME)} summed; at most ${formatCount(mostAtOnce)} were in flight on a connection during its hole${params.protocol === "h2" ? ": on HTTP/2 one lost segment stalls every stream, because they all share one byte stream" : ", each on the connection that lost the segment"}.`,
  ]
}

function lesson(params: PageParams, result: PageResult): TextSection {
  return {
    title: "Lesson",
    lines: [
      ...overviewLines(params, result),
      ...blockingLines(params, result),
      ...flowControlLines(params, result),
      ...lossLines(params, result),
    ],
  }
}

const http2VsHttp1 = defineSim({
  name: "http2-vs-http1",
  title: "HTTP/1.1 vs HTTP/2: why does one connection beat six, and when does it lose?",
  header: {
    covers:
      "browser connection pools, pipelining and application-level head-of-line blocking, HTTP/2 multiplexing, HPACK vs text headers, TCP-level head-of-line blocking when a segment is lost, HTTP/2 flow-control windows",
    scenario:
      "a page of 40 resources (the HTML first, the rest requested once it has arrived; body sizes log-normal, median 8,000 bytes) over a 10 Mbit/s link with a 100ms round trip; every request and response travels inside TCP Reno connections the browser opens; --seed draws the sizes, the headers and the losses",
    try: [
      "--protocol h1",
      "--protocol h1-pipelined",
      "--loss 0.02",
      "--protocol h1 --loss 0.02",
      "--rtt-ms 20",
      "--h2-window 65535",
    ],
  },
  time: TIME,
  metrics: {
    protocol: { description: "h1, h1-pipelined or h2", unit: "name" },
    pageLoadMs: { description: "when the last resource had arrived (-1: never)", unit: "ms" },
    resourceMs: {
      description:
        "per resource: { path, bodyBytes, connection, neededAtMs, requestSentMs, firstByteMs, loadedMs, stallMs (its connection had a hole while it was requested and not loaded) }",
      unit: "see fields",
    },
    connections: { description: "TCP connections opened", unit: "connections" },
    bytesOnWire: {
      description: "bytes the TCP connections carried both ways, 40 bytes of headers per segment",
      unit: "bytes",
    },
    headerBytes: {
      description: "the page's request and response headers: { hpack (one connection), text (HTTP/1.1) }",
      unit: "bytes",
    },
    retransmits: { description: "segments sent again, both directions", unit: "segments" },
    windowUpdates: {
      description: "h2: WINDOW_UPDATE frames the client sent, the one opening the connection window included",
      unit: "frames",
    },
    flowBlockedMs: {
      description: "h2: time response streams had bytes to send and no flow-control credit, summed",
      unit: "ms",
    },
    stallMs: { description: "stallMs summed over resources", unit: "ms" },
  },
  flags,
  estimate,
  quiz(params) {
    return [
      `A page of ${params.resources} resources loads over ${params.protocol} with a ${params.rttMs}ms round trip.`,
      "1. How many round trips pass before the first subresource is requested?",
      "2. What does a lost segment do to the other responses on the same TCP connection?",
    ].join("\n")
  },
  run(params, context) {
    const sim = context.simulation()
    const line = (record: Traced): string | undefined => pageTimelineLine(record as Traced<PageEvent | TcpEvent>)
    const shown =
      context.output === "text" ? new TraceSample(sim.trace, (r) => line(r) !== undefined, TIMELINE_MAX) : undefined
    const scenario = new PageScenario(sim, {
      protocol: params.protocol,
      resources: params.resources,
      rttMs: params.rttMs,
      lossProbability: params.loss,
      bandwidthMbps: params.bandwidthMbps,
      h2StreamWindowBytes: params.h2Window,
    })
    const result = scenario.run(context.advance)
    const checks = [checkEveryResourceLoaded(result)]
    if (params.protocol !== "h2") checks.push(checkResponsesInOrder(result))
    const report = { ...fromSimulation(sim), metrics: result.summary(), checks }
    if (shown === undefined) return report
    const title =
      shown.total > TIMELINE_MAX ? `Timeline (the first ${TIMELINE_MAX} of ${shown.total} events)` : "Timeline"
    return {
      ...report,
      timeline: { title, entries: shown.records.map((record) => ({ t: record.t, text: line(record)! })) },
      sections: [waterfall(result), lesson(params, result)],
    }
  },
})

export default http2VsHttp1

await runMain(http2VsHttp1, import.meta.url)
