import { describe, expect, it } from "vitest"
import {
  parseBursts,
  parseMlfqJobs,
  parsePerJob,
  parseProcessList,
  parsePrograms,
  parseQueueList,
} from "../../../src/models/sched/index.ts"

describe("parseBursts", () => {
  it("reads one CPU burst per job, decimals included", () => {
    expect(parseBursts("24,3,3")).toEqual({ ok: true, value: [[24], [3], [3]] })
    expect(parseBursts("2.5,.5,1e1")).toEqual({ ok: true, value: [[2.5], [0.5], [10]] })
  })

  it("reads CPU/I-O/CPU bursts separated by /", () => {
    expect(parseBursts("5/3/5,4")).toEqual({ ok: true, value: [[5, 3, 5], [4]] })
  })

  it("rejects an empty entry, a burst of 0, words, and a job that ends with I/O, naming the job", () => {
    expect(parseBursts("3,,4")).toMatchObject({ ok: false, error: expect.stringContaining("job 1") })
    expect(parseBursts("0")).toMatchObject({ ok: false, error: expect.stringContaining("> 0") })
    expect(parseBursts("3,x")).toMatchObject({ ok: false, error: expect.stringContaining('"x"') })
    expect(parseBursts("5/3")).toMatchObject({ ok: false, error: expect.stringContaining("ends with an I/O burst") })
  })
})

describe("parsePerJob", () => {
  it("spreads a single value over every job, or takes one per job", () => {
    expect(parsePerJob("0", 3, { what: "arrival" })).toEqual({ ok: true, value: [0, 0, 0] })
    expect(parsePerJob("0,1.5,3", 3, { what: "arrival" })).toEqual({ ok: true, value: [0, 1.5, 3] })
  })

  it("rejects the wrong count, negatives, and fractions where integers are needed", () => {
    expect(parsePerJob("1,2", 3, { what: "arrival" })).toMatchObject({
      ok: false,
      error: "2 arrival values for 3 jobs; give one per job, or a single value for all",
    })
    expect(parsePerJob("-1", 3, { what: "arrival" })).toMatchObject({ ok: false })
    expect(parsePerJob("1.5", 1, { what: "priority", integer: true })).toMatchObject({
      ok: false,
      error: expect.stringContaining("an integer >= 0"),
    })
  })
})

describe("parseMlfqJobs and parseQueueList", () => {
  it("reads mlfq.py's start,runTime,ioFreq:... format", () => {
    expect(parseMlfqJobs("0,180,0:100,20,0")).toEqual({
      ok: true,
      value: [
        { start: 0, runTime: 180, ioFreq: 0 },
        { start: 100, runTime: 20, ioFreq: 0 },
      ],
    })
  })

  it("rejects two fields, a run time of 0, and a negative start", () => {
    expect(parseMlfqJobs("0,180")).toMatchObject({ ok: false, error: expect.stringContaining("start,runTime,ioFreq") })
    expect(parseMlfqJobs("0,0,0")).toMatchObject({ ok: false, error: expect.stringContaining("runTime >= 1") })
    expect(parseMlfqJobs("-1,5,0")).toMatchObject({ ok: false })
  })

  it("reads per-queue lists highest first and checks their minimum", () => {
    expect(parseQueueList("10,20,40", "quantum", 1)).toEqual({ ok: true, value: [10, 20, 40] })
    expect(parseQueueList("10,0", "quantum", 1)).toMatchObject({ ok: false, error: expect.stringContaining('"0"') })
  })
})

describe("parsePrograms and parseProcessList", () => {
  it("expands cN into N CPU instructions and i into an I/O and its I/O-done", () => {
    expect(parsePrograms("c2,i:c1")).toEqual({ ok: true, value: [["cpu", "cpu", "io", "io_done"], ["cpu"]] })
  })

  it("rejects c0, unknown opcodes and empty programs", () => {
    expect(parsePrograms("c0")).toMatchObject({ ok: false })
    expect(parsePrograms("c3,x")).toMatchObject({ ok: false, error: expect.stringContaining('"x"') })
    expect(parsePrograms("c3::c2")).toMatchObject({ ok: false, error: expect.stringContaining("process 1") })
  })

  it("reads process-run.py's X:Y process descriptions", () => {
    expect(parseProcessList("5:100,4:50")).toEqual({
      ok: true,
      value: [
        { instructions: 5, cpuPercent: 100 },
        { instructions: 4, cpuPercent: 50 },
      ],
    })
    expect(parseProcessList("5:101")).toMatchObject({ ok: false })
    expect(parseProcessList("5")).toMatchObject({ ok: false })
  })
})
