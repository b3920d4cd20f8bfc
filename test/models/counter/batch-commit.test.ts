/**
 * The batch-commit cost model: one fsync per commit, paid per batch.
 */
import { describe, expect, it } from "vitest"
import { Simulation, type TraceOf } from "../../../src/kernel/index.ts"
import {
  BatchCommitScenario,
  BatchWriter,
  checkMatchesCostModel,
  predictedBatchMs,
  type TransactionCommitted,
} from "../../../src/models/counter/index.ts"

function write(batchSize: number, fsyncJitter = 0, rows = 100) {
  const sim = new Simulation({ seed: 1 })
  const commits: TransactionCommitted[] = []
  const trace: TraceOf<TransactionCommitted> = { enabled: true, record: (event) => void commits.push(event) }
  const writer = new BatchWriter(sim, { rows, batchSize, fsyncMs: 2, rowMs: 0.5, fsyncJitter, trace })
  sim.run()
  return { commits, result: writer.result() }
}

describe("BatchWriter", () => {
  it("takes rows × (rowMs + fsyncMs) with one commit per row", () => {
    const { result } = write(1)

    expect(result.commits).toBe(100)
    expect(result.totalMs).toBeCloseTo(100 * 2.5, 9)
    expect(result.fsyncTotalMs).toBe(200)
  })

  it("takes rows × rowMs + ⌈rows / batchSize⌉ × fsyncMs with batches, the last batch smaller", () => {
    const { commits, result } = write(30)

    expect(commits.map((commit) => [commit.commit, commit.rows])).toEqual([
      [1, 30],
      [2, 30],
      [3, 30],
      [4, 10],
    ])
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
    expect(() => new BatchWriter(new Simulation(), { rows: 1, batchSize: 0, fsyncMs: 1, rowMs: 1 })).toThrow(
      /batchSize must be an integer >= 1, got 0/,
    )
  })
})

describe("BatchCommitScenario", () => {
  const options = { rows: 100, batchSize: 30, comparedBatchSizes: [10], fsyncMs: 2, rowMs: 0.5 }

  it("runs one commit per row, the compared sizes and --batch-size side by side, and sums them up as the sim's metrics", () => {
    const scenario = new BatchCommitScenario(new Simulation({ seed: 1 }), options)

    const result = scenario.run()

    expect(scenario.batchSizes).toEqual([1, 10, 30])
    expect(result.summary()).toEqual({
      perRowCommitMs: 250,
      batchedMs: 58,
      speedup: 250 / 58,
      commits: { perRow: 100, batched: 4 },
      rowsPerSecond: { perRow: 400, batched: (100 / 58) * 1000 },
      meanAckMs: { perRow: result.perRow.meanAckMs, batched: result.batched.meanAckMs },
    })
    expect(checkMatchesCostModel(result, options)).toEqual({
      name: "matches-cost-model",
      held: true,
      detail: "every run took rows × rowMs + ⌈rows / batchSize⌉ flushes of (1 ± 0) × fsyncMs (3 batch sizes)",
    })
  })

  it("rejects a writer whose total is off the cost model, naming its batch size", () => {
    const result = new BatchCommitScenario(new Simulation({ seed: 1 }), options).run()

    const verdict = checkMatchesCostModel(result, { ...options, fsyncMs: 3 })

    expect(verdict.held).toBe(false)
    expect(verdict.detail).toBe("batch size 1 took 250ms, the model allows 350..350ms")
  })
})
