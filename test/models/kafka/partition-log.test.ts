import { describe, expect, it } from "vitest"
import { PartitionLog } from "../../../src/models/kafka/index.ts"

function logWith(...batches: [epoch: number, count: number][]): PartitionLog {
  const log = new PartitionLog()
  let next = 0
  for (const [epoch, count] of batches) {
    log.append(
      epoch,
      -1,
      -1,
      Array.from({ length: count }, () => next++),
    )
  }
  return log
}

describe("PartitionLog", () => {
  it("assigns consecutive offsets and tracks the log end offset", () => {
    const log = logWith([0, 3], [0, 2])

    expect(log.endOffset).toBe(5)
    expect(log.batches.map((batch) => batch.baseOffset)).toEqual([0, 3])
    expect(log.recordIds()).toEqual([0, 1, 2, 3, 4])
  })

  it("answers the end offset of an epoch as the start of the next one, and the LEO for the latest", () => {
    const log = logWith([0, 3], [2, 4], [5, 1])

    expect(log.endOffsetForEpoch(0)).toEqual({ epoch: 0, endOffset: 3 })
    expect(log.endOffsetForEpoch(1)).toEqual({ epoch: 0, endOffset: 3 })
    expect(log.endOffsetForEpoch(2)).toEqual({ epoch: 2, endOffset: 7 })
    expect(log.endOffsetForEpoch(9)).toEqual({ epoch: 5, endOffset: 8 })
  })

  it("truncates inside a batch, drops later epochs and lowers the high watermark", () => {
    const log = logWith([0, 3], [2, 4])
    log.highWatermark = 6

    expect(log.truncateTo(4)).toBe(3)
    expect(log.endOffset).toBe(4)
    expect(log.recordIds()).toEqual([0, 1, 2, 3])
    expect(log.highWatermark).toBe(4)
    expect(log.truncateTo(3)).toBe(1)
    expect(log.latestEpoch).toBe(0)
  })
})
