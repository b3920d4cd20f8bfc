import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  idleWhileReady,
  type JobSpec,
  runSchedule,
  SCHEDULING_POLICIES,
  type SchedulingPolicy,
} from "../../../src/models/sched/index.ts"
import { checkProperty, FC_SEED } from "../../laws/index.ts"

const testFile = "test/models/sched/cpu-scheduler.prop.test.ts"

/** A burst length: whole units, or halves (fractional times exercise the float arithmetic). */
const burst = fc.oneof(
  fc.integer({ min: 1, max: 12 }),
  fc.integer({ min: 1, max: 24 }).map((halves) => halves / 2),
)

/** 1 to 6 CPU-only jobs, arriving within 0..10, with priorities 0..3. */
const jobsArbitrary = fc
  .array(fc.record({ arrival: fc.integer({ min: 0, max: 10 }), burst, priority: fc.integer({ min: 0, max: 3 }) }), {
    minLength: 1,
    maxLength: 6,
  })
  .map((jobs) => jobs.map(({ arrival, burst: b, priority }): JobSpec => ({ arrival, bursts: [b], priority })))

/** The same jobs, all arriving at 0. */
const atZeroArbitrary = fc
  .array(burst, { minLength: 1, maxLength: 6 })
  .map((bursts) => bursts.map((b): JobSpec => ({ arrival: 0, bursts: [b] })))

const policy = fc.constantFrom(...SCHEDULING_POLICIES)
const quantum = fc.constantFrom(0.5, 1, 2, 3, 4)

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]]
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  )
}

/** Average wait of running `jobs` non-preemptively in `order`, each as early as possible. */
function nonPreemptiveAverageWait(jobs: readonly JobSpec[], order: readonly number[]): number {
  let t = 0
  let total = 0
  for (const index of order) {
    const job = jobs[index]!
    t = Math.max(t, job.arrival)
    total += t - job.arrival
    t += job.bursts[0]!
  }
  return total / jobs.length
}

interface ReferenceJob {
  readonly id: number
  readonly priority: number
  remaining: number
  seq: number
}

/**
 * A deliberately plain reference: one core, integer times, advanced one time unit at a time, with
 * the conventions of cpu-scheduler.ts written out directly (finish or quantum expiry, then arrivals
 * in job order, then the expired job at the back, then dispatch or strict preemption; ties by queue
 * position; a preempted job keeps its place). Returns each job's [first run, completion, wait].
 */
function referenceSchedule(
  jobs: readonly JobSpec[],
  policy: SchedulingPolicy,
  quantum: number,
): [number, number, number][] {
  const out = jobs.map((): [number, number, number] => [NaN, NaN, 0])
  const key = (job: ReferenceJob): number =>
    policy === "sjf" || policy === "stcf"
      ? job.remaining
      : policy === "priority" || policy === "priority-preemptive" || policy === "mlq"
        ? job.priority
        : 0
  const sliced = (job: ReferenceJob): boolean => policy === "rr" || (policy === "mlq" && job.priority === 0)
  const preemptive = policy === "stcf" || policy === "priority-preemptive" || policy === "mlq"
  const ready: ReferenceJob[] = []
  let running: ReferenceJob | null = null
  let sliceLeft = 0
  let seq = 0
  let done = 0
  const best = (): ReferenceJob | undefined => [...ready].sort((a, b) => key(a) - key(b) || a.seq - b.seq)[0]
  const take = (job: ReferenceJob, t: number): void => {
    ready.splice(ready.indexOf(job), 1)
    running = job
    sliceLeft = sliced(job) ? quantum : Infinity
    if (Number.isNaN(out[job.id]![0])) out[job.id]![0] = t
  }
  for (let t = 0; done < jobs.length; t++) {
    let expired: ReferenceJob | null = null
    const current = running as ReferenceJob | null
    if (current !== null && current.remaining === 0) {
      out[current.id]![1] = t
      done++
      running = null
    } else if (current !== null && sliceLeft === 0) {
      expired = current
      running = null
    }
    jobs.forEach((job, id) => {
      if (job.arrival === t) ready.push({ id, priority: job.priority ?? 0, remaining: job.bursts[0]!, seq: seq++ })
    })
    if (expired !== null) {
      expired.seq = seq++
      ready.push(expired)
    }
    const candidate = best()
    if (running === null && candidate !== undefined) take(candidate, t)
    else if (running !== null && preemptive && candidate !== undefined && key(candidate) < key(running)) {
      ready.push(running)
      take(candidate, t)
    }
    for (const job of ready) out[job.id]![2] += 1
    const now = running as ReferenceJob | null
    if (now !== null) {
      now.remaining -= 1
      sliceLeft -= 1
    }
  }
  return out
}

