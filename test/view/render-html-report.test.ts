/**
 * The page builder and its data, without a browser: the page escapes what it shows, keeps its
 * embedded JSON inert, loads nothing, and is the same bytes for the same inputs; series are
 * downsampled keeping their extremes; the recorders read series, bars and the message diagram off
 * a trace.
 */
import { describe, expect, it } from "vitest"
import { Simulation } from "../../src/kernel/index.ts"
import { Network } from "../../src/net/index.ts"
import {
  downsampleChart,
  downsamplePoints,
  FIRST_VIEW_MESSAGES,
  firstView,
  GanttRecorder,
  MAX_ARROWS,
  MAX_RECORDED_POINTS,
  type HtmlReport,
  MessageDiagramRecorder,
  renderHtmlReport,
  type RunView,
  SeriesRecorder,
  tickGantt,
  VIEW_DATA_ID,
} from "../../src/view/index.ts"

const REPORT: HtmlReport = {
  sim: "demo",
  title: "Demo: does <b> & 'quoting' survive?",
  covers: "escaping",
  scenario: "a report whose text holds </script> and <img src=x>",
  params: [["--seed", "1", "seed of every random stream"]],
  seed: 1,
  rerun: "npx tsx sims/demo.ts --seed 1",
  traceHash: "abc123",
  simTime: 12.5,
  timeUnit: "ms",
  timeDecimals: 1,
  events: 42,
  checks: [
    { name: "safety", held: true, detail: "fine" },
    { name: "liveness", held: false, detail: "stuck at <t=3>" },
  ],
  metrics: { count: 3, nested: { a: 1 }, rows: [{ x: 1, y: "two" }] },
  timeline: { title: "Timeline", entries: [{ t: 1.25, text: "a </script> happened" }] },
  sections: [{ title: "Lesson", lines: ["line <one>"] }],
}

const VIEW: RunView = {
  series: [
    {
      title: "Queue",
      yName: "items",
      lines: [
        {
          name: "q",
          points: [
            [0, 1],
            [2, 0],
          ],
        },
      ],
    },
  ],
  annotations: [{ t: 1, text: "</script><script>alert(1)</script>" }],
}

/** The JSON the page embeds for its client script. */
function embedded(page: string): unknown {
  const match = new RegExp(`<script type="application/json" id="${VIEW_DATA_ID}">(.*?)</script>`, "s").exec(page)
  return JSON.parse(match![1]!)
}

describe("renderHtmlReport", () => {
  it("escapes every text it shows and keeps the embedded JSON from closing its script tag", () => {
    const page = renderHtmlReport(REPORT, VIEW, "console.log('</script>')")

    expect(page).not.toContain("<b> &")
    expect(page).toContain("Demo: does &#60;b&#62; &#38; &#39;quoting&#39; survive?")
    expect(page).toContain("a &#60;/script&#62; happened")
    expect(page.match(/<\/script>/g)).toHaveLength(2)
    expect(embedded(page)).toEqual({ view: VIEW, timeUnit: "ms", timeDecimals: 1 })
    expect(page).toContain("console.log('<\\/script>')")
  })

  it("shows the verdicts, metrics as tables (lists of objects as their own table), inputs and rerun line", () => {
    const page = renderHtmlReport(REPORT, VIEW)

    expect(page).toContain("<h2>Checks (1 of 2 held)</h2>")
    expect(page).toContain('<td class="held">held</td>')
    expect(page).toContain('<td class="failed">NOT HELD</td><td>stuck at &#60;t=3&#62;</td>')
    expect(page).toContain('<tr><td>nested.a</td><td class="num">1</td></tr>')
    expect(page).toContain("<h3>rows</h3>\n<table>\n<tr><th>x</th><th>y</th></tr>")
    expect(page).toContain('<pre class="rerun">npx tsx sims/demo.ts --seed 1</pre>')
    expect(page).toContain("<tr><td>1.3ms</td><td>a &#60;/script&#62; happened</td></tr>")
  })

  it("forbids every request with its Content-Security-Policy and loads no script, style or image", () => {
    const page = renderHtmlReport(REPORT, VIEW, "void 0")

    expect(page).toContain(
      `content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"`,
    )
    expect(page).not.toMatch(/<script[^>]*\ssrc=/i)
    expect(page).not.toMatch(/<link\b/i)
    expect(page).not.toMatch(/<img\b/i)
  })

  it("gives the same bytes for the same inputs, and places one chart per series, Gantt and diagram", () => {
    const view: RunView = {
      ...VIEW,
      gantt: [{ title: "G", lanes: ["core 0"], bars: [{ lane: "core 0", start: 0, end: 1, label: "job 0" }] }],
    }

    const page = renderHtmlReport(REPORT, view, "x")

    expect(renderHtmlReport(REPORT, view, "x")).toBe(page)
    expect(page.match(/class="chart"/g)).toHaveLength(2)
    expect(page).toContain('id="chart-gantt-0" data-kind="gantt"')
    expect(page).toContain('id="chart-series-0" data-kind="series"')
    expect(renderHtmlReport(REPORT, {})).not.toContain('id="charts"')
  })
})

