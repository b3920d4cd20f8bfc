import { describe, expect, it } from "vitest"
import { RandomStreams } from "../../../src/kernel/index.ts"
import { murmur2String, partitionFor, StickyPartitioner, toPositive } from "../../../src/models/kafka/partitioner.ts"

/** Kafka's UtilsTest vectors plus two from the independent Python port (docs/kafka-replication.md). */
const VECTORS: readonly [string, number, number, number, number][] = [
  ["21", -973932308, 0, 0, 0],
  ["foobar", -790332482, 0, 0, 6],
  ["a-little-bit-long-string", -985981536, 2, 2, 8],
  ["a-little-bit-longer-string", -1486304829, 2, 5, 11],
  ["lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971, 2, 5, 5],
  ["abc", 479470107, 0, 3, 3],
  ["key1", 28543940, 2, 2, 8],
  ["", 275646681, 0, 3, 9],
]

describe("Kafka's default partitioner", () => {
  it.each(VECTORS)("hashes %j to Kafka's murmur2 value and partitions", (key, hash, of3, of6, of12) => {
    expect(murmur2String(key)).toBe(hash)
    expect([partitionFor(key, 3), partitionFor(key, 6), partitionFor(key, 12)]).toEqual([of3, of6, of12])
  })

  it("clears the sign bit instead of taking the absolute value", () => {
    expect(toPositive(-1)).toBe(0x7fffffff)
    expect(toPositive(-2147483648)).toBe(0)
  })

  it("rejects a partition count below one", () => {
    expect(() => partitionFor("a", 0)).toThrow(RangeError)
  })

  it("sticks to one partition for about batch.size bytes, then moves to another", () => {
    const sticky = new StickyPartitioner(4, 1000, new RandomStreams(7).get("sticky"))
    const picks = Array.from({ length: 30 }, () => sticky.next(100))
    for (let run = 0; run < 3; run++) {
      const chunk = picks.slice(run * 10, run * 10 + 10)
      expect(new Set(chunk).size).toBe(1)
    }
    expect(picks[10]).not.toBe(picks[9])
    expect(picks[20]).not.toBe(picks[19])
  })
})
