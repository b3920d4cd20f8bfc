/**
 * The async-commit retry-reordering trap (docs/kafka-consumer-groups.md, "Consumer"): c0 commits
 * asynchronously after each poll; one commit never reaches the coordinator. Retried after its
 * timeout, that older offset lands after newer commits were accepted and moves the committed
 * offset back; a crash right then makes the replacement process again what c0 had already done.
 * Without the retry the committed offset never goes back.
 */
import { describe, expect, it } from "vitest"
import { Simulation, type Traced } from "../../../../src/kernel/index.ts"
import {
  checkNoMessageLost,
  KafkaCommitScenario,
  KafkaConsumer,
  type MessageLossEvent,
  messageLoss,
} from "../../../../src/models/kafka/group/index.ts"
import { FakeCluster } from "./fake-cluster.ts"

const DROPPED = 20

function run(retryAsyncCommits: boolean, crashAtMs: number | null) {
  const sim = new Simulation({ seed: 1, trace: { keep: Infinity } })
  const cluster = new FakeCluster(sim, { t0: 1 })
  cluster.dropCommit = (n) => n === DROPPED
  const consumers = ["c0", "c1"].map((name) => {
    const consumer = new KafkaConsumer({
      node: cluster.network.addNode(name),
      network: cluster.network,
      brokers: ["b1"],
      groupId: "g",
      partitionsPerTopic: { t0: 1 },
      autoOffsetReset: "earliest",
      processingMs: 2,
      sessionTimeoutMs: 6000,
      heartbeatIntervalMs: 500,
      requestTimeoutMs: 1000,
      commit: "async",
      retryAsyncCommits,
    })
    consumer.subscribe(["t0"])
    consumer.start()
    return consumer
  })
  if (crashAtMs !== null) sim.timeout(crashAtMs).onProcessed(() => cluster.network.node("c0").crash())
  cluster.startProducing(30, 10_000)
  sim.run({ until: 25_000 })
  const records = sim.trace.records() as unknown as Traced<MessageLossEvent>[]
  const produced = cluster.logs.get("t0-0")!.length
  const acked: Traced<MessageLossEvent> = {
    t: 0,
    seq: -1,
    type: "BatchAcknowledged",
    partition: 0,
    broker: 1,
    baseOffset: 0,
    records: produced,
    error: "NONE",
  }
  const commits = records.flatMap((e) =>
    e.type === "OffsetsCommitted" ? [{ t: e.t, offset: e.offsets["t0-0"]!, member: e.member }] : [],
  )
  const loss = messageLoss([acked, ...records], { group: "g", partitionOf: () => ({ topic: "t0", partition: 0 }) })
  return { consumers, commits, loss, produced }
}

/** The first commit that moved the committed offset back, with the one before it. */
function movedBack(commits: readonly { t: number; offset: number }[]) {
  const i = commits.findIndex((c, k) => k > 0 && c.offset < commits[k - 1]!.offset)
  return i < 0 ? undefined : { before: commits[i - 1]!, back: commits[i]! }
}

describe("the async-commit retry-reordering trap", () => {
  it("without retries the committed offset never goes back, even with a commit lost", () => {
    const { commits } = run(false, null)
    expect(commits.length).toBeGreaterThan(DROPPED)
    expect(movedBack(commits)).toBeUndefined()
  })

  it("a retried older commit landing after newer ones moves the committed offset back; a crash then costs duplicates", () => {
    const { commits } = run(true, null)
    const trap = movedBack(commits)!
    expect([trap.before.offset, trap.back.offset]).toEqual([242, 209])
    // The lost commit carried 209 and was sent right after 208 was accepted; its retry comes after the
    // request timeout (1000 ms) and 100 ms of backoff, when c0 had committed up to 242.
    const sentAfter = commits.filter((c) => c.offset === 208)[0]!
    expect(trap.back.t - sentAfter.t).toBeGreaterThan(1100)

    const crashAt = trap.back.t + 0.001
    const crashed = run(true, crashAt)
    expect(crashed.loss).toMatchObject({ lost: 0, duplicates: 33, duplicateOffsets: { t0p0: "209-241" } })
    expect(crashed.loss.duplicateExplanations[0]).toContain(
      `c0 crashed at 8037.3ms and processing resumed from the committed offset 209 (an older commit landing at 8037.3ms moved it back from 242 to 209)`,
    )
    expect(checkNoMessageLost(crashed.loss).held).toBe(true)
  })
})

describe("the trap in the kafka-commit scenario (3 brokers, the coordinator's answer to c0's first commit lost)", () => {
  function scenarioRun(retryAsyncCommits: boolean) {
    const sim = new Simulation({ seed: 1 })
    const scenario = new KafkaCommitScenario(sim, {
      commit: "async",
      retryAsyncCommits,
      loseFirstCommitAnswer: true,
      requestTimeoutMs: 5000,
      crashAtMs: 17_000,
      processingMs: 8,
      records: 3000,
      durationMs: 60_000,
    })
    const result = scenario.run()
    const commits = result.events.flatMap((e) =>
      e.type === "OffsetsCommitted" ? [{ t: Math.round(e.t * 10) / 10, offset: e.offsets["t0-0"]! }] : [],
    )
    return { result, commits }
  }

  it("the retry of 500 lands at 16129.2ms after 1186 was accepted; c0 crashes at 17000ms and c1 repeats 500-1376", () => {
    const { result, commits } = scenarioRun(true)
    expect(commits.slice(0, 5)).toEqual([
      { t: 11026.5, offset: 500 },
      { t: 11868.4, offset: 600 },
      { t: 15318.3, offset: 1100 },
      { t: 15893.1, offset: 1186 },
      { t: 16129.2, offset: 500 },
    ])
    expect(result.summary()).toMatchObject({ resumedAtOffset: 500, duplicates: 877, lost: 0 })
    expect(result.loss.duplicateExplanations[0]).toContain(
      "an older commit landing at 16129.2ms moved it back from 1186 to 500",
    )
  })

  it("without the retry the lost answer costs nothing: the committed offset never goes back and c1 resumes at 1186", () => {
    const { result, commits } = scenarioRun(false)
    expect(movedBack(commits)).toBeUndefined()
    expect(result.summary()).toMatchObject({ resumedAtOffset: 1186, duplicates: 191 })
  })
})