describe("downsamplePoints", () => {
  it("keeps every point of a short series", () => {
    const points = [
      [0, 1],
      [1, 2],
    ] as const

    expect(downsamplePoints(points, 4)).toEqual(points)
  })

  it("keeps the first, the last, and the lowest and highest of each stretch: a one-point spike survives", () => {
    const points = Array.from({ length: 10_000 }, (_, i) => [i, i === 4321 ? 1000 : i % 7] as const)

    const kept = downsamplePoints(points, 200)

    expect(kept.length).toBeLessThanOrEqual(200)
    expect(kept[0]).toEqual([0, 0])
    expect(kept[kept.length - 1]).toEqual([9999, 9999 % 7])
    expect(kept).toContainEqual([4321, 1000])
    expect(kept.map((p) => p[0])).toEqual([...kept.map((p) => p[0])].sort((a, b) => a - b))
  })

  it("notes in the chart how many points there were", () => {
    const points = Array.from({ length: 5000 }, (_, i) => [i, i] as const)

    const chart = downsampleChart({ title: "c", yName: "y", lines: [{ name: "l", points }] }, 100)

    expect(chart.pointsBefore).toBe(5000)
    expect(chart.lines[0]!.points.length).toBeLessThanOrEqual(100)
  })
})

describe("tickGantt", () => {
  it("merges each lane's consecutive ticks with the same label into one bar", () => {
    const cells = [
      ["RUN", "READY"],
      ["RUN", "READY"],
      ["BLOCKED", "RUN"],
      [undefined, "RUN"],
    ]

    const chart = tickGantt({
      title: "t",
      lanes: ["a", "b"],
      ticks: 4,
      labelAt: (tick, lane) => cells[tick]![lane],
      start: 1,
    })

    expect(chart.bars).toEqual([
      { lane: "a", start: 1, end: 3, label: "RUN" },
      { lane: "a", start: 3, end: 4, label: "BLOCKED" },
      { lane: "b", start: 1, end: 3, label: "READY" },
      { lane: "b", start: 3, end: 5, label: "RUN" },
    ])
  })
})

