import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  idleWhileReady,
  type JobSpec,
  pythonFixed,
  randomSchedulerBursts,
  runSchedule,
  type ScheduleOptions,
  ScheduleRun,
  type SchedulingPolicy,
  waitAccountingGap,
} from "../../../src/models/sched/index.ts"
import { lawSameSeedSameTrace, lawTimeNeverGoesBackwards, tracedRunOf } from "../../laws/index.ts"

interface SchedulerFixture {
  readonly command: string
  readonly policy: SchedulingPolicy
  readonly quantum: number
  readonly lengths: readonly number[]
  readonly jobs: readonly (readonly [string, string, string])[]
  readonly average: readonly [string, string, string]
}

const fixtures = JSON.parse(readFileSync(join(import.meta.dirname, "ostep-fixtures.json"), "utf8")) as {
  scheduler: SchedulerFixture[]
  schedulerRandom: { command: string; seed: number; count: number; maxLen: number; lengths: number[] }[]
}

/** Jobs that all arrive at 0, one CPU burst each. */
function atZero(...bursts: number[]): JobSpec[] {
  return bursts.map((burst) => ({ arrival: 0, bursts: [burst] }))
}

/** Jobs from [arrival, burst] pairs. */
function arriving(...pairs: [number, number][]): JobSpec[] {
  return pairs.map(([arrival, burst]) => ({ arrival, bursts: [burst] }))
}

function averages(jobs: readonly JobSpec[], options: ScheduleOptions): [string, string, string] {
  const result = runSchedule(jobs, options)
  return [result.avgResponse, result.avgTurnaround, result.avgWait].map((value) => pythonFixed(value, 2)) as [
    string,
    string,
    string,
  ]
}

describe("CpuScheduler against OSTEP's scheduler.py (docs/scheduling.md)", () => {
  const table: [SchedulingPolicy, number[], number, [string, string, string], number[]?][] = [
    ["fifo", [200, 200, 200], 1, ["200.00", "400.00", "200.00"]],
    ["sjf", [200, 200, 200], 1, ["200.00", "400.00", "200.00"]],
    ["rr", [200, 200, 200], 1, ["1.00", "599.00", "399.00"], [598, 599, 600]],
    ["rr", [200, 200, 200], 100, ["100.00", "500.00", "300.00"]],
    ["fifo", [100, 200, 300], 1, ["133.33", "333.33", "133.33"]],
    ["sjf", [300, 200, 100], 1, ["133.33", "333.33", "133.33"]],
    ["rr", [100, 200, 300], 1, ["1.00", "465.67", "265.67"], [298, 499, 600]],
    ["fifo", [10, 10, 10], 1, ["10.00", "20.00", "10.00"]],
    ["fifo", [100, 10, 10], 1, ["70.00", "110.00", "70.00"]],
    ["sjf", [100, 10, 10], 1, ["10.00", "50.00", "10.00"]],
    ["rr", [5, 5, 5], 1, ["1.00", "14.00", "9.00"], [13, 14, 15]],
    ["sjf", [5, 5, 5], 1, ["5.00", "10.00", "5.00"]],
  ]
  for (const [policy, bursts, quantum, expected, turnarounds] of table) {
    it(`gives ${expected.join(" / ")} for -p ${policy.toUpperCase()} -q ${quantum} -l ${bursts.join(",")}`, () => {
      const result = runSchedule(atZero(...bursts), { policy, quantum })

      expect(averages(atZero(...bursts), { policy, quantum })).toEqual(expected)
      if (turnarounds !== undefined) expect(result.jobs.map((job) => job.turnaround)).toEqual(turnarounds)
    })
  }

  it("draws scheduler.py's random jobs for the same seed (-s 100 -j 3: lengths 2, 5, 8, avg turnaround 8.00)", () => {
    const lengths = randomSchedulerBursts(100, 3, 10)

    expect(lengths).toEqual([2, 5, 8])
    expect(averages(atZero(...lengths), { policy: "fifo" })).toEqual(["3.00", "8.00", "3.00"])
    for (const recorded of fixtures.schedulerRandom)
      expect(randomSchedulerBursts(recorded.seed, recorded.count, recorded.maxLen)).toEqual(recorded.lengths)
  })

  it(`matches every per-job number of ${fixtures.scheduler.length} recorded scheduler.py runs, fractional lengths included`, () => {
    const mismatches: string[] = []
    for (const recorded of fixtures.scheduler) {
      const result = runSchedule(atZero(...recorded.lengths), { policy: recorded.policy, quantum: recorded.quantum })
      const jobs = result.jobs.map((job) =>
        [job.response, job.turnaround, job.wait].map((value) => pythonFixed(value, 2)),
      )
      const average = [result.avgResponse, result.avgTurnaround, result.avgWait].map((value) => pythonFixed(value, 2))
      if (
        JSON.stringify(jobs) !== JSON.stringify(recorded.jobs) ||
        JSON.stringify(average) !== JSON.stringify(recorded.average)
      )
        mismatches.push(recorded.command)
    }

    expect(mismatches).toEqual([])
  })
})

