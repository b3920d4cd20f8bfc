/**
 * The batch-commit cost model: one fsync per commit, paid per batch.
 */
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import { BatchWriter, predictedBatchMs } from "../../../src/models/counter/index.ts"

function write(batchSize: number, fsyncJitter = 0, rows = 100) {
  const sim = new Simulation({ seed: 1 })
  const writer = new BatchWriter(sim, { rows, batchSize, fsyncMs: 2, rowMs: 0.5, fsyncJitter })
  sim.run()
  return { writer, result: writer.result() }
}

describe("BatchWriter", () => {
  it("takes rows × (rowMs + fsyncMs) with one commit per row", () => {
    const { result } = write(1)

    expect(result.commits).toBe(100)
    expect(result.totalMs).toBeCloseTo(100 * 2.5, 9)
    expect(result.fsyncTotalMs).toBe(200)
  })

  it("takes rows × rowMs + ⌈rows / batchSize⌉ × fsyncMs with batches, the last batch smaller", () => {
    const { writer, result } = write(30)

    expect(writer.commits.map((commit) => commit.rows)).toEqual([30, 30, 30, 10])
    expect(result.totalMs).toBeCloseTo(100 * 0.5 + 4 * 2, 9)
    expect(predictedBatchMs({ rows: 100, batchSize: 30, fsyncMs: 2, rowMs: 0.5 })).toBe(58)
  })

  it("shortens the mean wait for a commit when every row is ready at the start", () => {
    // One commit per row: row k commits at k × 2.5ms, mean (1 + 100) / 2 × 2.5 = 126.25ms.
    expect(write(1).result.meanAckMs).toBeCloseTo(126.25, 9)
    // One commit of 100 rows: every row commits at 52ms.
    expect(write(100).result.meanAckMs).toBeCloseTo(52, 9)
  })

  it("varies each flush within ±jitter of fsyncMs", () => {
    const { result } = write(1, 0.5)

    expect(result.fsyncTotalMs).toBeGreaterThan(100)
    expect(result.fsyncTotalMs).toBeLessThan(300)
    expect(result.fsyncTotalMs).not.toBe(200)
    expect(result.totalMs).toBeCloseTo(50 + result.fsyncTotalMs, 9)
  })

  it("rejects a batch size of 0", () => {
    expect(() => new BatchWriter(new Simulation(), { rows: 1, batchSize: 0, fsyncMs: 1, rowMs: 1 })).toThrow(/batchSize must be an integer >= 1, got 0/)
  })
})