describe("recorders", () => {
  it("SeriesRecorder keeps a point per change and one at the last record", () => {
    const sim = new Simulation({ seed: 1 })
    const series = new SeriesRecorder(sim.trace, "n", (record) =>
      record.type === "Set" ? (record as never as { n: number }).n : undefined,
    )
    for (const [t, n] of [
      [0, 1],
      [1, 1],
      [2, 3],
      [5, 3],
    ] as const)
      sim.timeout(t).onProcessed(() => sim.trace.record("Set", { n }))
    sim.timeout(7).onProcessed(() => sim.trace.record("Other"))

    sim.run()

    expect(series.line()).toEqual({
      name: "n",
      points: [
        [0, 1],
        [2, 3],
        [7, 3],
      ],
    })
  })

  it("SeriesRecorder holds at most MAX_RECORDED_POINTS points, keeping the extremes, however long the run", () => {
    const sim = new Simulation({ seed: 1 })
    const series = new SeriesRecorder(sim.trace, "n", (record) =>
      record.type === "Set" ? (record as never as { n: number }).n : undefined,
    )
    const changes = 3 * MAX_RECORDED_POINTS
    for (let i = 0; i < changes; i++)
      sim.timeout(i).onProcessed(() => sim.trace.record("Set", { n: i === 123_457 ? 10_000 : i % 2 }))

    sim.run()
    const points = series.line().points

    expect(points.length).toBeLessThanOrEqual(MAX_RECORDED_POINTS + 1)
    expect(points).toContainEqual([123_457, 10_000])
    expect(points[0]).toEqual([0, 0])
    expect(points[points.length - 1]).toEqual([changes - 1, (changes - 1) % 2])
  })

  it("GanttRecorder closes bars by key, and ends open ones at the last record", () => {
    const sim = new Simulation({ seed: 1 })
    const gantt = new GanttRecorder(sim.trace, {
      title: "g",
      start: (r) => (r.type === "Start" ? { key: (r as never as { k: number }).k, lane: "w", label: "a" } : undefined),
      end: (r) => (r.type === "End" ? (r as never as { k: number }).k : undefined),
    })
    sim.timeout(1).onProcessed(() => sim.trace.record("Start", { k: 1 }))
    sim.timeout(3).onProcessed(() => sim.trace.record("End", { k: 1 }))
    sim.timeout(4).onProcessed(() => sim.trace.record("Start", { k: 2 }))
    sim.timeout(6).onProcessed(() => sim.trace.record("Tick"))

    sim.run()

    expect(gantt.chart().bars).toEqual([
      { lane: "w", start: 1, end: 3, label: "a" },
      { lane: "w", start: 4, end: 6, label: "a" },
    ])
  })

  it("MessageDiagramRecorder draws messages with their type and body, drops, crashes and restarts, without changing the trace hash", () => {
    const run = (record: boolean) => {
      const sim = new Simulation({ seed: 3 })
      const recorder = new MessageDiagramRecorder()
      if (record) recorder.attach(sim.trace)
      const network = new Network(sim)
      network.addNode("a")
      network.addNode("b")
      sim.timeout(0).onProcessed(() => network.send("a", "b", { type: "Ping", n: 1 }))
      sim.timeout(5).onProcessed(() => network.node("b").crash())
      sim.timeout(6).onProcessed(() => network.send("a", "b", { type: "Ping", n: 2 }))
      sim.timeout(9).onProcessed(() => network.node("b").restart())
      sim.run()
      return { hash: sim.trace.hash, diagram: recorder.diagram() }
    }

    const { hash, diagram } = run(true)

    expect(run(false).hash).toBe(hash)
    expect(diagram!.nodes).toEqual(["a", "b"])
    expect(diagram!.messagesTotal).toBe(2)
    expect(diagram!.messages.map((m) => [m.label, m.fate, m.body])).toEqual([
      ["Ping", "delivered", '{"type":"Ping","n":1}'],
      ["Ping", expect.stringMatching(/^dropped: /), '{"type":"Ping","n":2}'],
    ])
    expect(diagram!.states).toEqual([{ node: "b", state: "crashed", start: 5, end: 9 }])
    expect(diagram!.faults.map((f) => f.text)).toEqual(["b CRASHED", "b restarted"])
  })

  it("MessageDiagramRecorder keeps the first MAX_ARROWS messages and counts them all; the page opens on the first ones and says so", () => {
    const sim = new Simulation({ seed: 1 })
    const recorder = new MessageDiagramRecorder()
    recorder.attach(sim.trace)
    const network = new Network(sim)
    network.addNode("a")
    network.addNode("b")
    const sent = MAX_ARROWS + 500
    for (let i = 0; i < sent; i++) sim.timeout(i).onProcessed(() => network.send("a", "b", i))

    sim.run()
    const diagram = recorder.diagram()!

    expect(diagram.messages).toHaveLength(MAX_ARROWS)
    expect(diagram.messagesTotal).toBe(sent)
    expect(diagram.messages[MAX_ARROWS - 1]!.id).toBe(MAX_ARROWS)
    expect(diagram.messages[0]).toMatchObject({ label: "main", body: "0", fate: "delivered" })
    expect(firstView(diagram)).toEqual([0, FIRST_VIEW_MESSAGES]) // the 150th message, sent at 149, arrives at 150
    const page = renderHtmlReport(REPORT, { messages: diagram })
    expect(page).toContain(
      `the first ${MAX_ARROWS} of ${sent} messages; it opens on the first ${FIRST_VIEW_MESSAGES}, zoom out with the slider`,
    )
  })
})