describe("CpuScheduler on the textbook examples (docs/scheduling.md, Textbook examples)", () => {
  it("makes the convoy: FCFS with P1=24, P2=3, P3=3 waits 0, 24, 27 (avg 17), and 6, 0, 3 (avg 3) in the order P2, P3, P1", () => {
    const convoy = runSchedule(atZero(24, 3, 3), { policy: "fifo" })
    const reordered = runSchedule(atZero(3, 3, 24), { policy: "fifo" })

    expect(convoy.jobs.map((job) => job.wait)).toEqual([0, 24, 27])
    expect(convoy.avgWait).toBe(17)
    expect(convoy.avgTurnaround).toBe(27)
    expect(reordered.avgWait).toBe(3)
    expect(reordered.avgTurnaround).toBe(13)
  })

  it("gives SJF waits 3, 16, 9, 0 (avg 7) for P1=6, P2=8, P3=7, P4=3, where FCFS averages 10.25", () => {
    const sjf = runSchedule(atZero(6, 8, 7, 3), { policy: "sjf" })

    expect(sjf.jobs.map((job) => job.wait)).toEqual([3, 16, 9, 0])
    expect(sjf.avgWait).toBe(7)
    expect(runSchedule(atZero(6, 8, 7, 3), { policy: "fifo" }).avgWait).toBe(10.25)
  })

  it("gives SRTF an average wait of 6.5 for P1 0/8, P2 1/4, P3 2/9, P4 3/5, and non-preemptive SJF 7.75", () => {
    const jobs = arriving([0, 8], [1, 4], [2, 9], [3, 5])

    expect(runSchedule(jobs, { policy: "stcf" }).jobs.map((job) => job.wait)).toEqual([9, 0, 15, 2])
    expect(runSchedule(jobs, { policy: "stcf" }).avgWait).toBe(6.5)
    expect(runSchedule(jobs, { policy: "sjf" }).avgWait).toBe(7.75)
  })

  it("runs non-preemptive priority P2, P5, P1, P3, P4 with waits 6, 0, 16, 18, 1 (avg 8.2)", () => {
    const jobs = [
      [10, 3],
      [1, 1],
      [2, 4],
      [1, 5],
      [5, 2],
    ].map(([burst, priority]) => ({ arrival: 0, bursts: [burst!], priority }))

    const result = runSchedule(jobs, { policy: "priority" })

    expect([...result.jobs].sort((a, b) => a.firstRun - b.firstRun).map((job) => job.id + 1)).toEqual([2, 5, 1, 3, 4])
    expect(result.jobs.map((job) => job.wait)).toEqual([6, 0, 16, 18, 1])
    expect(result.avgWait).toBeCloseTo(8.2, 12)
  })

  it("gives RR q=4 waits 6, 4, 7 (avg 5.67) for P1=24, P2=3, P3=3", () => {
    const result = runSchedule(atZero(24, 3, 3), { policy: "rr", quantum: 4 })

    expect(result.jobs.map((job) => job.wait)).toEqual([6, 4, 7])
    expect(pythonFixed(result.avgWait, 2)).toBe("5.67")
  })

  it("reproduces the quantum sweep of P1=6, P2=3, P3=1, P4=7: avg turnaround 11, 11.5, 10.75, 11.5, 12.25, 10.5, 10.5 for q=1..7", () => {
    const sweep = [1, 2, 3, 4, 5, 6, 7].map(
      (quantum) => runSchedule(atZero(6, 3, 1, 7), { policy: "rr", quantum }).avgTurnaround,
    )

    expect(sweep).toEqual([11, 11.5, 10.75, 11.5, 12.25, 10.5, 10.5])
  })

  it("gives OSTEP's STCF example (A=100 at 0, B=C=10 at 10) avg turnaround 50, and non-preemptive SJF 103.33", () => {
    const jobs = arriving([0, 100], [10, 10], [10, 10])

    expect(runSchedule(jobs, { policy: "stcf" }).avgTurnaround).toBe(50)
    expect(pythonFixed(runSchedule(jobs, { policy: "sjf" }).avgTurnaround, 2)).toBe("103.33")
  })

  it("needs no context switch for one 10-unit job under RR at any quantum (q=12, 6, 1), and 2·ceil(10/q) − 1 for two such jobs", () => {
    const alone = [12, 6, 1].map(
      (quantum) => runSchedule(atZero(10), { policy: "rr", quantum, contextSwitch: 0.5 }).contextSwitches,
    )
    const pair = [12, 6, 1].map(
      (quantum) => runSchedule(atZero(10, 10), { policy: "rr", quantum, contextSwitch: 0.5 }).contextSwitches,
    )

    expect(alone).toEqual([0, 0, 0])
    expect(pair).toEqual([1, 3, 19])
  })
})

