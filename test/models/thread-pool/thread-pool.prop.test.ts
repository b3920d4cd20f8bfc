import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Simulation, type TraceRecord } from "../../../src/kernel/index.ts"
import {
  REJECTION_POLICIES,
  type RejectionPolicy,
  submitTasks,
  ThreadPoolAudit,
  ThreadPoolExecutor,
  ThreadPoolScenario,
} from "../../../src/models/thread-pool/index.ts"
import { checkProperty, FC_SEED, lawSameSeedSameTrace, tracedRunOf } from "../../laws/index.ts"

const TEST_FILE = "test/models/thread-pool/thread-pool.prop.test.ts"

/** A pool and workload; times are multiples of 50ms so that events often coincide. */
interface Case {
  readonly core: number
  readonly max: number
  readonly queue: number
  readonly keepAliveMs: number
  readonly rejection: RejectionPolicy
  readonly durationsMs: readonly number[]
  readonly gapsMs: readonly number[]
}

const poolCase: fc.Arbitrary<Case> = fc
  .record({
    core: fc.integer({ min: 0, max: 4 }),
    extra: fc.integer({ min: 0, max: 4 }),
    queue: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.constant(Infinity)),
    keepAliveMs: fc.integer({ min: 0, max: 40 }).map((n) => n * 50),
    rejection: fc.constantFrom(...REJECTION_POLICIES),
    durationsMs: fc.array(
      fc.integer({ min: 0, max: 20 }).map((n) => n * 50),
      { minLength: 1, maxLength: 30 },
    ),
    gapsMs: fc.array(
      fc.integer({ min: 0, max: 10 }).map((n) => n * 50),
      { minLength: 30, maxLength: 30 },
    ),
  })
  .map(({ core, extra, ...rest }) => ({ ...rest, core, max: Math.max(1, core + extra) }))

/** A finished case: the pool, the checks' audit of its events, and its typed trace records. */
interface CaseRun {
  readonly pool: ThreadPoolExecutor
  readonly audit: ThreadPoolAudit
  readonly events: readonly TraceRecord[]
}

/** Runs a case event by event, calling `observe` after every event; returns the pool at the end. */
function runCase(c: Case, observe: (pool: ThreadPoolExecutor) => void = () => {}): CaseRun {
  const sim = new Simulation({ trace: { keep: Infinity } })
  const pool = new ThreadPoolExecutor(sim, {
    corePoolSize: c.core,
    maximumPoolSize: c.max,
    queueCapacity: c.queue,
    keepAliveMs: c.keepAliveMs,
    rejection: c.rejection,
  })
  const audit = new ThreadPoolAudit(sim, pool)
  sim.spawn(
    submitTasks(sim, pool, {
      tasks: c.durationsMs.length,
      durationMs: (id) => c.durationsMs[id - 1]!,
      gapMs: (id) => c.gapsMs[id - 1]!,
    }),
  )
  while (sim.step()) observe(pool)
  // The typed events without their record numbers, so two runs compare by what happened.
  const events = sim.trace.records().map(({ seq: _seq, ...event }) => event as TraceRecord)
  return { pool, audit, events }
}

/**
 * An independent reading of JDK 17's `execute()` for a burst at t=0 whose tasks all outlast the
 * burst: below core → new thread; else queue (and, with no thread alive, start one to take it);
 * else below max → new thread; else the policy. Queued tasks then start in FIFO order.
 */
function burstOracle(c: Case, tasks: number) {
  let pool = 0
  const queue: number[] = []
  const started: number[] = []
  const rejected: number[] = []
  const sizes: number[] = []
  for (let id = 1; id <= tasks; id++) {
    if (pool < c.core) {
      pool++
      started.push(id)
    } else if (queue.length < c.queue) {
      queue.push(id)
      if (pool === 0) {
        pool++
        started.push(queue.shift()!)
      }
    } else if (pool < c.max) {
      pool++
      started.push(id)
    } else if (c.rejection === "discard-oldest" && queue.length > 0) {
      rejected.push(queue.shift()!)
      queue.push(id)
    } else {
      rejected.push(id)
    }
    sizes.push(pool)
  }
  return { poolSizeAfterSubmit: sizes, rejectedTasks: rejected, startOrder: [...started, ...queue] }
}

