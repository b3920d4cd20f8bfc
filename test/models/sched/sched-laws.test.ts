/**
 * The law block of the scheduling models, one per machine: same seed → same trace, time never
 * goes backwards, the checks (`schedule-checks.ts`) accept healthy runs on several seeds, and
 * reject known-bad runs — a real one where a design is meant to fail (process-run switching only
 * at the end idles the CPU while a process is ready), doctored results where no healthy
 * configuration can break the invariant.
 */
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  type JobSpec,
  MlfqScenario,
  type MlfqScenarioOptions,
  type MlfqScenarioResult,
  mlfqChecks,
  parseProcessList,
  ProcessRunScenario,
  type ProcessRunScenarioOptions,
  type ProcessRunScenarioResult,
  processRunChecks,
  randomMlfqJobs,
  randomPrograms,
  randomSchedulerBursts,
  type ScheduleResult,
  ScheduleScenario,
  type ScheduleScenarioOptions,
  scheduleChecks,
  SCHEDULING_POLICIES,
} from "../../../src/models/sched/index.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8]

/** Six jobs drawn from the seed (as scheduler.py -s), arriving over three instants, every other one with I/O. */
function randomJobs(seed: number): JobSpec[] {
  return randomSchedulerBursts(seed, 6, 9).map((burst, i) => ({
    arrival: i % 3,
    bursts: i % 2 === 0 ? [burst] : [burst, 2, 1],
    priority: i % 3,
  }))
}

function scheduleOptions(seed: number, options: Omit<ScheduleScenarioOptions, "jobs">): ScheduleScenarioOptions {
  return { jobs: randomJobs(seed), ...options }
}

function schedule(seed: number, options: Omit<ScheduleScenarioOptions, "jobs">): ScheduleResult {
  return new ScheduleScenario(new Simulation({ seed }), scheduleOptions(seed, options)).run()
}

function mlfqOptions(seed: number, options: Omit<MlfqScenarioOptions, "jobs"> = {}): MlfqScenarioOptions {
  return { jobs: randomMlfqJobs(seed, 4, 60, 8), ioTime: 3, ...options }
}

function mlfq(seed: number, options: Omit<MlfqScenarioOptions, "jobs"> = {}): MlfqScenarioResult {
  return new MlfqScenario(new Simulation({ seed }), mlfqOptions(seed, options)).run()
}

function processRunOptions(seed: number, options: Omit<ProcessRunScenarioOptions, "programs"> = {}) {
  const list = parseProcessList("6:60,5:40,4:80")
  if (!list.ok) throw new Error(list.error)
  return { programs: randomPrograms(seed, list.value), ...options }
}

function processRun(seed: number, options: Omit<ProcessRunScenarioOptions, "programs"> = {}): ProcessRunScenarioResult {
  return new ProcessRunScenario(new Simulation({ seed }), processRunOptions(seed, options)).run()
}

