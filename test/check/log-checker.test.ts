/**
 * The log checker, one Maelstrom anomaly at a time, then on a small replicated-log model built on
 * the kernel.
 */
import { describe, expect, it } from "vitest"
import { checkLog, type LogHistory, offsetRanges } from "../../src/check/core/log-checker.ts"
import { Simulation } from "../../src/kernel/simulation.ts"
import { lawCheckerAcceptsFaultFreeRuns, lawCheckerRejectsKnownBadRun } from "../laws/index.ts"

/** p0 with values 1..5 at offsets 0..4, everything acknowledged with its offset. */
function healthy(): LogHistory {
  const entries = [1, 2, 3, 4, 5].map((value, offset) => ({ key: "p0", offset, value }))
  return {
    acknowledged: entries.map(({ key, offset, value }) => ({ key, offset, value })),
    final: entries,
    reads: entries.map((entry) => ({ reader: "c1", ...entry })),
  }
}

function verdict(history: LogHistory, name: string) {
  return checkLog(history).find((result) => result.name === name)
}

/**
 * A producer appends to a leader every 10ms; a follower copies each record 5-7ms later; a consumer
 * reads the follower's copy. With acks "all" the client is acknowledged when the follower has the
 * record, with acks "1" as soon as the leader has it. If the leader crashes at `crashLeaderAt`, the
 * follower's log becomes the final log.
 */
function replicatedLog(seed: number, acks: "all" | "1" = "all", crashLeaderAt = Infinity): LogHistory {
  const sim = new Simulation({ seed })
  const leader: number[] = []
  const follower: number[] = []
  const acknowledged: { key: string; value: number; offset: number }[] = []
  const reads: { reader: string; key: string; offset: number; value: number }[] = []
  const jitter = sim.random("jitter")
  sim.spawn(
    (function* () {
      for (let value = 1; value <= 8; value++) {
        yield* sim.sleep(10)
        if (sim.now >= crashLeaderAt) return
        const offset = leader.push(value) - 1
        if (acks === "1") acknowledged.push({ key: "p0", value, offset })
        sim.spawn(
          (function* () {
            yield* sim.sleep(5 + jitter.integer(0, 2))
            if (sim.now >= crashLeaderAt) return
            follower[offset] = value
            if (acks === "all") acknowledged.push({ key: "p0", value, offset })
            reads.push({ reader: "consumer", key: "p0", offset, value })
          })(),
        )
      }
    })(),
  )
  sim.run()
  const finalLog = crashLeaderAt === Infinity ? leader : follower
  return { acknowledged, reads, final: finalLog.map((value, offset) => ({ key: "p0", offset, value })) }
}

