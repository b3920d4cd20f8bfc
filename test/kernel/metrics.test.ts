import { describe, expect, it } from "vitest"
import { Counter, DEFAULT_BUCKETS, Gauge, Histogram, Metrics, Summary, TimeSeries } from "../../src/kernel/metrics.ts"
import { Simulation } from "../../src/kernel/simulation.ts"

/** A clock the test moves by hand. */
function fakeClock(start = 0): { clock: () => number; at: (t: number) => void } {
  let now = start
  return {
    clock: () => now,
    at: (t: number) => {
      now = t
    },
  }
}

describe("Counter", () => {
  it("counts 1 per inc() and the given amount per inc(by)", () => {
    const counter = new Counter()

    counter.inc()
    counter.inc(2.5)
    counter.inc(0)

    expect(counter.value).toBe(3.5)
  })

  it("rejects a negative, NaN or infinite increment and keeps its value", () => {
    const counter = new Counter()
    counter.inc(4)

    expect(() => counter.inc(-1)).toThrow(RangeError)
    expect(() => counter.inc(NaN)).toThrow(RangeError)
    expect(() => counter.inc(Infinity)).toThrow(RangeError)
    expect(counter.value).toBe(4)
  })
})

describe("Gauge", () => {
  it("averages 1.0 over 0 for 2 units then 3 for 1 unit, with 2 units at 0 and 1 unit at 3", () => {
    const { clock, at } = fakeClock()
    const gauge = new Gauge(clock)

    at(2)
    gauge.set(3)
    at(3)

    expect(gauge.mean()).toBe(1)
    expect([...gauge.timeAtLevel()]).toEqual([
      [0, 2],
      [3, 1],
    ])
    expect(gauge.value).toBe(3)
    expect(gauge.min).toBe(0)
    expect(gauge.max).toBe(3)
  })

  it("averages from its creation time, not from time 0", () => {
    const { clock, at } = fakeClock(10)
    const gauge = new Gauge(clock, { initial: 4 })

    at(12)
    gauge.add(-4)
    at(14)

    expect(gauge.createdAt).toBe(10)
    expect(gauge.mean()).toBe(2)
    expect([...gauge.timeAtLevel()]).toEqual([
      [4, 2],
      [0, 2],
    ])
  })

  it("reports the current value as the mean when no time has elapsed", () => {
    const { clock } = fakeClock(5)
    const gauge = new Gauge(clock, { initial: 4 })

    const before = gauge.mean()
    gauge.set(7)

    expect(before).toBe(4)
    expect(gauge.mean()).toBe(7)
  })

  it("lets max and min see values overwritten at the same instant, which hold for zero time", () => {
    const { clock, at } = fakeClock()
    const gauge = new Gauge(clock, { initial: 1 })

    at(1)
    gauge.set(10)
    gauge.set(-2)
    gauge.set(2)
    at(3)

    expect(gauge.max).toBe(10)
    expect(gauge.min).toBe(-2)
    expect(gauge.mean()).toBe(5 / 3)
    expect([...gauge.timeAtLevel()]).toEqual([
      [1, 1],
      [10, 0],
      [-2, 0],
      [2, 2],
    ])
  })

  it("orders timeAtLevel by first occurrence and adds up revisited levels", () => {
    const { clock, at } = fakeClock()
    const gauge = new Gauge(clock, { initial: 2 })

    at(1)
    gauge.set(5)
    at(4)
    gauge.set(2)
    at(6)
    gauge.set(1)
    at(10)
    gauge.set(5)
    at(10.5)

    expect([...gauge.timeAtLevel()]).toEqual([
      [2, 3],
      [5, 3.5],
      [1, 4],
    ])
  })

  it("keeps counting levels after more distinct levels than its initial capacity", () => {
    const { clock, at } = fakeClock()
    const gauge = new Gauge(clock)

    for (let i = 1; i <= 20; i++) {
      at(i)
      gauge.set(i)
    }
    at(21)

    const levels = gauge.timeAtLevel()
    expect([...levels.keys()]).toEqual(Array.from({ length: 21 }, (_, i) => i))
    expect([...levels.values()].every((d) => d === 1)).toBe(true)
    expect(gauge.mean()).toBe(10)
  })

  it("rejects a non-finite value and a clock that went backwards, leaving the gauge unchanged", () => {
    const { clock, at } = fakeClock()
    const gauge = new Gauge(clock)
    at(5)
    gauge.set(1)

    at(4)
    expect(() => gauge.set(2)).toThrow(/clock went backwards/)
    expect(() => gauge.mean()).toThrow(RangeError)
    at(6)
    expect(() => gauge.set(NaN)).toThrow(RangeError)
    expect(() => gauge.set(Infinity)).toThrow(RangeError)

    expect(gauge.value).toBe(1)
    expect(gauge.max).toBe(1)
    expect(gauge.mean()).toBe(1 / 6)
  })

  it("records one change point per instant, the last value set at that instant, and none when the value stays", () => {
    const { clock, at } = fakeClock()
    const gauge = new Gauge(clock, { series: true })

    at(1.5)
    gauge.set(3)
    at(4)
    gauge.set(1)
    gauge.set(2)
    gauge.set(2)
    at(5)
    gauge.set(2)
    at(6)
    gauge.add(0)

    expect(gauge.changes()).toEqual([
      { t: 0, value: 0 },
      { t: 1.5, value: 3 },
      { t: 4, value: 2 },
    ])
  })

  it("drops a change point when the value returns to the previous level at the same instant", () => {
    const { clock, at } = fakeClock()
    const gauge = new Gauge(clock, { series: true, initial: 1 })

    gauge.set(9)
    at(2)
    gauge.set(5)
    gauge.set(9)

    expect(gauge.changes()).toEqual([{ t: 0, value: 9 }])
  })

  it("samples 0 0 3 3 2 2 2 on a unit grid over changes at 1.5 (to 3) and 4 (to 1, then 2)", () => {
    const { clock, at } = fakeClock()
    const gauge = new Gauge(clock, { series: true })
    at(1.5)
    gauge.set(3)
    at(4)
    gauge.set(1)
    gauge.set(2)
    at(6)

    const grid = gauge.sample(1)
    const window = gauge.sample(2, 1, 5)
    const offGrid = gauge.sample(2.5, 0.5)

    expect(grid).toEqual([0, 0, 3, 3, 2, 2, 2].map((value, t) => ({ t, value })))
    expect(window).toEqual([
      { t: 1, value: 0 },
      { t: 3, value: 3 },
      { t: 5, value: 2 },
    ])
    expect(offGrid).toEqual([
      { t: 0.5, value: 0 },
      { t: 3, value: 3 },
      { t: 5.5, value: 2 },
    ])
  })

  it("samples from its creation time by default and includes a grid time equal to now", () => {
    const { clock, at } = fakeClock(10)
    const gauge = new Gauge(clock, { series: true, initial: 7 })
    at(11)
    gauge.set(8)
    at(12)

    expect(gauge.sample(1)).toEqual([
      { t: 10, value: 7 },
      { t: 11, value: 8 },
      { t: 12, value: 8 },
    ])
  })

  it("refuses to sample without a series, with a bad interval or outside its lifetime", () => {
    const { clock, at } = fakeClock(1)
    const plain = new Gauge(clock)
    const recorded = new Gauge(clock, { series: true })
    at(5)

    expect(() => plain.sample(1)).toThrow(/series: true/)
    expect(() => plain.changes()).toThrow(/series: true/)
    expect(() => recorded.sample(0)).toThrow(RangeError)
    expect(() => recorded.sample(-1)).toThrow(RangeError)
    expect(() => recorded.sample(NaN)).toThrow(RangeError)
    expect(() => recorded.sample(1, 0)).toThrow(/before the gauge's creation/)
    expect(() => recorded.sample(1, 1, 6)).toThrow(/after now/)
    expect(() => recorded.sample(1, 4, 3)).toThrow(/reversed/)
    expect(plain.recordsSeries).toBe(false)
    expect(recorded.recordsSeries).toBe(true)
  })

  it("keeps at most seriesMax change points, then drops them all and says so", () => {
    const { clock, at } = fakeClock(0)
    const gauge = new Gauge(clock, { series: true, seriesMax: 3 })
    at(1)
    gauge.set(5)
    at(2)
    gauge.set(6)
    gauge.set(7)

    expect(gauge.seriesLength).toBe(3)
    expect(gauge.seriesDropped).toBe(false)
    expect(gauge.changes()).toEqual([
      { t: 0, value: 0 },
      { t: 1, value: 5 },
      { t: 2, value: 7 },
    ])

    at(3)
    gauge.set(8)
    at(4)
    gauge.set(9)

    expect(gauge.seriesDropped).toBe(true)
    expect(gauge.recordsSeries).toBe(false)
    expect(gauge.seriesLength).toBe(0)
    expect(() => gauge.changes()).toThrow(/outgrew seriesMax \(3\)/)
    expect(gauge.max).toBe(9)
    expect(gauge.mean()).toBe((5 + 7 + 8) / 4)
    expect(() => new Gauge(clock, { series: true, seriesMax: 0 })).toThrow(RangeError)
  })
})

describe("Histogram", () => {
  /** 1..100 in a scrambled order (37 generates the multiplicative group mod 101). */
  function oneToHundred(): Histogram {
    const histogram = new Histogram({ buckets: [10, 50, 99.5] })
    for (let i = 1; i <= 100; i++) histogram.observe((i * 37) % 101)
    return histogram
  }

  it("keeps no observation with quantiles: false, but still counts, sums, buckets and knows min and max", () => {
    const histogram = new Histogram({ buckets: [10, 50, 99.5], quantiles: false })
    for (let i = 1; i <= 100; i++) histogram.observe((i * 37) % 101)

    expect(histogram.keepsObservations).toBe(false)
    expect([histogram.count, histogram.sum, histogram.min, histogram.max, histogram.mean]).toEqual([
      100, 5050, 1, 100, 50.5,
    ])
    expect(histogram.buckets()).toEqual(oneToHundred().buckets())
    expect(histogram.summary()).toEqual({ ...oneToHundred().summary(), p50: null, p90: null, p99: null, p999: null })
    expect(() => histogram.p90).toThrow(/quantiles: false/)
    expect(() => histogram.values()).toThrow(/quantiles: false/)
    expect(oneToHundred().keepsObservations).toBe(true)
  })

  it("gives nearest-rank quantiles 50, 90, 99, 100 for p50, p90, p99, p999 on 1..100", () => {
    const histogram = oneToHundred()

    expect(histogram.p50).toBe(50)
    expect(histogram.p90).toBe(90)
    expect(histogram.p99).toBe(99)
    expect(histogram.p999).toBe(100)
    expect(histogram.quantile(0)).toBe(1)
    expect(histogram.quantile(0.01)).toBe(1)
    expect(histogram.quantile(0.07)).toBe(7)
    expect(histogram.quantile(0.255)).toBe(26)
    expect(histogram.quantile(1)).toBe(100)
  })

  it("reports count 100, sum 5050, mean 50.5, min 1, max 100 on 1..100", () => {
    const histogram = oneToHundred()

    expect(histogram.count).toBe(100)
    expect(histogram.sum).toBe(5050)
    expect(histogram.mean).toBe(50.5)
    expect(histogram.min).toBe(1)
    expect(histogram.max).toBe(100)
  })

  it("counts 10, 50, 99, 100 in cumulative buckets le=10, 50, 99.5, +Inf on 1..100", () => {
    const histogram = oneToHundred()

    expect(histogram.buckets()).toEqual([
      { le: 10, count: 10 },
      { le: 50, count: 50 },
      { le: 99.5, count: 99 },
      { le: Infinity, count: 100 },
    ])
  })

  it("sorts again after an observation that arrives after a query", () => {
    const histogram = oneToHundred()
    expect(histogram.quantile(0)).toBe(1)

    histogram.observe(0)
    histogram.observe(1000)

    expect(histogram.quantile(0)).toBe(0)
    expect(histogram.quantile(1)).toBe(1000)
    expect(histogram.count).toBe(102)
  })

  it("answers NaN for the statistics of an empty histogram and zeros for its buckets", () => {
    const histogram = new Histogram({ buckets: [1] })

    expect(histogram.count).toBe(0)
    expect(histogram.sum).toBe(0)
    expect(histogram.mean).toBeNaN()
    expect(histogram.min).toBeNaN()
    expect(histogram.max).toBeNaN()
    expect(histogram.p99).toBeNaN()
    expect(histogram.buckets()).toEqual([
      { le: 1, count: 0 },
      { le: Infinity, count: 0 },
    ])
  })

  it("rejects quantiles outside [0, 1], non-finite observations and unordered buckets", () => {
    const histogram = new Histogram()

    expect(() => histogram.quantile(1.5)).toThrow(RangeError)
    expect(() => histogram.quantile(-0.1)).toThrow(RangeError)
    expect(() => histogram.quantile(NaN)).toThrow(RangeError)
    expect(() => histogram.observe(NaN)).toThrow(RangeError)
    expect(() => new Histogram({ buckets: [1, 1] })).toThrow(RangeError)
    expect(() => new Histogram({ buckets: [2, 1] })).toThrow(RangeError)
    expect(() => new Histogram({ buckets: [NaN] })).toThrow(RangeError)
    expect(histogram.count).toBe(0)
  })

  it("uses Prometheus's default buckets and drops a trailing Infinity bound", () => {
    const byDefault = new Histogram()
    const withInfinity = new Histogram({ buckets: [1, 2, Infinity] })

    expect(byDefault.bucketBounds).toEqual([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])
    expect(DEFAULT_BUCKETS).toEqual(byDefault.bucketBounds)
    expect(withInfinity.bucketBounds).toEqual([1, 2])
  })

  it("keeps every observation past its initial buffer of 64", () => {
    const histogram = new Histogram()

    for (let i = 1000; i >= 1; i--) histogram.observe(i)

    expect(histogram.count).toBe(1000)
    expect(histogram.p50).toBe(500)
    expect(Array.from(histogram.values().subarray(0, 3))).toEqual([1, 2, 3])
  })
})

describe("Summary", () => {
  it("rotates its window as client_golang does: 5 age buckets, emptied every maxAge/5 after the first maxAge", () => {
    let now = 0
    const summary = new Summary(() => now, { maxAge: 10, ageBuckets: 5 })
    // One observation per time unit, valued as its time: the window's smallest value is its start.
    const windowAt = (t: number): number[] => {
      while (now < t) summary.observe(++now)
      return [...summary.windowValues()]
    }
    expect(windowAt(10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) // the first maxAge: since creation
    expect(summary.windowStart()).toBe(-Infinity)
    // Past t=10 the fifth rotation empties the head and makes the stream emptied at t=2 the head.
    expect(windowAt(11)[0]).toBe(3)
    expect(windowAt(12)[0]).toBe(3) // t=12 is not past the sixth rotation yet
    expect(windowAt(13)[0]).toBe(5) // now it is: the head was emptied at t=4
    expect(windowAt(20)).toHaveLength(10) // just before a rotation: a full maxAge of history
    expect(windowAt(21)).toEqual([13, 14, 15, 16, 17, 18, 19, 20, 21]) // just after: maxAge − maxAge/5, and more
    expect(summary.count).toBe(21)
    expect(summary.sum).toBe(231)
  })

  it("answers nearest-rank quantiles over the window and NaN for an empty window; count and sum stay all-time", () => {
    let now = 0
    const summary = new Summary(() => now, { maxAge: 10 })
    expect(summary.quantile(0.5)).toBeNaN()
    for (let v = 1; v <= 100; v++) summary.observe(v)
    expect([summary.quantile(0.5), summary.quantile(0.9), summary.quantile(0.99)]).toEqual([50, 90, 99])
    now = 100
    expect(summary.quantile(0.99)).toBeNaN()
    expect(summary.summary()).toEqual({ count: 100, sum: 5050, quantiles: { "0.5": null, "0.9": null, "0.99": null } })
  })

  it("is exposed as quantile samples, then _sum and _count, and rejects a quantile label or other options", () => {
    let now = 0
    const metrics = new Metrics(() => now)
    const latency = metrics.summary("latency_seconds", "Latency.", { maxAge: 600, labels: { path: "/" } })
    latency.observe(0.25)
    latency.observe(0.5)
    now = 1
    expect(metrics.toPrometheus()).toBe(
      [
        "# HELP latency_seconds Latency.",
        "# TYPE latency_seconds summary",
        'latency_seconds{path="/",quantile="0.5"} 0.25',
        'latency_seconds{path="/",quantile="0.9"} 0.5',
        'latency_seconds{path="/",quantile="0.99"} 0.5',
        'latency_seconds_sum{path="/"} 0.75',
        'latency_seconds_count{path="/"} 2',
        "",
      ].join("\n"),
    )
    expect(metrics.summary("latency_seconds", "Latency.", { maxAge: 600, labels: { path: "/" } })).toBe(latency)
    expect(() => metrics.summary("latency_seconds", "Latency.", { maxAge: 60 })).toThrow(/maxAge/)
    expect(() => metrics.summary("other", "O.", { maxAge: 60, labels: { quantile: "x" } })).toThrow(/reserved/)
    expect(() => metrics.counter("latency_seconds_count", "C.")).toThrow(/already writes/)
    expect(() => new Summary(() => 0, { maxAge: 60, quantiles: [0.9, 0.5] })).toThrow(/increase/)
  })
})

describe("TimeSeries", () => {
  it("records values at the clock's time and keeps them in order", () => {
    const { clock, at } = fakeClock()
    const series = new TimeSeries(clock)

    at(3)
    series.record(10)
    series.record(11)
    series.recordAt(7, 4)

    expect(series.points).toEqual([
      { t: 3, value: 10 },
      { t: 3, value: 11 },
      { t: 7, value: 4 },
    ])
    expect(series.length).toBe(3)
    expect(series.summary()).toEqual({ count: 3, last: 4, min: 4, max: 11 })
  })

  it("rejects a point earlier than the last one", () => {
    const { clock } = fakeClock()
    const series = new TimeSeries(clock)
    series.recordAt(5, 1)

    expect(() => series.recordAt(4, 1)).toThrow(RangeError)
    expect(() => series.record(1)).toThrow(RangeError)
    expect(series.length).toBe(1)
  })
})

describe("Metrics", () => {
  it("returns the same instrument for the same name and labels, in any label order", () => {
    const metrics = new Metrics(() => 0)

    const a = metrics.counter("sent_total", "Messages sent.", { topic: "orders", partition: 0 })
    const b = metrics.counter("sent_total", "Messages sent.", { partition: "0", topic: "orders" })
    const c = metrics.counter("sent_total", "Messages sent.", { topic: "orders", partition: 1 })
    const g1 = metrics.gauge("lag", "Lag.", { labels: { group: "g" } })
    const g2 = metrics.gauge("lag", "Lag.", { labels: { group: "g" }, initial: 5 })

    expect(b).toBe(a)
    expect(c).not.toBe(a)
    expect(g2).toBe(g1)
    expect(g2.value).toBe(0)
  })

  it("rejects a name already registered as another kind or with another help text", () => {
    const metrics = new Metrics(() => 0)
    metrics.counter("x", "An x.")

    expect(() => metrics.gauge("x", "An x.")).toThrow(/already registered as a counter/)
    expect(() => metrics.timeSeries("x", "An x.")).toThrow(/already registered as a counter/)
    expect(() => metrics.counter("x", "Another x.")).toThrow(/help/)
  })

  it("rejects invalid metric names, invalid or reserved label names, and le on a histogram", () => {
    const metrics = new Metrics(() => 0)

    expect(() => metrics.counter("9lives", "h")).toThrow(/invalid metric name/)
    expect(() => metrics.counter("a-b", "h")).toThrow(/invalid metric name/)
    expect(() => metrics.counter("ok", "h", { "bad-name": "v" })).toThrow(/invalid label name/)
    expect(() => metrics.counter("ok", "h", { __reserved: "v" })).toThrow(/invalid label name/)
    expect(() => metrics.counter("ok", "h", { "a:b": "v" })).toThrow(/invalid label name/)
    expect(() => metrics.histogram("lat", "h", { labels: { le: "1" } })).toThrow(/reserved/)
    expect(metrics.counter("name:with_colons", "h")).toBeInstanceOf(Counter)
    expect(metrics.toPrometheus()).toBe(
      "# HELP name:with_colons h\n# TYPE name:with_colons counter\nname:with_colons 0\n",
    )
  })

  it("rejects a name that collides with a histogram's _bucket, _sum or _count samples", () => {
    const metrics = new Metrics(() => 0)
    metrics.histogram("latency", "h")
    metrics.counter("requests_count", "h")

    expect(() => metrics.counter("latency_sum", "h")).toThrow(/latency_sum/)
    expect(() => metrics.gauge("latency_bucket", "h")).toThrow(/latency_bucket/)
    expect(() => metrics.histogram("requests", "h")).toThrow(/requests_count/)
  })

  it("rejects differing buckets or series within one family", () => {
    const metrics = new Metrics(() => 0)
    metrics.histogram("latency", "h", { buckets: [1, 2], labels: { op: "get" } })
    metrics.gauge("depth", "h", { series: true })

    expect(() => metrics.histogram("latency", "h", { buckets: [1, 3], labels: { op: "put" } })).toThrow(/buckets/)
    expect(() => metrics.gauge("depth", "h", { labels: { q: "b" } })).toThrow(/series/)
    expect(metrics.histogram("latency", "h", { buckets: [1, 2, Infinity], labels: { op: "put" } })).toBeInstanceOf(
      Histogram,
    )
  })

  it("leaves no trace of a rejected registration", () => {
    const metrics = new Metrics(() => 0)

    expect(() => metrics.counter("x", "h", { __bad: "1" })).toThrow()
    expect(() => metrics.gauge("y", "h", { initial: NaN })).toThrow(RangeError)

    expect(metrics.toPrometheus()).toBe("")
    expect(metrics.gauge("x", "other help").value).toBe(0)
    expect(metrics.counter("y", "h").value).toBe(0)
  })

  it("writes the exact Prometheus text for counters, gauges and histograms with labels and escaping", () => {
    const { clock, at } = fakeClock()
    const metrics = new Metrics(clock)
    const home = metrics.counter("http_requests_total", "Requests served.\nBy path, with a \\ in help.", { path: "/" })
    const odd = metrics.counter("http_requests_total", "Requests served.\nBy path, with a \\ in help.", {
      path: 'C:\\dir "x"\nend',
    })
    const queue = metrics.gauge("queue_length", "Jobs waiting.")
    const get = metrics.histogram("latency_ms", "Request latency.", { buckets: [1, 5], labels: { op: "get" } })
    const put = metrics.histogram("latency_ms", "Request latency.", { buckets: [1, 5], labels: { op: "put" } })
    const timeline = metrics.timeSeries("lag_points", "Not exported.")

    home.inc(3)
    odd.inc()
    at(2)
    queue.set(2.5)
    for (const v of [0.5, 4, 9]) get.observe(v)
    put.observe(1)
    timeline.record(1)

    expect(metrics.toPrometheus()).toBe(
      [
        "# HELP http_requests_total Requests served.\\nBy path, with a \\\\ in help.",
        "# TYPE http_requests_total counter",
        'http_requests_total{path="/"} 3',
        'http_requests_total{path="C:\\\\dir \\"x\\"\\nend"} 1',
        "# HELP queue_length Jobs waiting.",
        "# TYPE queue_length gauge",
        "queue_length 2.5",
        "# HELP latency_ms Request latency.",
        "# TYPE latency_ms histogram",
        'latency_ms_bucket{op="get",le="1"} 1',
        'latency_ms_bucket{op="get",le="5"} 2',
        'latency_ms_bucket{op="get",le="+Inf"} 3',
        'latency_ms_sum{op="get"} 13.5',
        'latency_ms_count{op="get"} 3',
        'latency_ms_bucket{op="put",le="1"} 1',
        'latency_ms_bucket{op="put",le="5"} 1',
        'latency_ms_bucket{op="put",le="+Inf"} 1',
        'latency_ms_sum{op="put"} 1',
        'latency_ms_count{op="put"} 1',
        "",
      ].join("\n"),
    )
  })

  it("writes unlabelled histogram samples and, on request, gauge mean, min and max families", () => {
    const { clock, at } = fakeClock()
    const metrics = new Metrics(clock)
    const busy = metrics.gauge("busy_servers", "Servers busy.", { labels: { pool: "a" } })
    const wait = metrics.histogram("wait", "Wait.", { buckets: [0.5] })

    at(1)
    busy.set(4)
    at(4)
    wait.observe(0.25)

    expect(metrics.toPrometheus({ gaugeStatistics: true })).toBe(
      [
        "# HELP busy_servers Servers busy.",
        "# TYPE busy_servers gauge",
        'busy_servers{pool="a"} 4',
        "# HELP busy_servers_mean Servers busy. (time-weighted mean since creation)",
        "# TYPE busy_servers_mean gauge",
        'busy_servers_mean{pool="a"} 3',
        "# HELP busy_servers_min Servers busy. (smallest value set)",
        "# TYPE busy_servers_min gauge",
        'busy_servers_min{pool="a"} 0',
        "# HELP busy_servers_max Servers busy. (largest value set)",
        "# TYPE busy_servers_max gauge",
        'busy_servers_max{pool="a"} 4',
        "# HELP wait Wait.",
        "# TYPE wait histogram",
        'wait_bucket{le="0.5"} 1',
        'wait_bucket{le="+Inf"} 1',
        "wait_sum 0.25",
        "wait_count 1",
        "",
      ].join("\n"),
    )
  })

  it("refuses gauge statistics whose names are already taken", () => {
    const metrics = new Metrics(() => 0)
    metrics.gauge("depth", "h")
    metrics.gauge("depth_max", "h")

    expect(metrics.toPrometheus()).toContain("depth_max 0")
    expect(() => metrics.toPrometheus({ gaugeStatistics: true })).toThrow(/depth_max/)
  })

  it("snapshots every instrument as plain JSON in registration order, with null where empty", () => {
    const { clock, at } = fakeClock()
    const metrics = new Metrics(clock)
    metrics.counter("served_total", "h", { server: "s1" }).inc(2)
    const depth = metrics.gauge("depth", "h")
    metrics.histogram("wait", "h").observe(3)
    metrics.histogram("idle", "h")
    metrics.timeSeries("lag", "h").record(7)

    at(4)
    depth.set(1)
    at(8)
    const snapshot = metrics.snapshot()

    expect(Object.keys(snapshot)).toEqual(['served_total{server="s1"}', "depth", "wait", "idle", "lag"])
    expect(snapshot).toEqual({
      'served_total{server="s1"}': { value: 2 },
      depth: { value: 1, mean: 0.5, min: 0, max: 1 },
      wait: { count: 1, sum: 3, mean: 3, min: 3, max: 3, p50: 3, p90: 3, p99: 3, p999: 3 },
      idle: { count: 0, sum: 0, mean: null, min: null, max: null, p50: null, p90: null, p99: null, p999: null },
      lag: { count: 1, last: 7, min: 7, max: 7 },
    })
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot)
  })

  it("gives a gauge the clock's time at registration as its creation time", () => {
    const { clock, at } = fakeClock()
    const metrics = new Metrics(clock)

    at(10)
    const gauge = metrics.gauge("late", "h", { initial: 2 })
    at(12)
    gauge.set(4)
    at(14)

    expect(gauge.createdAt).toBe(10)
    expect(gauge.mean()).toBe(3)
  })
})

describe("Metrics on a running Simulation", () => {
  /** A single server: a job arrives every 3 units and takes 5, so the queue grows. */
  function runQueue(withMetrics: boolean): { events: number; now: number; metrics: Metrics | undefined } {
    const sim = new Simulation()
    const metrics = withMetrics ? new Metrics(() => sim.now) : undefined
    const waiting = metrics?.gauge("waiting", "Jobs waiting.", { series: true })
    const waits = metrics?.histogram("wait", "Wait.", { buckets: [5, 10] })
    const served = metrics?.counter("served_total", "Jobs served.")
    const queue: number[] = []
    let serverIdle = true
    function* server(): Generator<any, void, any> {
      while (queue.length > 0) {
        serverIdle = false
        const arrivedAt = queue.shift()!
        waiting?.set(queue.length)
        waits?.observe(sim.now - arrivedAt)
        yield* sim.sleep(5)
        served?.inc()
      }
      serverIdle = true
    }
    function* arrivals(): Generator<any, void, any> {
      for (let i = 0; i < 6; i++) {
        queue.push(sim.now)
        waiting?.set(queue.length)
        if (serverIdle) sim.spawn(server(), "server")
        yield* sim.sleep(3)
      }
    }
    sim.spawn(arrivals(), "arrivals")
    const result = sim.run({ until: 40 })
    return { events: result.events, now: result.now, metrics }
  }

  it("leaves the event count and final time unchanged, and measures a queue of 6 jobs arriving every 3 units for 5 units of service", () => {
    const plain = runQueue(false)
    const measured = runQueue(true)

    expect(measured.events).toBe(plain.events)
    expect(measured.now).toBe(plain.now)
    const snapshot = measured.metrics!.snapshot()
    expect(snapshot["served_total"]).toEqual({ value: 6 })
    expect(snapshot["wait"]).toEqual({
      count: 6,
      sum: 30,
      mean: 5,
      min: 0,
      max: 10,
      p50: 4,
      p90: 10,
      p99: 10,
      p999: 10,
    })
    expect(snapshot["waiting"]).toEqual({ value: 0, mean: 0.75, min: 0, max: 2 })
    const waiting = measured.metrics!.gauge("waiting", "Jobs waiting.", { series: true })
    expect(waiting.sample(5).map((point) => point.value)).toEqual([0, 0, 1, 2, 1, 0, 0, 0, 0])
    expect(measured.metrics!.toPrometheus()).toContain('wait_bucket{le="5"} 3\nwait_bucket{le="10"} 6\n')
  })
})
