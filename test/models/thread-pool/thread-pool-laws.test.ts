/**
 * The law block of the thread-pool model: same seed → same trace, time never goes backwards, the
 * checks accept fault-free runs and reject a known-bad one: the events of a "naive" pool that grows
 * to max before it queues anything (the reading of core/max that docs/thread-pool.md corrects).
 */
import { describe, expect, it } from "vitest"
import { type ProcessGenerator, Simulation } from "../../../src/kernel/index.ts"
import {
  type AuditedRun,
  REJECTION_POLICIES,
  ThreadPoolAudit,
  threadPoolChecks,
  type ThreadPoolEvent,
  type ThreadPoolLimits,
  ThreadPoolScenario,
  type ThreadPoolScenarioOptions,
} from "../../../src/models/thread-pool/index.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"

/** Poisson submissions (the seed draws them) into a small pool with a short keep-alive. */
const WORKLOAD: ThreadPoolScenarioOptions = { tasks: 60, arrivalRate: 4, keepAliveMs: 500, taskMs: 700 }
const LIMITS: ThreadPoolLimits = { corePoolSize: 2, maximumPoolSize: 4, queueCapacity: 2 }

function scenario(seed: number, options: ThreadPoolScenarioOptions, keep = 0): ThreadPoolScenario {
  return new ThreadPoolScenario(new Simulation({ seed, trace: { keep } }), options)
}

/** What a run is checked on: its audited view and the pool's limits. */
interface CheckedRun {
  readonly run: AuditedRun
  readonly limits: ThreadPoolLimits
}

const checks = ({ run, limits }: CheckedRun) => threadPoolChecks(run, limits)

/**
 * A pool that starts threads up to max before it queues (no OfferRefused before the threads beyond
 * core): the burst of seven at t=0 as that misreading would run it, recorded as typed events.
 */
function* naivePool(sim: Simulation): ProcessGenerator<void> {
  const record = (event: ThreadPoolEvent): void => sim.trace.record(event)
  const queued: number[] = []
  let poolSize = 0
  for (let task = 1; task <= 7; task++) {
    record({ type: "TaskSubmitted", task, durationMs: 1000 })
    if (poolSize < LIMITS.maximumPoolSize) {
      poolSize++
      record({ type: "WorkerStarted", thread: poolSize, firstTask: task, poolSize })
      record({
        type: "TaskStarted",
        task,
        thread: poolSize,
        fromQueue: false,
        newThread: true,
        queueLength: queued.length,
        queued: [...queued],
      })
    } else if (queued.length < LIMITS.queueCapacity) {
      queued.push(task)
      record({ type: "TaskQueued", task, queueLength: queued.length })
    } else {
      record({ type: "OfferRefused", task, queueLength: queued.length })
      record({ type: "TaskRejected", task, policy: "abort", queueHead: false })
    }
  }
  yield* sim.sleep(0)
}

describe("thread-pool model laws", () => {
  it("gives the same trace for the same seed, under every rejection policy", () => {
    for (const rejection of REJECTION_POLICIES) {
      const report = lawSameSeedSameTrace(
        (seed) => {
          const built = scenario(seed, { ...WORKLOAD, rejection }, Infinity)
          return tracedRunOf(built.sim, () => void built.run())
        },
        11,
        { label: `thread pool (${rejection})`, minRecords: 300 },
      )

      expect(report.records).toBeGreaterThanOrEqual(300)
    }
  })

  it("never moves the clock backwards, step by step", () => {
    const built = scenario(3, WORKLOAD)

    const { steps, endTime } = lawTimeNeverGoesBackwards(built.sim)

    expect(steps).toBeGreaterThan(100)
    expect(built.result().completed + built.result().rejected).toBe(60)
    expect(endTime).toBe(built.sim.now)
  })

  it("accepts fault-free runs on several seeds and settings", () => {
    const settings: ThreadPoolScenarioOptions[] = [
      {},
      { queueCapacity: 0, corePoolSize: 0, maximumPoolSize: 3, rejection: "discard-oldest" },
      { queueCapacity: Infinity, corePoolSize: 0 },
      { rejection: "caller-runs", allowCoreThreadTimeOut: true },
    ]
    for (const [i, setting] of settings.entries()) {
      for (const seed of [1, 2, 3]) {
        const verdicts = lawCheckerAcceptsFaultFreeRuns(
          (s) => {
            const built = scenario(s, { ...WORKLOAD, ...setting })
            return { run: built.run(), limits: built.pool }
          },
          checks,
          seed + 10 * i,
        )

        expect(verdicts.map((verdict) => verdict.name)).toEqual([
          "pool-size-at-most-max",
          "tasks-conserved",
          "above-core-only-after-queue-refused",
        ])
      }
    }
  })

  it("rejects the events of a pool that grows to max before it queues", () => {
    const sim = new Simulation()
    const audit = new ThreadPoolAudit(sim, LIMITS)
    sim.spawn(naivePool(sim))
    sim.run()

    const rejection = lawCheckerRejectsKnownBadRun({ run: audit.auditedRun(), limits: LIMITS }, checks, {
      name: "above-core-only-after-queue-refused",
      detail: /exceeded core 2 at t=0ms although the queue had not refused a task/,
    })
    expect(rejection.held).toBe(false)
    expect(
      checks({ run: audit.auditedRun(), limits: LIMITS }).find((verdict) => verdict.name === "tasks-conserved"),
    ).toMatchObject({
      held: false,
      detail: "at t=0ms: pool size 3 > core 2 although the queue never refused a task",
    })
  })
})
