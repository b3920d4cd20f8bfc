/**
 * The trace: typed records with time and sequence, a ring of the last N, a JSON-lines sink, and a
 * hash that identifies the run and closes the trace once read.
 */
import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import { Simulation } from "../../src/kernel/simulation.ts"
import { firstDifference, Trace, type TraceRecord } from "../../src/kernel/trace.ts"

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex")
}

describe("Trace", () => {
  it("records { t, seq, type, ...fields } at the simulated time, seq counting from 0", () => {
    const sim = new Simulation({ trace: { keep: Infinity } })
    sim.spawn((function* () {
      sim.trace.record("BrokerStarted", { broker: 0 })
      yield* sim.sleep(2.5)
      sim.trace.record("RecordAppended", { partition: "p0", offset: 10 })
      sim.trace.record("LeaseExpired")
    })())

    sim.run()

    expect(sim.trace.records()).toEqual([
      { t: 0, seq: 0, type: "BrokerStarted", broker: 0 },
      { t: 2.5, seq: 1, type: "RecordAppended", partition: "p0", offset: 10 },
      { t: 2.5, seq: 2, type: "LeaseExpired" },
    ])
    expect(sim.trace.count).toBe(3)
  })

  it("keeps only the last N records in a ring, oldest first", () => {
    let now = 0
    const trace = new Trace(() => now, { keep: 3 })

    for (let i = 0; i < 7; i++) {
      now = i * 10
      trace.record("Ticked", { i })
    }

    expect(trace.records().map((r) => r.i)).toEqual([4, 5, 6])
    expect(trace.records()[0]).toEqual({ t: 40, seq: 4, type: "Ticked", i: 4 })
    expect(trace.count).toBe(7)
  })

  it("keeps no records by default, yet counts and hashes them", () => {
    const trace = new Trace(() => 0)

    trace.record("Ticked")

    expect([trace.records(), trace.count, trace.hash.length]).toEqual([[], 1, 64])
  })

  it("streams each record to the write sink as one JSON line, keys in the order t, seq, type, fields", () => {
    const lines: string[] = []
    const trace = new Trace(() => 3, { write: (line) => lines.push(line) })

    trace.record("OffsetCommitted", { group: "g1", offset: 42 })
    trace.record("MemberLeft", { member: "c2" })

    expect(lines).toEqual([
      '{"t":3,"seq":0,"type":"OffsetCommitted","group":"g1","offset":42}',
      '{"t":3,"seq":1,"type":"MemberLeft","member":"c2"}',
    ])
  })

  it("hashes the canonical JSON lines with SHA-256, each followed by a newline", () => {
    const lines: string[] = []
    const trace = new Trace(() => 1, { write: (line) => lines.push(line) })
    trace.record("A", { x: 1 })
    trace.record("B")

    expect(trace.hash).toBe(sha256(lines.map((line) => `${line}\n`).join("")))
  })

  it("gives the same hash for the same records and a different one for any change", () => {
    const hashOf = (records: [string, Record<string, unknown>][], time = 0): string => {
      const trace = new Trace(() => time)
      for (const [type, fields] of records) trace.record(type, fields)
      return trace.hash
    }
    const base = hashOf([["A", { x: 1 }], ["B", { y: "z" }]])

    expect(hashOf([["A", { x: 1 }], ["B", { y: "z" }]])).toBe(base)
    expect(hashOf([["A", { x: 2 }], ["B", { y: "z" }]])).not.toBe(base)
    expect(hashOf([["B", { y: "z" }], ["A", { x: 1 }]])).not.toBe(base)
    expect(hashOf([["A", { x: 1 }]])).not.toBe(base)
    expect(hashOf([["A", { x: 1 }], ["B", { y: "z" }]], 1)).not.toBe(base)
  })

  it("closes the trace when the hash is read: later records throw, the hash stays the same", () => {
    const trace = new Trace(() => 0)
    trace.record("A")
    const hash = trace.hash

    expect(() => trace.record("B")).toThrow("the trace hash was already read; the trace is closed")
    expect(trace.hash).toBe(hash)
  })

  it("records nothing when disabled, and says so in the hash", () => {
    const lines: string[] = []
    const trace = new Trace(() => 0, { enabled: false, keep: Infinity, write: (line) => lines.push(line) })

    trace.record("A")

    expect([trace.enabled, trace.count, trace.records(), lines, trace.hash]).toEqual([false, 0, [], [], "disabled"])
  })

  it("refuses a negative keep", () => {
    expect(() => new Trace(() => 0, { keep: -1 })).toThrow("trace keep must be >= 0, got -1")
  })
})

describe("firstDifference", () => {
  const r = (seq: number, type: string): TraceRecord => ({ t: seq, seq, type })

  it("is -1 for equal traces, the index of the first different record, or the shorter length", () => {
    expect(firstDifference([r(0, "A"), r(1, "B")], [r(0, "A"), r(1, "B")])).toBe(-1)
    expect(firstDifference([r(0, "A"), r(1, "B")], [r(0, "A"), r(1, "C")])).toBe(1)
    expect(firstDifference([r(0, "A")], [r(0, "A"), r(1, "B")])).toBe(1)
    expect(firstDifference([], [])).toBe(-1)
  })
})