describe("CPU scheduler laws", () => {
  it("gives the same trace for the same seed: rr on two cores with switches and I/O", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const sim = new Simulation({ seed, trace: { keep: Infinity } })
        const scenario = new ScheduleScenario(
          sim,
          scheduleOptions(seed, { policy: "rr", quantum: 2, cores: 2, contextSwitch: 0.25 }),
        )
        return tracedRunOf(sim, () => void scenario.run())
      },
      5,
      { label: "cpu scheduler", minRecords: 30 },
    )

    expect(report.records).toBeGreaterThan(30)
  })

  it("never moves the clock backwards, step by step (stcf with switch cost and I/O)", () => {
    const sim = new Simulation({ seed: 3 })
    new ScheduleScenario(sim, scheduleOptions(3, { policy: "stcf", contextSwitch: 0.1 }))

    const report = lawTimeNeverGoesBackwards(sim)

    expect(report.steps).toBeGreaterThan(20)
  })

  it("accepts every policy's healthy runs on eight seeds, on one core and on two", () => {
    for (const seed of SEEDS) {
      for (const policy of SCHEDULING_POLICIES) {
        for (const cores of [1, 2]) {
          const options = { policy, cores, quantum: 2, contextSwitch: 0.5, aging: 3 }
          const verdicts = lawCheckerAcceptsFaultFreeRuns(
            (s) => schedule(s, options),
            (r) => scheduleChecks(r, options),
            seed,
          )
          expect(verdicts.map((verdict) => verdict.name)).toEqual(["work-conserving", "waits-add-up"])
        }
      }
    }
  })

  it("accepts round robin's response bound with every job at 0 on eight seeds", () => {
    const options = { policy: "rr" as const, quantum: 3 }
    for (const seed of SEEDS) {
      const jobs = randomSchedulerBursts(seed, 5, 10).map((burst) => ({ arrival: 0, bursts: [burst] }))
      const run = () => new ScheduleScenario(new Simulation({ seed }), { jobs, ...options }).run()

      const verdicts = lawCheckerAcceptsFaultFreeRuns(run, (r) => scheduleChecks(r, options), seed)

      expect(verdicts.map((verdict) => verdict.name)).toEqual(["work-conserving", "waits-add-up", "rr-response-bound"])
    }
  })

  it("rejects a schedule where the CPU idles while a job is ready, naming the gap", () => {
    const options = { policy: "fifo" as const }
    const healthy = schedule(1, options)
    const first = healthy.slices[0]!
    const late = { ...first, start: first.start + 1, end: first.end + 1 }
    const idle: ScheduleResult = { ...healthy, slices: [late, ...healthy.slices.slice(1)] }

    lawCheckerRejectsKnownBadRun(idle, (r) => scheduleChecks(r, options), {
      name: "work-conserving",
      detail: /^a core idled from t=0\.00 to t=1\.00 while job 0 was ready/,
    })
  })

  it("rejects waits that do not add up to turnaround minus CPU and I/O", () => {
    const options = { policy: "sjf" as const }
    const healthy = schedule(2, options)
    const job = healthy.jobs[0]!
    const padded: ScheduleResult = { ...healthy, jobs: [{ ...job, wait: job.wait + 5 }, ...healthy.jobs.slice(1)] }

    lawCheckerRejectsKnownBadRun(padded, (r) => scheduleChecks(r, options), {
      name: "waits-add-up",
      detail: /^Σ wait /,
    })
  })

  it("rejects a round-robin job that first ran later than k·q", () => {
    const options = { policy: "rr" as const, quantum: 1 }
    const jobs = [5, 5, 5].map((burst) => ({ arrival: 0, bursts: [burst] }))
    const healthy = new ScheduleScenario(new Simulation(), { jobs, ...options }).run()
    const slow: ScheduleResult = {
      ...healthy,
      jobs: healthy.jobs.map((job) => (job.id === 2 ? { ...job, response: 4 } : job)),
    }

    lawCheckerRejectsKnownBadRun(slow, (r) => scheduleChecks(r, options), {
      name: "rr-response-bound",
      detail: /^job 2 first ran at t=4\.00, later than 2·q = 2\.00/,
    })
  })
})

