import { describe, expect, it } from "vitest"
import { Simulation, TraceSample } from "../../../src/kernel/index.ts"
import {
  describePool,
  describeThreadPoolEvent,
  inThreadPoolTimeline,
  isThreadPoolEvent,
  showsInTimeline,
  threadPoolTimeline,
  ThreadPoolScenario,
  type ThreadPoolScenarioOptions,
} from "../../../src/models/thread-pool/index.ts"

function records(options: ThreadPoolScenarioOptions) {
  const sim = new Simulation({ trace: { keep: Infinity } })
  const scenario = new ThreadPoolScenario(sim, options)
  scenario.run()
  return {
    pool: scenario.pool,
    records: sim.trace.records().flatMap((record) => (isThreadPoolEvent(record) ? [record] : [])),
  }
}

describe("thread-pool timeline", () => {
  it.each<[string, ThreadPoolScenarioOptions]>([
    ["the default burst", {}],
    ["caller-runs", { rejection: "caller-runs", tasks: 9 }],
    ["discard-oldest on a hand-off queue", { rejection: "discard-oldest", queueCapacity: 0 }],
    ["core 0, unbounded queue", { corePoolSize: 0, queueCapacity: Infinity }],
    ["keep-alive", { intervalMs: 100, keepAliveMs: 500, tasks: 10 }],
  ])("tells exactly the records showsInTimeline selects (%s)", (_, options) => {
    const run = records(options)

    for (const record of run.records)
      expect(describeThreadPoolEvent(record, run.pool) !== undefined).toBe(showsInTimeline(record))
  })

  it("tells each execute decision once, with its reason and the state after it", () => {
    const run = records({})

    const lines = run.records
      .map((record) => describeThreadPoolEvent(record, run.pool))
      .filter((line) => line !== undefined)

    expect(lines.filter((line) => line.includes("submitted →"))).toHaveLength(7)
    expect(lines).toContain("task 4 submitted → queued: pool 2 >= core 2, queue had room  [pool 2, queue 3 4]")
    expect(lines).toContain("thread 1 took task 3 from the queue  [queue 4]")
    expect(lines).toContain("thread 3: queue empty, so idle: exits after 60000ms without work (pool 4 > core 2)")
  })

  it("does not repeat a task the thread execute started without a first task took from the queue", () => {
    const run = records({ corePoolSize: 0, queueCapacity: Infinity, tasks: 2 })

    const lines = run.records
      .map((record) => describeThreadPoolEvent(record, run.pool))
      .filter((line) => line !== undefined)

    expect(lines[0]).toBe(
      "task 1 submitted → queued; no thread was alive, so new thread 1 started and took it  [pool 1, queue —]",
    )
    expect(lines.filter((line) => line.includes("took task 1"))).toEqual([])
  })

  it("shows a long queue's head and its length", () => {
    const run = records({ queueCapacity: Infinity, tasks: 12 })

    const line = run.records
      .map((record) => describeThreadPoolEvent(record, run.pool))
      .find((text) => text?.startsWith("task 12 submitted"))

    expect(line).toBe(
      "task 12 submitted → queued: pool 2 >= core 2, queue had room  [pool 2, queue 3 4 5 6 7 8 9 10 … (10 in all)]",
    )
  })

  it("titles a cut timeline with how many lines it left out", () => {
    const sim = new Simulation()
    const scenario = new ThreadPoolScenario(sim, { tasks: 20, queueCapacity: Infinity })
    const sample = new TraceSample(sim.trace, inThreadPoolTimeline, 10)
    scenario.run()

    const timeline = threadPoolTimeline(sample, scenario.pool)

    expect(timeline.entries).toHaveLength(10)
    expect(timeline.title).toBe(`Timeline (the first 10 of ${sample.total} events)`)
    expect(sample.total).toBe(20 + 20 + 18 + 2)
  })

  it("names the pool as its constructor call", () => {
    expect(
      describePool({
        corePoolSize: 0,
        maximumPoolSize: 10,
        queueCapacity: 0,
        keepAliveMs: 60_000,
        rejection: "caller-runs",
      }),
    ).toBe("ThreadPoolExecutor(core 0, max 10, a hand-off SynchronousQueue, keep-alive 60000ms, CallerRunsPolicy)")
  })
})
