import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  formatMlfqTraceLine,
  Mlfq,
  type MlfqJobSpec,
  type MlfqOptions,
  type MlfqResult,
  parseMlfqJobs,
  pythonFixed,
  randomMlfqJobs,
  runMlfq,
} from "../../../src/models/sched/index.ts"
import { lawSameSeedSameTrace, lawTimeNeverGoesBackwards, tracedRunOf } from "../../laws/index.ts"

interface MlfqFixture {
  readonly command: string
  readonly options: MlfqOptions & { readonly jobs?: string; readonly random?: { seed: number; count: number } }
  readonly jobs: readonly (readonly [number, number])[]
  readonly average: readonly [string, string]
  readonly traceLines: number
  readonly traceSha256: string
}

const fixtures = JSON.parse(readFileSync(join(import.meta.dirname, "ostep-fixtures.json"), "utf8")) as {
  mlfq: MlfqFixture[]
}

function jobs(text: string): MlfqJobSpec[] {
  const parsed = parseMlfqJobs(text)
  if (!parsed.ok) throw new Error(parsed.error)
  return parsed.value
}

function run(text: string, options: MlfqOptions = {}): MlfqResult {
  return runMlfq(new Simulation(), jobs(text), options)
}

function stats(result: MlfqResult): [number, number][] {
  return result.jobs.map((job) => [job.response, job.turnaround])
}

/** mlfq.py's -c trace lines (blank lines dropped), as this model prints them. */
function traceLines(result: MlfqResult): string[] {
  return result.trace.flatMap((line) => formatMlfqTraceLine(line).split("\n"))
}

describe("Mlfq against OSTEP's mlfq.py (docs/scheduling.md)", () => {
  it("runs one 200-tick job in 200 ticks (--jlist 0,200,0 -q 10)", () => {
    const result = run("0,200,0", { quantum: 10 })

    expect(stats(result)).toEqual([[0, 200]])
  })

  it("lets a short job that arrives at t=100 finish in 20 ticks while the long one waits (figure 8.3)", () => {
    const result = run("0,180,0:100,20,0", { quantum: 10 })

    expect(stats(result)).toEqual([
      [0, 200],
      [0, 20],
    ])
    expect(result.avgTurnaround).toBe(110)
    expect(result.ran.slice(100, 110).every((job) => job === 1)).toBe(true)
    expect(result.ranPriority.slice(100, 110).every((priority) => priority === 2)).toBe(true)
    expect(result.ranPriority.slice(110, 120).every((priority) => priority === 1)).toBe(true)
    expect(result.ran[120]).toBe(0)
    expect(result.ranPriority[120]).toBe(0)
  })

  it("gives J0 (0,300), J1 (0,155), J2 (5,160) for two interactive jobs beside a long one (-i 1)", () => {
    const result = run("0,200,0:100,50,5:100,50,5", { quantum: 10, ioTime: 1 })

    expect(stats(result)).toEqual([
      [0, 300],
      [0, 155],
      [5, 160],
    ])
  })

  it("gives J0 (0,300), J1 (10,165), J2 (15,170) with a boost every 50 ticks (-B 50): the boost restores a full quantum", () => {
    const result = run("0,200,0:100,50,5:100,50,5", { quantum: 10, ioTime: 1, boost: 50 })

    expect(stats(result)).toEqual([
      [0, 300],
      [10, 165],
      [15, 170],
    ])
    expect(result.avgResponse).toBeCloseTo(8.33, 2)
    expect(result.avgTurnaround).toBeCloseTo(211.67, 2)
  })

  it("lets a job that does I/O every 9 ticks game the old rules (-S): turnaround 111, against 251 under rule 4", () => {
    const gamed = run("0,200,0:50,100,9", { queues: 3, quantum: 10, ioTime: 1, stay: true })
    const fair = run("0,200,0:50,100,9", { queues: 3, quantum: 10, ioTime: 1 })

    expect(stats(gamed)).toEqual([
      [0, 300],
      [0, 111],
    ])
    expect(stats(fair)).toEqual([
      [0, 290],
      [0, 251],
    ])
  })

  it("draws mlfq.py's random jobs for seed 0 (84/7, 42/3, 51/4) and gives J0 (0,180), J1 (7,161), J2 (10,171)", () => {
    const drawn = randomMlfqJobs(0, 3, 100, 10)

    expect(drawn.map((job) => [job.runTime, job.ioFreq])).toEqual([
      [84, 7],
      [42, 3],
      [51, 4],
    ])
    expect(stats(runMlfq(new Simulation(), drawn))).toEqual([
      [0, 180],
      [7, 161],
      [10, 171],
    ])
  })

  it("prints mlfq.py's trace lines word for word", () => {
    const lines = traceLines(run("0,12,5", { quantum: 10, ioTime: 2 }))

    expect(lines.slice(0, 8)).toEqual([
      "[ time 0 ] JOB BEGINS by JOB 0",
      "[ time 0 ] Run JOB 0 at PRIORITY 2 [ TICKS 9 ALLOT 1 TIME 11 (of 12) ]",
      "[ time 1 ] Run JOB 0 at PRIORITY 2 [ TICKS 8 ALLOT 1 TIME 10 (of 12) ]",
      "[ time 2 ] Run JOB 0 at PRIORITY 2 [ TICKS 7 ALLOT 1 TIME 9 (of 12) ]",
      "[ time 3 ] Run JOB 0 at PRIORITY 2 [ TICKS 6 ALLOT 1 TIME 8 (of 12) ]",
      "[ time 4 ] Run JOB 0 at PRIORITY 2 [ TICKS 5 ALLOT 1 TIME 7 (of 12) ]",
      "[ time 5 ] IO_START by JOB 0",
      "IO DONE",
    ])
    expect(lines.slice(8, 10)).toEqual(["[ time 5 ] IDLE", "[ time 6 ] IDLE"])
    expect(lines[10]).toBe("[ time 7 ] IO_DONE by JOB 0")
  })

  it(`reproduces every recorded mlfq.py trace tick for tick (${fixtures.mlfq.length} runs: boosts, -S, -I, -Q, -A, random jobs)`, () => {
    const mismatches: string[] = []
    for (const recorded of fixtures.mlfq) {
      const { jobs: text, random, ...options } = recorded.options
      const specs = random !== undefined ? randomMlfqJobs(random.seed, random.count, 100, 10) : jobs(text!)
      const result = runMlfq(new Simulation(), specs, options)
      const lines = traceLines(result)
      const digest = createHash("sha256").update(lines.join("\n")).digest("hex")
      const average = [pythonFixed(result.avgResponse, 2), pythonFixed(result.avgTurnaround, 2)]
      if (
        digest !== recorded.traceSha256 ||
        JSON.stringify(stats(result)) !== JSON.stringify(recorded.jobs) ||
        JSON.stringify(average) !== JSON.stringify(recorded.average)
      ) {
        mismatches.push(`${recorded.command}: ${lines.length} lines (recorded ${recorded.traceLines})`)
      }
    }

    expect(mismatches).toEqual([])
  })
})

