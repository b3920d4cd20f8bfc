import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import { BottleneckLink, DROPPED_QUEUE_FULL, LOST_AT_RANDOM } from "../../../src/models/tcp/index.ts"

describe("BottleneckLink", () => {
  it("serialises 1500 bytes in 1.2ms at 10 Mbit/s, queues 2 behind the one on the wire and drops the rest (drop-tail)", () => {
    const sim = new Simulation()
    const link = new BottleneckLink(sim, { bandwidthMbps: 10, queuePackets: 2 })

    const departures = Array.from({ length: 5 }, () => link.offer(1500))

    expect(departures.map((d) => (d < 0 ? d : Number(d.toFixed(9))))).toEqual([
      1.2,
      2.4,
      3.6,
      DROPPED_QUEUE_FULL,
      DROPPED_QUEUE_FULL,
    ])
    expect([link.accepted, link.droppedFull, link.lastWaiting]).toEqual([3, 2, 2])
    expect(Number(link.queueDelayMaxMs.toFixed(9))).toBe(2.4)
  })

  it("makes room as packets leave: at t=1.3ms the first has gone and one more fits", () => {
    const sim = new Simulation()
    const link = new BottleneckLink(sim, { bandwidthMbps: 10, queuePackets: 2 })
    for (let i = 0; i < 3; i++) link.offer(1500)
    let later = 0

    sim.timeout(1.3).onProcessed(() => {
      later = link.offer(1500)
    })
    sim.run()

    expect(Number(later.toFixed(9))).toBe(4.8)
    expect(Number(link.lastQueueDelayMs.toFixed(9))).toBe(2.3)
  })

  it("counts busy time only up to the end of the measurement", () => {
    const sim = new Simulation()
    const link = new BottleneckLink(sim, { bandwidthMbps: 10, queuePackets: 10, measureUntilMs: 3 })

    for (let i = 0; i < 4; i++) link.offer(1500)

    expect(link.busyMs).toBe(3)
  })

  it("loses packets at random from its own stream, the same ones for the same seed, none at probability 0", () => {
    const lossesOf = (seed: number, lossProbability: number): number[] => {
      const sim = new Simulation({ seed })
      const link = new BottleneckLink(sim, { queuePackets: 1000, lossProbability })
      return Array.from({ length: 200 }, (_, i) => (link.offer(40) === LOST_AT_RANDOM ? i : -1)).filter((i) => i >= 0)
    }

    const a = lossesOf(3, 0.1)

    expect(a).toEqual(lossesOf(3, 0.1))
    expect(a.length).toBeGreaterThan(5)
    expect(a.length).toBeLessThan(40)
    expect(lossesOf(3, 0)).toEqual([])
  })

  it("refuses a loss probability outside [0, 1)", () => {
    expect(() => new BottleneckLink(new Simulation(), { lossProbability: 1 })).toThrow(/\[0, 1\)/)
  })
})
