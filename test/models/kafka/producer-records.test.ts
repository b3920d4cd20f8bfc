import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  KafkaMqProducer,
  KafkaScenario,
  RECORD_ACKED,
  RECORD_FAILED,
  RECORD_PENDING,
} from "../../../src/models/kafka/index.ts"

const FAST = {
  replicaLagTimeMaxMs: 400,
  replicaFetchWaitMaxMs: 100,
  replicaFetchTimeoutMs: 300,
  brokerHeartbeatIntervalMs: 100,
  brokerSessionTimeoutMs: 600,
}

describe("ProducerRecords", () => {
  it("keeps an unkeyed run's bookkeeping per batch: each record sits in exactly one batch and no keys are stored", () => {
    const sim = new Simulation({ seed: 3, trace: { hash: false } })
    const cluster = new KafkaScenario(sim, {
      partitions: 4,
      broker: { minInsyncReplicas: 2 },
      workload: { messages: 20_000, ratePerSecond: 100_000, settleMs: 2000 },
    })
    const result = cluster.run()
    const records = cluster.producer.records

    expect(result.acknowledged).toBe(20_000)
    expect(records.count).toBe(20_000)
    expect(records.batches.length).toBeLessThan(records.count / 20)
    const ids = records.batches.flatMap((batch) => batch.records).sort((a, b) => a - b)
    expect(ids).toEqual(Array.from({ length: 20_000 }, (_, i) => i))
    expect(records.key.every((key) => key === null)).toBe(true)
  })

  it("gives each record the instant the application sent it", () => {
    const sim = new Simulation({ seed: 1, trace: { hash: false } })
    const cluster = new KafkaScenario(sim, { partitions: 2 })
    const sentAt: number[] = []
    for (const [atMs, count] of [
      [0, 3],
      [2.5, 1],
      [7, 4],
      [40, 2],
    ] as const) {
      sim.timeout(atMs).onProcessed(() => {
        for (let i = 0; i < count; i++) {
          cluster.producer.send(i % 2 === 0 ? null : "k" + i)
          sentAt.push(atMs)
        }
      })
    }
    sim.run({ until: 2000 })
    const records = cluster.producer.records

    expect(records.sentMs).toEqual(sentAt)
    expect(sentAt.map((_, id) => records.sentMsOf(id))).toEqual(sentAt)
    expect(records.key).toEqual(sentAt.map((_, id) => records.keyOf(id)))
    expect(records.keyOf(1)).toBe("k1")
    expect(records.keyOf(0)).toBeNull()
  })

  it("materialises per-record arrays that agree with the batches and the message-queue outcomes, fresh after every change", () => {
    const sim = new Simulation({ seed: 2, trace: { hash: false } })
    const cluster = new KafkaScenario(sim, {
      partitions: 3,
      broker: { ...FAST, minInsyncReplicas: 2 },
      producer: { deliveryTimeoutMs: 1500, requestTimeoutMs: 300 },
      plan: {
        faults: [
          { kind: "crash", node: "b2", at: 100, restart: false },
          { kind: "crash", node: "b3", at: 100, restart: false },
        ],
      },
      workload: { messages: 400, ratePerSecond: 1000, keyOf: (i) => "key-" + (i % 7), settleMs: 3000 },
    })
    const mq = new KafkaMqProducer(cluster.producer)
    const records = cluster.producer.records
    for (let i = 0; i < 50; i++) mq.send({ key: "key-" + (i % 7), value: String(i) })

    expect(records.status).toEqual(new Array(50).fill(RECORD_PENDING))
    sim.run({ until: 50 })
    expect(records.status).toEqual(new Array(50).fill(RECORD_ACKED))
    cluster.run()

    expect(records.status).toHaveLength(450)
    expect(records.status).toContain(RECORD_ACKED)
    expect(records.status).toContain(RECORD_FAILED)
    for (const batch of records.batches) {
      batch.records.forEach((id, index) => {
        expect(records.partition[id]).toBe(batch.partition)
        expect(records.status[id]).toBe(batch.status)
        expect(records.error[id]).toBe(batch.error)
        const outcome = mq.outcome(id)
        if (batch.status === RECORD_ACKED) {
          expect(records.offset[id]).toBe(batch.baseOffset + index)
          expect(records.ackMs[id]).toBe(batch.ackMs)
          expect(records.ackedBy[id]).toBe(batch.ackedBy)
          expect(outcome).toEqual({
            status: "acknowledged",
            partition: batch.partition,
            offset: batch.baseOffset + index,
            atMs: batch.ackMs,
          })
        } else {
          expect(records.offset[id]).toBe(-1)
          expect(records.ackMs[id]).toBeNaN()
          expect(outcome).toEqual(
            batch.status === RECORD_FAILED ? { status: "failed", error: batch.error } : { status: "pending" },
          )
        }
      })
    }
  })
})