describe("Mlfq rules", () => {
  it("puts a job back at the front of its queue after I/O with --io-bump, at the back without", () => {
    const bumped = run("0,30,0:0,30,2", { queues: 1, quantum: 10, ioTime: 1, ioBump: true })
    const plain = run("0,30,0:0,30,2", { queues: 1, quantum: 10, ioTime: 1 })

    expect(bumped.ran.slice(0, 16)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 0])
    expect(plain.ran.slice(0, 16)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0])
  })

  it("lets arrivals join behind the jobs the boost moved up", () => {
    const result = run("0,40,0:20,5,0", { queues: 2, quantum: 5, boost: 20 })

    expect(result.ran.slice(20, 30)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
  })

  it("keeps a job at the lowest level with a fresh quantum, and uses -Q and -A highest first", () => {
    const result = run("0,40,0", { quantumList: [2, 4, 8], allotmentList: [1, 2, 1] })

    expect(result.quantum).toEqual([8, 4, 2])
    expect(result.allotment).toEqual([1, 2, 1])
    expect(result.ranPriority.slice(0, 20)).toEqual([2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
  })

  it("measures each job's longest wait in a row", () => {
    const result = run("0,180,0:100,20,0")

    expect(result.jobs.map((job) => [job.longestWait, job.longestWaitFrom])).toEqual([
      [20, 100],
      [0, -1],
    ])
  })

  it("rejects an allotment list of the wrong length and a quantum of 0", () => {
    expect(() => run("0,10,0", { queues: 3, allotmentList: [1, 1] })).toThrow(/one entry per queue/)
    expect(() => run("0,10,0", { quantum: 0 })).toThrow(/quantum/)
  })
})

describe("Mlfq laws", () => {
  const build = (seed: number) => {
    const sim = new Simulation({ seed, trace: { keep: Infinity } })
    new Mlfq(sim, randomMlfqJobs(seed, 4, 60, 8), { boost: 25, ioTime: 3 })
    return tracedRunOf(sim)
  }

  it("gives the same trace for the same jobs, twice", () => {
    expect(lawSameSeedSameTrace(build, 5, { label: "mlfq", minRecords: 50 }).records).toBeGreaterThan(50)
  })

  it("never moves time backwards", () => {
    const sim = new Simulation()
    new Mlfq(sim, jobs("0,30,4:3,20,0"), { ioTime: 2 })

    expect(lawTimeNeverGoesBackwards(sim).endTime).toBeGreaterThanOrEqual(50)
  })
})
