import { describe, expect, it } from "vitest"
import type { ProcessGenerator } from "../../../../src/kernel/index.ts"
import { Simulation } from "../../../../src/kernel/index.ts"
import {
  consumerLag,
  escapeLabel,
  LagSampler,
  type LagSource,
  OffsetStore,
  prometheusText,
} from "../../../../src/models/kafka/group/index.ts"
import { KafkaScenario, TopicLayout } from "../../../../src/models/kafka/index.ts"

function source(hws: number[], store: OffsetStore, layout = TopicLayout.parse("t0:2,t1:1")): LagSource {
  return {
    layout,
    highWatermark: (i) => hws[i]!,
    committed: (g) => store.committed(g),
    get groups() {
      return store.groups
    },
  }
}

describe("consumer lag", () => {
  it("is the high watermark minus the committed offset, -1 for an uncommitted partition of a consumed topic", () => {
    const store = new OffsetStore()
    store.commit("g", new Map([["t0-0", 40]]))
    store.commit(
      "h",
      new Map([
        ["t1-0", 3],
        ["t0-1", 5],
      ]),
    )
    const points = consumerLag(source([42, 10, 7], store))
    expect(points).toEqual([
      { group: "g", topic: "t0", partition: 0, highWatermark: 42, committed: 40, lag: 2 },
      { group: "g", topic: "t0", partition: 1, highWatermark: 10, committed: -1, lag: -1 },
      { group: "h", topic: "t0", partition: 0, highWatermark: 42, committed: -1, lag: -1 },
      { group: "h", topic: "t0", partition: 1, highWatermark: 10, committed: 5, lag: 5 },
      { group: "h", topic: "t1", partition: 0, highWatermark: 7, committed: 3, lag: 4 },
    ])
  })

  it("renders the Prometheus text exposition format: HELP, TYPE gauge, one line per partition, final newline", () => {
    const store = new OffsetStore()
    store.commit(
      "g",
      new Map([
        ["t0-0", 0],
        ["t0-1", 8],
      ]),
    )
    const text = prometheusText(consumerLag(source([42, 10, 7], store)))
    expect(text).toBe(
      "# HELP kafka_consumergroup_lag Committed-offset lag of a consumer group on a topic partition:" +
        " high watermark minus committed offset.\n" +
        "# TYPE kafka_consumergroup_lag gauge\n" +
        'kafka_consumergroup_lag{group="g",topic="t0",partition="0"} 42\n' +
        'kafka_consumergroup_lag{group="g",topic="t0",partition="1"} 2\n',
    )
  })

  it("escapes backslash, double quote and line feed in label values", () => {
    expect(escapeLabel('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd')
    const store = new OffsetStore()
    store.commit('we"ird\\group\n', new Map([["t0-0", 1]]))
    const text = prometheusText(consumerLag(source([3, 0], store, TopicLayout.single(1))))
    expect(text.split("\n")[2]).toBe('kafka_consumergroup_lag{group="we\\"ird\\\\group\\n",topic="t0",partition="0"} 2')
  })

  it("samples a running cluster every intervalMs: the time series and the scrape agree", () => {
    const sim = new Simulation({ seed: 1, trace: { hash: false } })
    const scenario = new KafkaScenario(sim, { topics: "t0:2", producer: { acks: 1, lingerMs: 0 } })
    const sampler = new LagSampler(sim, scenario.lagSource(), { intervalMs: 250 })
    scenario.network.node("producer").spawn(
      (function* (): ProcessGenerator<void> {
        yield* sim.sleep(100)
        for (let i = 0; i < 10; i++) scenario.producer.send(`k${i}`)
        yield* sim.sleep(500)
        scenario.offsetStore.commit("g", new Map([["t0-0", 1]]))
      })(),
    )
    sim.run({ until: 1001 })
    expect(sampler.samples.map((s) => s.t)).toEqual([0, 250, 500, 750, 1000])
    expect(sampler.samples.slice(0, 3).map((s) => s.points)).toEqual([[], [], []])
    const hw0 = scenario.brokers[0]!.durableLog(0)!.highWatermark
    const hw1 = scenario.brokers[1]!.durableLog(1)!.highWatermark
    expect(hw0 + hw1).toBe(10)
    expect(sampler.latest!.points.map((p) => p.lag)).toEqual([hw0 - 1, -1])
    expect(prometheusText(sampler.latest!.points).split("\n").slice(2, 4)).toEqual([
      `kafka_consumergroup_lag{group="g",topic="t0",partition="0"} ${hw0 - 1}`,
      'kafka_consumergroup_lag{group="g",topic="t0",partition="1"} -1',
    ])
    // The registry a live scrape serves holds the same gauge, with the latest sample's values.
    expect(sim.metrics.toPrometheus()).toContain(prometheusText(sampler.latest!.points))
  })
})