describe("MLFQ laws", () => {
  it("gives the same trace for the same seed, with a boost and I/O", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const sim = new Simulation({ seed, trace: { keep: Infinity } })
        const scenario = new MlfqScenario(sim, mlfqOptions(seed, { boost: 25 }))
        return tracedRunOf(sim, () => void scenario.run())
      },
      7,
      { label: "mlfq", minRecords: 100 },
    )

    expect(report.records).toBeGreaterThan(100)
  })

  it("never moves the clock backwards, tick by tick", () => {
    const sim = new Simulation({ seed: 2 })
    new MlfqScenario(sim, mlfqOptions(2))

    const report = lawTimeNeverGoesBackwards(sim)

    expect(report.steps).toBeGreaterThan(50)
  })

  it("accepts healthy runs on eight seeds, with and without a boost", () => {
    for (const seed of SEEDS) {
      for (const boost of [0, 20]) {
        const options = { boost, ioBump: false }
        const verdicts = lawCheckerAcceptsFaultFreeRuns(
          (s) => mlfq(s, options),
          (r) => mlfqChecks(r, options),
          seed,
        )
        const names = boost > 0 ? ["priority-rises-only-by-boost", "bounded-wait"] : ["priority-rises-only-by-boost"]
        expect(verdicts.map((verdict) => verdict.name)).toEqual(names)
      }
    }
  })

  it("rejects a trace where a job's priority rises without a boost", () => {
    const options = { boost: 0, ioBump: false }
    const healthy = mlfq(1, options)
    const ran = healthy.trace.findIndex((line) => line.type === "TickRan" && line.priority === 0)
    expect(ran).toBeGreaterThan(0)
    const risen = healthy.trace.map((line, i) => (i > ran && line.type === "TickRan" ? { ...line, priority: 2 } : line))
    const bad: MlfqScenarioResult = { ...healthy, trace: risen }

    lawCheckerRejectsKnownBadRun(bad, (r) => mlfqChecks(r, options), {
      name: "priority-rises-only-by-boost",
      detail: /^job \d+ rose from priority 0 to 2 at t=\d+ without a boost$/,
    })
  })

  it("rejects a run whose longest wait exceeds the boost bound, naming the job and the bound", () => {
    const options = { boost: 20, ioBump: false }
    const healthy = mlfq(3, options)
    const starved = {
      ...healthy,
      jobs: healthy.jobs.map((job) => (job.id === 1 ? { ...job, longestWait: 1000 } : job)),
    }

    lawCheckerRejectsKnownBadRun(starved, (r) => mlfqChecks(r, options), {
      name: "bounded-wait",
      detail: /^the longest wait was 1000 ticks \(job 1\); bound: boost 20 \+ 3 other job\(s\) × top quantum 10 = 50$/,
    })
  })
})

describe("process-run laws", () => {
  it("gives the same trace for the same programs, twice", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const sim = new Simulation({ seed, trace: { keep: Infinity } })
        const scenario = new ProcessRunScenario(sim, processRunOptions(seed, { ioLength: 3 }))
        return tracedRunOf(sim, () => void scenario.run())
      },
      4,
      { label: "process-run", minRecords: 15 },
    )

    expect(report.records).toBeGreaterThan(15)
  })

  it("never moves the clock backwards, tick by tick", () => {
    const sim = new Simulation({ seed: 5 })
    new ProcessRunScenario(sim, processRunOptions(5))

    const report = lawTimeNeverGoesBackwards(sim)

    expect(report.steps).toBeGreaterThan(15)
  })

  it("accepts runs that switch on I/O on eight seeds, whether a finished I/O runs later or at once", () => {
    for (const seed of SEEDS) {
      for (const ioDone of ["later", "immediate"] as const) {
        const run = (s: number) => processRun(s, { switch: "on-io", ioDone })
        const programs = processRunOptions(seed).programs

        const verdicts = lawCheckerAcceptsFaultFreeRuns(run, (r) => processRunChecks(r, programs), seed)

        expect(verdicts.map((verdict) => verdict.name)).toEqual([
          "cpu-never-idle-while-ready",
          "cpu-busy-equals-instructions",
        ])
      }
    }
  })

  it("rejects switching only at the end: the CPU idles at t=9–13 and 17–21 while process 1 is READY (c7,i,c1,i:c3)", () => {
    const programs = [
      ["cpu", "cpu", "cpu", "cpu", "cpu", "cpu", "cpu", "io", "io_done", "cpu", "io", "io_done"],
      ["cpu", "cpu", "cpu"],
    ] as const
    const onEnd = new ProcessRunScenario(new Simulation(), { programs, switch: "on-end" }).run()

    lawCheckerRejectsKnownBadRun(onEnd, (r) => processRunChecks(r, programs), {
      name: "cpu-never-idle-while-ready",
      detail: /^the CPU idled at t=9–13, 17–21 although a process was READY$/,
    })
  })

  it("rejects a count of busy ticks that differs from the instructions executed", () => {
    const programs = processRunOptions(1).programs
    const healthy = processRun(1)
    const lost = { ...healthy, cpuBusy: healthy.cpuBusy - 1 }

    lawCheckerRejectsKnownBadRun(lost, (r) => processRunChecks(r, programs), {
      name: "cpu-busy-equals-instructions",
      detail: /^CPU busy \d+ ticks for \d+ instructions/,
    })
  })
})
