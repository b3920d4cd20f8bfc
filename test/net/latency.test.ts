import { describe, expect, it } from "vitest"
import { seededStream } from "../../src/kernel/index.ts"
import {
  checkLatency,
  constantLatency,
  describeLatency,
  drawLatency,
  exponentialLatency,
  uniformLatency,
} from "../../src/net/index.ts"

describe("Latency", () => {
  it("draws a constant without touching the stream", () => {
    const random = seededStream(1, "link")
    const before = seededStream(1, "link").next()

    const ms = drawLatency(constantLatency(7), random)

    expect(ms).toBe(7)
    expect(random.next()).toBe(before)
  })

  it("draws uniform latencies within [min, max) and exponential ones above the floor with the given mean", () => {
    const random = seededStream(2, "link")

    const uniform = Array.from({ length: 2000 }, () => drawLatency(uniformLatency(2, 8), random))
    const exponential = Array.from({ length: 20000 }, () => drawLatency(exponentialLatency(10, 4), random))

    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(2)
    expect(Math.max(...uniform)).toBeLessThan(8)
    expect(Math.min(...exponential)).toBeGreaterThanOrEqual(4)
    const mean = exponential.reduce((sum, ms) => sum + ms, 0) / exponential.length
    expect(mean).toBeGreaterThan(9.8)
    expect(mean).toBeLessThan(10.2)
  })

  it("refuses bad parameters and bad draws of a custom distribution, naming where", () => {
    expect(() => checkLatency(uniformLatency(5, 1), "link a->b")).toThrow(
      "link a->b: latency maxMs must be finite and >= minMs 5, got 1",
    )
    expect(() => checkLatency(exponentialLatency(3, 3), "link a->b")).toThrow(
      /meanMs must be finite and > minMs 3, got 3/,
    )
    expect(() => drawLatency(() => -1, seededStream(1, "net/link/a->b"))).toThrow(
      "net/link/a->b: the latency function returned -1",
    )
  })

  it("describes each distribution in a few words", () => {
    expect(
      [constantLatency(5), uniformLatency(2, 8), exponentialLatency(5), exponentialLatency(5, 1), () => 1].map(
        describeLatency,
      ),
    ).toEqual(["5ms", "uniform 2-8ms", "exp mean 5ms", "exp mean 5ms (min 1ms)", "custom"])
  })
})