describe(`CpuScheduler properties (FC_SEED=${FC_SEED})`, () => {
  it("agrees with a one-tick-at-a-time reference scheduler on every policy (integer times, one core)", () => {
    const integerJobs = fc
      .array(
        fc.record({
          arrival: fc.integer({ min: 0, max: 10 }),
          burst: fc.integer({ min: 1, max: 8 }),
          priority: fc.integer({ min: 0, max: 2 }),
        }),
        { minLength: 1, maxLength: 6 },
      )
      .map((jobs) => jobs.map(({ arrival, burst: b, priority }): JobSpec => ({ arrival, bursts: [b], priority })))
    checkProperty(
      fc.property(integerJobs, policy, fc.integer({ min: 1, max: 4 }), (jobs, p, q) => {
        const result = runSchedule(jobs, { policy: p, quantum: q })

        const mine = result.jobs.map((job) => [job.firstRun, job.completion, job.wait])
        expect(mine).toEqual(referenceSchedule(jobs, p, q))
      }),
      { testFile, numRuns: 300 },
    )
  })

  it("never leaves a core idle while a job is ready (no I/O, no switch cost; every policy, 1-3 cores)", () => {
    checkProperty(
      fc.property(jobsArbitrary, policy, quantum, fc.integer({ min: 1, max: 3 }), (jobs, p, q, cores) => {
        const result = runSchedule(jobs, { policy: p, quantum: q, cores })

        const gaps = idleWhileReady(result)
        if (gaps.length > 0)
          throw new Error(`a core idled from ${gaps[0]!.start} to ${gaps[0]!.end} while job ${gaps[0]!.job} was ready`)
        const total = jobs.reduce((sum, job) => sum + job.bursts[0]!, 0)
        if (cores === 1 && jobs.every((job) => job.arrival === 0)) expect(result.makespan).toBeCloseTo(total, 9)
      }),
      { testFile },
    )
  })

  it("balances the books: Σ wait = Σ turnaround − Σ bursts for CPU-only jobs, switch costs included", () => {
    checkProperty(
      fc.property(
        jobsArbitrary,
        policy,
        quantum,
        fc.constantFrom(0, 0.25, 1),
        fc.constantFrom(0, 2),
        (jobs, p, q, contextSwitch, aging) => {
          const result = runSchedule(jobs, { policy: p, quantum: q, contextSwitch, aging })

          const sumWait = result.jobs.reduce((sum, job) => sum + job.wait, 0)
          const expected = result.jobs.reduce((sum, job) => sum + job.turnaround - job.burst, 0)
          expect(sumWait).toBeCloseTo(expected, 9)
          for (const job of result.jobs) expect(job.wait).toBeCloseTo(job.turnaround - job.burst, 9)
        },
      ),
      { testFile },
    )
  })

  it("gives SJF an average wait no larger than any order of the same jobs (all at time 0)", () => {
    checkProperty(
      fc.property(atZeroArbitrary, (jobs) => {
        const sjf = runSchedule(jobs, { policy: "sjf" }).avgWait

        const best = Math.min(
          ...permutations(jobs.map((_, i) => i)).map((order) => nonPreemptiveAverageWait(jobs, order)),
        )
        expect(sjf).toBeLessThanOrEqual(best + 1e-9)
      }),
      { testFile },
    )
  })

  it("gives STCF an average wait no larger than any non-preemptive schedule of the same jobs", () => {
    checkProperty(
      fc.property(jobsArbitrary, (jobs) => {
        const stcf = runSchedule(jobs, { policy: "stcf" }).avgWait

        const best = Math.min(
          ...permutations(jobs.map((_, i) => i)).map((order) => nonPreemptiveAverageWait(jobs, order)),
        )
        expect(stcf).toBeLessThanOrEqual(best + 1e-9)
      }),
      { testFile },
    )
  })

  it("starts RR's k-th job (from 1, all at time 0) within (k−1)·q", () => {
    checkProperty(
      fc.property(atZeroArbitrary, quantum, (jobs, q) => {
        const result = runSchedule(jobs, { policy: "rr", quantum: q })

        result.jobs.forEach((job, k) => expect(job.response).toBeLessThanOrEqual(k * q + 1e-9))
      }),
      { testFile },
    )
  })

  it("makes RR with a quantum at least every burst the same schedule as FIFO, arrivals and cores included", () => {
    checkProperty(
      fc.property(jobsArbitrary, fc.integer({ min: 1, max: 3 }), (jobs, cores) => {
        const longest = Math.max(...jobs.map((job) => job.bursts[0]!))

        const rr = runSchedule(jobs, { policy: "rr", quantum: longest, cores })
        const fifo = runSchedule(jobs, { policy: "fifo", cores })

        expect(rr.jobs).toEqual(fifo.jobs)
        expect(rr.slices).toEqual(fifo.slices)
      }),
      { testFile },
    )
  })
})