describe("checkLog", () => {
  it("holds every verdict on a healthy history, in a fixed order", () => {
    expect(checkLog(healthy())).toEqual([
      { name: "no-acked-write-lost", held: true, detail: "all 5 acknowledged writes are in the final log" },
      { name: "no-acked-write-unobserved", held: true, detail: "all 5 acknowledged writes were read" },
      { name: "offsets-monotonic", held: true, detail: "offsets increase along 1 final logs and 5 reads" },
      { name: "no-offset-skipped", held: true, detail: "no reader skipped an offset in 5 reads" },
      { name: "no-duplicate", held: true, detail: "every value sits at one offset" },
      { name: "offsets-consistent", held: true, detail: "every offset holds one value" },
    ])
  })

  it("leaves out the reader verdicts when no reads are given", () => {
    const { reads: _reads, ...withoutReads } = healthy()

    expect(checkLog(withoutReads).map((result) => result.name)).toEqual([
      "no-acked-write-lost",
      "offsets-monotonic",
      "no-duplicate",
      "offsets-consistent",
    ])
  })

  it("reports acknowledged offsets 2-4 lost after the final log was truncated to 2 entries", () => {
    const history = { ...healthy(), final: healthy().final.slice(0, 2) }

    expect(verdict(history, "no-acked-write-lost")).toEqual({
      name: "no-acked-write-lost",
      held: false,
      detail:
        "p0: offsets 2-4 acknowledged (values 3, 4, 5), then lost: not in the final log; 3 of 5 acknowledged writes lost",
    })
  })

  it("names lost values when the acknowledgements carried no offset", () => {
    const history: LogHistory = { acknowledged: [{ value: "x" }, { value: "y" }], final: [{ offset: 0, value: "y" }] }

    expect(verdict(history, "no-acked-write-lost")?.detail).toBe(
      "value x acknowledged, then lost: not in the final log; 1 of 2 acknowledged writes lost",
    )
  })

  it("reports an acknowledged write that no reader saw as unobserved", () => {
    const history = { ...healthy(), reads: healthy().reads!.filter((read) => read.value !== 4) }

    expect(verdict(history, "no-acked-write-unobserved")?.detail).toBe(
      "p0: offset 3 acknowledged (value 4), but never read; 1 of 5 acknowledged writes unobserved",
    )
    expect(verdict(history, "no-offset-skipped")?.detail).toBe(
      "reader c1 on p0 jumped from offset 2 to 4, skipping 3 of the final log; 1 skip in all",
    )
  })

  it("reports a reader going back as non-monotonic", () => {
    const reads = healthy().reads!
    const history = { ...healthy(), reads: [reads[0]!, reads[2]!, reads[1]!] }

    expect(verdict(history, "offsets-monotonic")).toEqual({
      name: "offsets-monotonic",
      held: false,
      detail: "reader c1 on p0 read offset 1 (value 2) after offset 2",
    })
  })

  it("reports a final log whose offsets go back as non-monotonic", () => {
    const history: LogHistory = {
      acknowledged: [],
      final: [
        { offset: 1, value: "a" },
        { offset: 1, value: "b" },
      ],
    }

    expect(verdict(history, "offsets-monotonic")?.detail).toBe("the final log has offset 1 (value b) after offset 1")
  })

  it("reports a value stored twice as duplicated", () => {
    const history = { ...healthy(), final: [...healthy().final, { key: "p0", offset: 5, value: 3 }] }

    expect(verdict(history, "no-duplicate")?.detail).toBe("p0: value 3 at offsets 2, 5; 1 value duplicated in all")
  })

  it("reports an offset holding two values as inconsistent, naming both sources", () => {
    const history: LogHistory = {
      acknowledged: [{ key: "p1", value: 21, offset: 10 }],
      final: [{ key: "p1", offset: 10, value: 17 }],
    }

    expect(verdict(history, "offsets-consistent")?.detail).toBe(
      "p1: offset 10 holds 17 in the final log but 21 in an acknowledgement; 1 offset disagree in all",
    )
  })

  it("checks each key on its own: the same value in two partitions is no duplicate", () => {
    const history: LogHistory = {
      acknowledged: [
        { key: "p0", value: 1 },
        { key: "p1", value: 1 },
      ],
      final: [
        { key: "p0", offset: 0, value: 1 },
        { key: "p1", offset: 0, value: 1 },
      ],
    }

    expect(checkLog(history).every((result) => result.held)).toBe(true)
  })

  it("accepts every fault-free run of a replicated log (law: checker accepts fault-free runs)", () => {
    for (const seed of [1, 2, 3]) lawCheckerAcceptsFaultFreeRuns(replicatedLog, checkLog, seed)
  })

  it("accepts a leader crash with acks=all: the unreplicated record was never acknowledged", () => {
    const results = checkLog(replicatedLog(1, "all", 43))

    expect(results.filter((result) => !result.held)).toEqual([])
  })

  it("rejects a leader crash with acks=1: offset 3 was acknowledged by the leader alone (law: checker rejects a known-bad run)", () => {
    // The leader appends values 1-4 at t=10, 20, 30, 40; the follower copies each 5-7ms later, so
    // when the leader crashes at t=43 the follower holds values 1-3 and value 4 is gone.
    const run = replicatedLog(1, "1", 43)

    expect(run.final.map((entry) => entry.value)).toEqual([1, 2, 3])
    lawCheckerRejectsKnownBadRun(run, checkLog, {
      name: "no-acked-write-lost",
      detail:
        /^p0: offset 3 acknowledged \(value 4\), then lost: not in the final log; 1 of 4 acknowledged writes lost$/,
    })
  })
})

describe("offsetRanges", () => {
  it("collapses consecutive offsets into ranges", () => {
    expect(offsetRanges([9, 4, 5, 6, 12, 11])).toBe("4-6, 9, 11-12")
  })
})