describe(`thread pool properties (FC_SEED=${FC_SEED})`, () => {
  it("never has more threads than max nor more queued tasks than the capacity, at any event", () => {
    checkProperty(
      fc.property(poolCase, (c) => {
        runCase(c, (pool) => {
          expect(pool.poolSize).toBeLessThanOrEqual(c.max)
          expect(pool.queueLength).toBeLessThanOrEqual(c.queue)
        })
      }),
      { testFile: TEST_FILE, numRuns: 150 },
    )
  })

  it("keeps submitted = completed + rejected + queued + running after every event, and the pool's own check agrees", () => {
    checkProperty(
      fc.property(poolCase, (c) => {
        const { pool, audit } = runCase(c, (p) => {
          expect(p.submitted).toBe(p.completed + p.rejected + p.queueLength + p.running)
        })

        expect(audit.violation).toBeNull()
        expect(pool.submitted).toBe(c.durationsMs.length)
        expect(pool.completed + pool.rejected).toBe(c.durationsMs.length)
      }),
      { testFile: TEST_FILE, numRuns: 150 },
    )
  })

  it("starts every task that was not rejected exactly once: startOrder is a permutation of the rest", () => {
    checkProperty(
      fc.property(poolCase, (c) => {
        const { pool } = runCase(c)

        const all = [...pool.startOrder, ...pool.rejectedTasks].sort((a, b) => a - b)
        expect(all).toEqual(c.durationsMs.map((_, i) => i + 1))
      }),
      { testFile: TEST_FILE, numRuns: 150 },
    )
  })

  it("with an unbounded queue never exceeds core (one thread when core is 0) and never rejects", () => {
    checkProperty(
      fc.property(poolCase, (c) => {
        const unbounded = { ...c, queue: Infinity }
        const { pool } = runCase(unbounded, (p) => expect(p.poolSize).toBeLessThanOrEqual(Math.max(1, c.core)))

        expect(pool.rejected).toBe(0)
        expect(pool.firstRefusalMs).toBeNull()
      }),
      { testFile: TEST_FILE, numRuns: 100 },
    )
  })

  it("with an unbounded queue gives the same run whatever max is", () => {
    checkProperty(
      fc.property(poolCase, fc.integer({ min: 0, max: 50 }), (c, moreMax) => {
        const a = runCase({ ...c, queue: Infinity })
        const b = runCase({ ...c, queue: Infinity, max: c.max + moreMax })

        expect(b.pool.startOrder).toEqual(a.pool.startOrder)
        expect(b.events).toEqual(a.events)
      }),
      { testFile: TEST_FILE, numRuns: 60 },
    )
  })

  it("lets a thread exit only after idling exactly the keep-alive", () => {
    checkProperty(
      fc.property(poolCase, (c) => {
        const { pool, events } = runCase(c)

        for (const event of events) {
          if (event.type === "WorkerRetired") expect(event.idleMs).toBeCloseTo(c.keepAliveMs, 6)
        }
        expect(pool.poolSize).toBeLessThanOrEqual(c.core)
      }),
      { testFile: TEST_FILE, numRuns: 100 },
    )
  })

  it("agrees with an independent reading of execute() on every burst at t=0 (abort, discard, discard-oldest)", () => {
    checkProperty(
      fc.property(
        poolCase,
        fc.integer({ min: 1, max: 30 }),
        fc.constantFrom<RejectionPolicy>("abort", "discard", "discard-oldest"),
        (c, tasks, rejection) => {
          const burst: Case = {
            ...c,
            rejection,
            durationsMs: new Array<number>(tasks).fill(1000),
            gapsMs: new Array<number>(tasks).fill(0),
          }
          const { pool } = runCase(burst)
          const oracle = burstOracle(burst, tasks)

          expect(pool.startOrder).toEqual(oracle.startOrder)
          expect(pool.rejectedTasks).toEqual(oracle.rejectedTasks)
          expect(pool.largestPoolSize).toBe(Math.max(0, ...oracle.poolSizeAfterSubmit))
        },
      ),
      { testFile: TEST_FILE, numRuns: 200 },
    )
  })

  it("records the oracle's pool size after each submission of a burst", () => {
    checkProperty(
      fc.property(poolCase, fc.integer({ min: 1, max: 30 }), (c, tasks) => {
        const rejection = c.rejection === "caller-runs" ? "abort" : c.rejection
        const scenario = new ThreadPoolScenario(new Simulation(), {
          corePoolSize: c.core,
          maximumPoolSize: c.max,
          queueCapacity: c.queue,
          keepAliveMs: c.keepAliveMs,
          rejection,
          tasks,
        })
        const result = scenario.run()

        expect(result.poolSizeAfterSubmit).toEqual(burstOracle({ ...c, rejection }, tasks).poolSizeAfterSubmit)
      }),
      { testFile: TEST_FILE, numRuns: 100 },
    )
  })

  it("gives the same trace for the same seed with Poisson submissions", () => {
    checkProperty(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom(...REJECTION_POLICIES),
        (seed, rejection) => {
          const build = (s: number) => {
            const sim = new Simulation({ seed: s, trace: { keep: Infinity } })
            new ThreadPoolScenario(sim, { rejection, tasks: 40, arrivalRate: 4, keepAliveMs: 500 })
            return tracedRunOf(sim)
          }

          lawSameSeedSameTrace(build, seed, { label: "thread pool", minRecords: 40 })
        },
      ),
      { testFile: TEST_FILE, numRuns: 20 },
    )
  })
})