describe("CpuScheduler conventions within one instant", () => {
  it("queues a job that arrives as a quantum expires ahead of the preempted job (RR)", () => {
    const result = runSchedule(arriving([0, 3], [0, 3], [2, 1]), { policy: "rr", quantum: 2 })

    const order = result.slices.map((slice) => slice.job)
    expect(order).toEqual([0, 1, 2, 0, 1])
  })

  it("breaks ties first come first served: SJF keeps job order among equal bursts, STCF does not preempt on a tie", () => {
    const sjf = runSchedule(atZero(5, 3, 3, 5), { policy: "sjf" })
    const stcf = runSchedule(arriving([0, 6], [2, 4]), { policy: "stcf" })

    expect([...sjf.jobs].sort((a, b) => a.firstRun - b.firstRun).map((job) => job.id)).toEqual([1, 2, 0, 3])
    expect(stcf.preemptions).toBe(0)
    expect(stcf.jobs[1]!.firstRun).toBe(6)
  })

  it("lets a preempted job keep its place among equals: it resumes before a job that arrived after it", () => {
    const jobs = [
      { arrival: 0, bursts: [5], priority: 2 },
      { arrival: 1, bursts: [2], priority: 1 },
      { arrival: 2, bursts: [4], priority: 2 },
    ]

    const result = runSchedule(jobs, { policy: "priority-preemptive" })

    expect(result.slices.map((slice) => [slice.job, slice.start, slice.end])).toEqual([
      [0, 0, 1],
      [1, 1, 3],
      [0, 3, 7],
      [2, 7, 11],
    ])
  })

  it("lets RR keep running a job alone when its quantum expires, without charging a switch to itself", () => {
    const free = runSchedule(atZero(5), { policy: "rr", quantum: 2 })
    const costly = runSchedule(atZero(5), { policy: "rr", quantum: 2, contextSwitch: 1 })
    const tail = runSchedule(atZero(1, 5), { policy: "rr", quantum: 2, contextSwitch: 1 })

    expect(free.jobs[0]!.completion).toBe(5)
    expect(costly.jobs[0]!.completion).toBe(5)
    expect(costly.contextSwitches).toBe(0)
    expect(tail.contextSwitches).toBe(1)
    expect(tail.jobs[1]!.completion).toBe(7)
  })

  it("charges no context switch to a core that was idle", () => {
    const result = runSchedule(arriving([0, 2], [5, 2]), { policy: "fifo", contextSwitch: 1 })

    expect(result.contextSwitches).toBe(0)
    expect(result.jobs[1]!.completion).toBe(7)
  })

  it("counts the switch into a job as waiting, and starts its response clock after the switch", () => {
    const result = runSchedule(atZero(2, 2), { policy: "fifo", contextSwitch: 0.5 })

    expect(result.jobs[1]!.firstRun).toBe(2.5)
    expect(result.jobs[1]!.response).toBe(2.5)
    expect(result.jobs[1]!.wait).toBe(2.5)
    expect(result.cpuUtilisation).toBeCloseTo(4 / 4.5, 12)
  })

  it("preempts right after a context switch when a better job arrived during it (STCF)", () => {
    const result = runSchedule(arriving([0, 2], [0, 10], [2.5, 1]), { policy: "stcf", contextSwitch: 1 })

    expect(
      result.slices
        .filter((slice) => slice.kind === "run")
        .map((slice) => [slice.job, slice.start, slice.end, slice.outcome]),
    ).toEqual([
      [0, 0, 2, "done"],
      [1, 3, 3, "preempted"],
      [2, 4, 5, "done"],
      [1, 6, 16, "done"],
    ])
  })
})

