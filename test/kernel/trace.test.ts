/**
 * The trace: typed records with time and sequence, a ring of the last N, a JSON-lines sink, and a
 * hash that identifies the run and closes the trace once read.
 */
import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import { Simulation } from "../../src/kernel/simulation.ts"
import {
  firstDifference,
  Trace,
  type TraceOf,
  type TraceRecord,
  type Traced,
  TraceSample,
} from "../../src/kernel/trace.ts"

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex")
}

describe("Trace", () => {
  it("records { t, seq, type, ...fields } at the simulated time, seq counting from 0", () => {
    const sim = new Simulation({ trace: { keep: Infinity } })
    sim.spawn(
      (function* () {
        sim.trace.record("BrokerStarted", { broker: 0 })
        yield* sim.sleep(2.5)
        sim.trace.record("RecordAppended", { partition: "p0", offset: 10 })
        sim.trace.record("LeaseExpired")
      })(),
    )

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
    const base = hashOf([
      ["A", { x: 1 }],
      ["B", { y: "z" }],
    ])

    expect(
      hashOf([
        ["A", { x: 1 }],
        ["B", { y: "z" }],
      ]),
    ).toBe(base)
    expect(
      hashOf([
        ["A", { x: 2 }],
        ["B", { y: "z" }],
      ]),
    ).not.toBe(base)
    expect(
      hashOf([
        ["B", { y: "z" }],
        ["A", { x: 1 }],
      ]),
    ).not.toBe(base)
    expect(hashOf([["A", { x: 1 }]])).not.toBe(base)
    expect(
      hashOf(
        [
          ["A", { x: 1 }],
          ["B", { y: "z" }],
        ],
        1,
      ),
    ).not.toBe(base)
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

describe("Trace: typed events, lazy serialisation, listeners and samples", () => {
  interface Leased {
    readonly type: "LeaseGranted"
    readonly lease: number
    readonly holder: string
  }
  interface Expired {
    readonly type: "LeaseExpired"
    readonly lease: number
  }
  type LeaseEvent = Leased | Expired

  it("record(event) gives the same record, line and hash as record(type, fields)", () => {
    const lines: string[][] = [[], []]
    const traces = [0, 1].map((i) => new Trace(() => 1.5, { keep: Infinity, write: (line) => lines[i]!.push(line) }))
    const typed: TraceOf<LeaseEvent> = traces[0]!
    typed.record({ type: "LeaseGranted", lease: 7, holder: "c1" })
    typed.record({ type: "LeaseExpired", lease: 7 })
    traces[1]!.record("LeaseGranted", { lease: 7, holder: "c1" })
    traces[1]!.record("LeaseExpired", { lease: 7 })

    expect(lines[0]).toEqual([
      '{"t":1.5,"seq":0,"type":"LeaseGranted","lease":7,"holder":"c1"}',
      '{"t":1.5,"seq":1,"type":"LeaseExpired","lease":7}',
    ])
    expect(lines[1]).toEqual(lines[0])
    expect(traces[0]!.records()).toEqual(traces[1]!.records())
    expect(traces[0]!.hash).toBe(traces[1]!.hash)
    expect(traces[0]!.hash).toBe(sha256(lines[0]!.map((line) => line + "\n").join("")))
  })

  it("with hash: false and no sink a record is never serialised, and the hash reads 'disabled'", () => {
    const trace = new Trace(() => 0, { hash: false, keep: 2 })
    const event = {
      type: "Odd",
      toJSON(): never {
        throw new Error("serialised")
      },
    }
    trace.record(event)
    expect(trace.count).toBe(1)
    expect(trace.records()[0]!.type).toBe("Odd")
    expect(trace.hash).toBe("disabled")
  })

  it("listeners see every later record stamped with t and seq, in order", () => {
    let now = 0
    const trace = new Trace(() => now, { hash: false })
    trace.record("Before")
    const seen: Traced[] = []
    trace.listen((record) => seen.push(record))
    now = 3
    trace.record({ type: "LeaseExpired", lease: 1 })
    expect(seen).toEqual([{ t: 3, seq: 1, type: "LeaseExpired", lease: 1 }])
  })

  it("a sample keeps the first N accepted records and counts all of them", () => {
    let now = 0
    const trace = new Trace(() => now)
    const sample = new TraceSample(trace, (r): r is Traced<Expired> => r.type === "LeaseExpired", 2)
    for (let i = 0; i < 5; i++) {
      now = i
      trace.record({ type: "LeaseGranted", lease: i, holder: "c" })
      trace.record({ type: "LeaseExpired", lease: i })
    }
    expect(sample.records.map((r) => [r.t, r.lease])).toEqual([
      [0, 0],
      [1, 1],
    ])
    expect(sample.total).toBe(5)
    expect(() => new TraceSample(trace, () => true, -1)).toThrow(/limit must be >= 0, got -1/)
  })
})