describe("CpuScheduler policies beyond OSTEP", () => {
  it("ages a waiting low-priority job past a stream of better ones (priority, aging 2)", () => {
    const jobs = [
      { arrival: 0, bursts: [1], priority: 0 },
      { arrival: 0, bursts: [3], priority: 5 },
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((arrival) => ({ arrival, bursts: [1], priority: 1 })),
    ]

    const without = runSchedule(jobs, { policy: "priority" })
    const withAging = runSchedule(jobs, { policy: "priority", aging: 2 })

    expect(without.jobs[1]!.firstRun).toBe(9)
    expect(withAging.jobs[1]!.firstRun).toBeLessThan(9)
    expect(withAging.jobs[1]!.firstRun).toBe(8)
  })

  it("wakes up to preempt when aging lifts a waiting job above the running one (priority-preemptive)", () => {
    const jobs = [
      { arrival: 0, bursts: [10], priority: 2 },
      { arrival: 0, bursts: [1], priority: 5 },
    ]

    const result = runSchedule(jobs, { policy: "priority-preemptive", aging: 1.5 })

    expect(result.jobs[1]!.firstRun).toBe(6)
    expect(result.preemptions).toBe(1)
  })

  it("runs foreground class 0 round robin over background classes first come first served, preempting the background (mlq)", () => {
    const jobs = [
      { arrival: 0, bursts: [6], priority: 1 },
      { arrival: 0, bursts: [4], priority: 2 },
      { arrival: 2, bursts: [3], priority: 0 },
      { arrival: 2, bursts: [3], priority: 0 },
    ]

    const result = runSchedule(jobs, { policy: "mlq", quantum: 2 })

    expect(result.slices.map((slice) => [slice.job, slice.start, slice.end])).toEqual([
      [0, 0, 2],
      [2, 2, 4],
      [3, 4, 6],
      [2, 6, 7],
      [3, 7, 8],
      [0, 8, 12],
      [1, 12, 16],
    ])
  })

  it("overlaps one job's I/O with another's computing, and queues I/Os for the one disk", () => {
    const jobs: JobSpec[] = [
      { arrival: 0, bursts: [2, 4, 1] },
      { arrival: 0, bursts: [1, 4, 1] },
      { arrival: 0, bursts: [6] },
    ]

    const result = runSchedule(jobs, { policy: "fifo" })

    expect(result.io.map((io) => [io.job, io.requested, io.start, io.end])).toEqual([
      [0, 2, 2, 6],
      [1, 3, 6, 10],
    ])
    expect(result.jobs.map((job) => job.completion)).toEqual([10, 11, 9])
    expect(result.jobs[1]!.ioWait).toBe(3)
    expect(result.ioUtilisation).toBeCloseTo(8 / 11, 12)
    expect(idleWhileReady(result)).toEqual([])
    expect(waitAccountingGap(result).held).toBe(true)
  })

  it("uses every core: two cores finish four 4-unit jobs in 8 (fifo)", () => {
    const result = runSchedule(atZero(4, 4, 4, 4), { policy: "fifo", cores: 2 })

    expect(result.makespan).toBe(8)
    expect(result.cpuUtilisation).toBe(1)
    expect(result.jobs.map((job) => job.firstRun)).toEqual([0, 0, 4, 4])
  })

  it("rejects a job that ends with an I/O burst, and a burst of 0", () => {
    const sim = new Simulation()

    expect(() => new ScheduleRun(sim, [{ arrival: 0, bursts: [1, 2] }], { policy: "fifo" })).toThrow(
      /starting and ending with CPU/,
    )
    expect(() => new ScheduleRun(sim, [{ arrival: 0, bursts: [0] }], { policy: "fifo" })).toThrow(/> 0/)
  })
})

describe("CpuScheduler laws", () => {
  const build = (seed: number) => {
    const sim = new Simulation({ seed, trace: { keep: Infinity } })
    new ScheduleRun(
      sim,
      randomSchedulerBursts(seed, 6, 9).map((burst, i) => ({
        arrival: i % 3,
        bursts: i % 2 === 0 ? [burst] : [burst, 2, 1],
      })),
      { policy: "rr", quantum: 2, contextSwitch: 0.25 },
    )
    return tracedRunOf(sim)
  }

  it("gives the same trace for the same jobs, twice", () => {
    expect(lawSameSeedSameTrace(build, 11, { label: "cpu scheduler", minRecords: 10 }).records).toBeGreaterThan(10)
  })

  it("never moves time backwards", () => {
    const sim = new Simulation({ trace: { keep: Infinity } })
    new ScheduleRun(sim, atZero(3, 1, 2), { policy: "stcf", contextSwitch: 0.1 })

    expect(() => lawTimeNeverGoesBackwards(sim)).not.toThrow()
  })
})
