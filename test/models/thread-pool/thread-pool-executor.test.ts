import { describe, expect, it } from "vitest"
import { Simulation, type Traced } from "../../../src/kernel/index.ts"
import {
  CALLER_THREAD,
  type RejectionPolicy,
  type ThreadPoolEvent,
  ThreadPoolExecutor,
  type ThreadPoolResult,
  ThreadPoolScenario,
  type ThreadPoolScenarioOptions,
} from "../../../src/models/thread-pool/index.ts"

/** A task that "blocks until released": far longer than anything the tests look at before release. */
const BLOCKED_MS = 1_000_000

function run(options: ThreadPoolScenarioOptions, seed = 1): { scenario: ThreadPoolScenario; result: ThreadPoolResult } {
  const scenario = new ThreadPoolScenario(new Simulation({ seed, trace: { keep: Infinity } }), options)
  return { scenario, result: scenario.run() }
}

/** The JDK program of docs/thread-pool.md: main calls execute() for T1..T7 back to back. */
function jdkExample(rejection: RejectionPolicy) {
  const sim = new Simulation()
  const pool = new ThreadPoolExecutor(sim, {
    corePoolSize: 2,
    maximumPoolSize: 4,
    queueCapacity: 2,
    keepAliveMs: 60_000,
    rejection,
  })
  const after = [1, 2, 3, 4, 5, 6, 7].map((id) => {
    const result = pool.execute({ id, durationMs: BLOCKED_MS })
    return { poolSize: pool.poolSize, queue: pool.queuedTasks, fate: result.fate, evicted: result.evicted }
  })
  const runningBeforeRelease = [...pool.startOrder]
  return { sim, pool, after, runningBeforeRelease }
}

/** The scenario's typed events of one type (its simulation keeps the whole trace). */
function kinds<T extends ThreadPoolEvent["type"]>(
  scenario: ThreadPoolScenario,
  type: T,
): Traced<Extract<ThreadPoolEvent, { type: T }>>[] {
  return scenario.sim.trace.records().filter((record) => record.type === type) as unknown as Traced<
    Extract<ThreadPoolEvent, { type: T }>
  >[]
}

describe("ThreadPoolExecutor: the JDK 17 example of docs/thread-pool.md", () => {
  it("gives the pool size and queue after each of T1..T7 exactly as a real JDK 17 does", () => {
    const { after } = jdkExample("abort")

    expect(after.map(({ poolSize, queue }) => ({ poolSize, queue }))).toEqual([
      { poolSize: 1, queue: [] },
      { poolSize: 2, queue: [] },
      { poolSize: 2, queue: [3] },
      { poolSize: 2, queue: [3, 4] },
      { poolSize: 3, queue: [3, 4] },
      { poolSize: 4, queue: [3, 4] },
      { poolSize: 4, queue: [3, 4] },
    ])
    expect(after.map((step) => step.fate)).toEqual([
      "core-thread",
      "core-thread",
      "queued",
      "queued",
      "extra-thread",
      "extra-thread",
      "rejected",
    ])
  })

  it("runs T1, T2, T5, T6 before release: T5 and T6 start before T3 and T4", () => {
    const { runningBeforeRelease } = jdkExample("abort")

    expect(runningBeforeRelease).toEqual([1, 2, 5, 6])
  })

  it("with AbortPolicy rejects T7 and completes 6, largest pool 4", () => {
    const { sim, pool } = jdkExample("abort")

    sim.run()

    expect(pool.rejectedTasks).toEqual([7])
    expect(pool.completed).toBe(6)
    expect(pool.largestPoolSize).toBe(4)
  })

  it("with CallerRunsPolicy hands T7 back to the caller; the pool itself completes 6", () => {
    const { sim, pool, after } = jdkExample("caller-runs")

    expect(after[6]!.fate).toBe("caller-runs")
    expect(pool.callerRunTasks).toEqual([7])
    pool.callerFinished({ id: 7, durationMs: BLOCKED_MS })
    sim.run()

    expect(pool.rejected).toBe(0)
    expect(pool.completed - pool.completedByCaller).toBe(6)
    expect(pool.completed).toBe(7)
    expect(pool.largestPoolSize).toBe(4)
  })

  it("with DiscardPolicy drops T7 silently and completes 6", () => {
    const { sim, pool } = jdkExample("discard")

    sim.run()

    expect(pool.rejectedTasks).toEqual([7])
    expect(pool.completed).toBe(6)
    expect(pool.largestPoolSize).toBe(4)
  })

  it("with DiscardOldestPolicy drops T3, queues T7 behind T4 and completes T1, T2, T5, T6, T4, T7", () => {
    const { sim, pool, after } = jdkExample("discard-oldest")

    expect(after[6]).toMatchObject({ poolSize: 4, queue: [4, 7], evicted: [3], fate: "queued" })
    sim.run()

    expect(pool.rejectedTasks).toEqual([3])
    expect(pool.startOrder).toEqual([1, 2, 5, 6, 4, 7])
    expect(pool.completed).toBe(6)
    expect(pool.largestPoolSize).toBe(4)
  })
})

describe("ThreadPoolScenario: the default burst (7 tasks of 1000ms at t=0)", () => {
  it("gives the contract's metrics: 1 rejected, start order 1 2 5 6 3 4, p99 latency 2000ms", () => {
    const { result } = run({})

    expect(result).toMatchObject({
      completed: 6,
      rejected: 1,
      rejectedTasks: [7],
      startOrder: [1, 2, 5, 6, 3, 4],
      poolSizeAfterSubmit: [1, 2, 2, 2, 3, 4, 4],
      maxPoolSize: 4,
      maxQueueLength: 2,
      latencyP99Ms: 2000,
    })
  })

  it("shrinks the pool back to core exactly one keep-alive after the extra threads went idle", () => {
    const { scenario, result } = run({})

    const exits = kinds(scenario, "WorkerRetired")
    expect(exits.map((event) => [event.t, event.thread])).toEqual([
      [61_000, 3],
      [61_000, 4],
    ])
    expect(result.finalPoolSize).toBe(2)
    expect(result.threadsExited).toBe(2)
  })

  it("lets threads 1 and 2, which went idle while 4 threads were alive, stay when their keep-alive runs out at core", () => {
    const { scenario } = run({})

    const expired = kinds(scenario, "KeepAliveExpired")
    expect(expired.map((event) => [event.t, event.thread])).toEqual([
      [62_000, 1],
      [62_000, 2],
    ])
    expect(scenario.sim.now).toBe(62_000)
  })
})

describe("ThreadPoolScenario: rejection policies", () => {
  it("with caller-runs, the submitter runs task 7 and submits task 8 only when it has finished", () => {
    const { result, scenario } = run({ rejection: "caller-runs", tasks: 8 })

    expect(result.callerRunTasks).toEqual([7])
    expect(result.submitTimesMs).toEqual([0, 0, 0, 0, 0, 0, 0, 1000])
    expect(result.rejected).toBe(0)
    expect(result.completed).toBe(8)
    expect(result.completedByPool).toBe(7)
    const callerDone = kinds(scenario, "TaskCompleted").find((event) => event.thread === CALLER_THREAD)
    expect(callerDone?.t).toBe(1000)
  })

  it("with caller-runs, task 8 arrives at t=1000 after the threads finished then, and goes to the longest-idle thread", () => {
    const { result } = run({ rejection: "caller-runs", tasks: 8 })

    expect(result.submissions[7]).toMatchObject({ fate: "handed-off", thread: 3 })
    expect(result.startOrder).toEqual([1, 2, 5, 6, 7, 3, 4, 8])
  })

  it("with abort, keeps submitting after a rejection: tasks 7 to 9 are all refused", () => {
    const { result } = run({ tasks: 9 })

    expect(result.rejectedTasks).toEqual([7, 8, 9])
    expect(result.completed).toBe(6)
  })

  it("with discard-oldest, each saturated submission evicts the current queue head", () => {
    const { result } = run({ rejection: "discard-oldest", tasks: 9 })

    expect(result.rejectedTasks).toEqual([3, 4, 7])
    expect(result.startOrder).toEqual([1, 2, 5, 6, 8, 9])
    expect(result.maxQueueLength).toBe(2)
  })

  it("with discard-oldest and a hand-off queue, has nothing to evict and loses the new task", () => {
    const { result } = run({ rejection: "discard-oldest", queueCapacity: 0 })

    expect(result.rejectedTasks).toEqual([5, 6, 7])
    expect(result.submissions[4]).toMatchObject({ fate: "rejected", evicted: [], saturated: true })
  })

  it("with discard, rejects the same tasks as abort", () => {
    const abort = run({ tasks: 12, intervalMs: 150 }).result
    const discard = run({ tasks: 12, intervalMs: 150, rejection: "discard" }).result

    expect(discard.rejectedTasks).toEqual(abort.rejectedTasks)
    expect(discard.startOrder).toEqual(abort.startOrder)
  })
})

describe("ThreadPoolScenario: queue kinds", () => {
  it("with a hand-off queue (--queue 0), starts a thread per task up to max, then rejects", () => {
    const { result } = run({ queueCapacity: 0 })

    expect(result.poolSizeAfterSubmit).toEqual([1, 2, 3, 4, 4, 4, 4])
    expect(result.rejectedTasks).toEqual([5, 6, 7])
    expect(result.maxQueueLength).toBe(0)
    expect(result.startOrder).toEqual([1, 2, 3, 4])
  })

  it("with a hand-off queue, gives a task to the most recently idle thread (a non-fair SynchronousQueue is a stack)", () => {
    // Task 2 starts thread 2 although thread 1 is idle (below core); both idle when task 3 comes at 200.
    const { result } = run({
      corePoolSize: 2,
      maximumPoolSize: 2,
      queueCapacity: 0,
      taskMs: 50,
      intervalMs: 100,
      tasks: 3,
    })

    expect(result.submissions.map((submission) => [submission.fate, submission.thread])).toEqual([
      ["core-thread", 1],
      ["core-thread", 2],
      ["handed-off", 2],
    ])
  })

  it("with a bounded queue, gives a task to the longest-idle thread (the queue's condition wakes waiters in order)", () => {
    const { result } = run({
      corePoolSize: 2,
      maximumPoolSize: 2,
      queueCapacity: 5,
      taskMs: 50,
      intervalMs: 100,
      tasks: 3,
    })

    expect(result.submissions.map((submission) => [submission.fate, submission.thread])).toEqual([
      ["core-thread", 1],
      ["core-thread", 2],
      ["handed-off", 1],
    ])
  })

  it("with an unbounded queue, never grows past core and never rejects, whatever --max says", () => {
    const small = run({ queueCapacity: Infinity, maximumPoolSize: 4, tasks: 50 }).result
    const large = run({ queueCapacity: Infinity, maximumPoolSize: 400, tasks: 50 }).result

    expect(small.maxPoolSize).toBe(2)
    expect(small.rejected).toBe(0)
    expect(small.maxQueueLength).toBe(48)
    expect(large.startOrder).toEqual(small.startOrder)
    expect(large.poolSizeAfterSubmit).toEqual(small.poolSizeAfterSubmit)
  })

  it("with core 0 and an unbounded queue, runs every task on one thread started by execute()'s re-check", () => {
    const { result } = run({ queueCapacity: Infinity, corePoolSize: 0, tasks: 5 })

    expect(result.submissions[0]).toMatchObject({ fate: "queued-new-thread", thread: 1, poolSize: 1, queueLength: 0 })
    expect(result.submissions.slice(1).every((submission) => submission.fate === "queued")).toBe(true)
    expect(result.maxPoolSize).toBe(1)
    expect(result.lastCompletionMs).toBe(5000)
  })
})

describe("ThreadPoolScenario: keep-alive", () => {
  it("removes each idle thread beyond core at exactly its idle start plus keep-alive", () => {
    const sim = new Simulation({ trace: { keep: Infinity } })
    const scenario = new ThreadPoolScenario(sim, {
      corePoolSize: 1,
      maximumPoolSize: 3,
      queueCapacity: 1,
      keepAliveMs: 500,
      tasks: 4,
    })

    sim.run({ until: 1500 })
    const justBefore = scenario.pool.poolSize
    sim.run({ until: 1500.000001 })

    expect(justBefore).toBe(3)
    expect(scenario.pool.poolSize).toBe(1)
    expect(kinds(scenario, "WorkerRetired").map((event) => event.t)).toEqual([1500, 1500])
  })

  it("never times out core threads: with an unbounded queue nothing exits", () => {
    const { result, scenario } = run({ queueCapacity: Infinity, keepAliveMs: 10 })

    expect(result.threadsExited).toBe(0)
    expect(result.finalPoolSize).toBe(2)
    expect(kinds(scenario, "WorkerIdled").every((event) => !event.timed)).toBe(true)
  })

  it("times out core threads too with allowCoreThreadTimeOut", () => {
    const { result } = run({ queueCapacity: Infinity, keepAliveMs: 10, allowCoreThreadTimeOut: true })

    expect(result.threadsExited).toBe(2)
    expect(result.finalPoolSize).toBe(0)
  })

  it("with keep-alive 0, lets an idle thread beyond core exit the instant its task ends", () => {
    const { scenario } = run({ keepAliveMs: 0 })

    expect(kinds(scenario, "WorkerRetired").map((event) => event.t)).toEqual([1000, 1000])
  })
})

describe("ThreadPoolScenario: simultaneous events", () => {
  it("lets a thread that finishes at the instant of a submission take that task: no new thread, no rejection", () => {
    const { result } = run({ corePoolSize: 1, maximumPoolSize: 1, queueCapacity: 0, tasks: 3, intervalMs: 1000 })

    expect(result.rejected).toBe(0)
    expect(result.submissions.map((submission) => submission.fate)).toEqual(["core-thread", "handed-off", "handed-off"])
    expect(result.threadsStarted).toBe(1)
  })

  it("lets a task ending at a submission's instant free a queue slot first", () => {
    const { result } = run({ corePoolSize: 1, maximumPoolSize: 1, queueCapacity: 1, tasks: 3, intervalMs: 500 })

    // T1 runs 0-1000, T2 waits; T3 at 1000 finds T2 already taken by the freed thread and the queue empty.
    expect(result.submissions.map((submission) => submission.fate)).toEqual(["core-thread", "queued", "queued"])
    expect(result.rejected).toBe(0)
  })

  it("lets a keep-alive ending at a submission's instant expire first: the submission starts a new thread", () => {
    const { result } = run({
      corePoolSize: 0,
      maximumPoolSize: 1,
      queueCapacity: 0,
      keepAliveMs: 500,
      taskMs: 500,
      tasks: 2,
      intervalMs: 1000,
    })

    expect(result.submissions.map((submission) => [submission.fate, submission.thread])).toEqual([
      ["extra-thread", 1],
      ["extra-thread", 2],
    ])
    expect(result.threadsExited).toBe(2)
  })

  it("runs zero-length tasks to their end before the next submission at the same instant", () => {
    const { result } = run({ taskMs: 0, tasks: 6 })

    expect(result.poolSizeAfterSubmit).toEqual([1, 2, 2, 2, 2, 2])
    expect(result.submissions.slice(2).every((submission) => submission.fate === "handed-off")).toBe(true)
    expect(result.completed).toBe(6)
  })
})

describe("ThreadPoolScenario: Poisson submissions", () => {
  it("spaces submissions by exponential gaps of mean 1000/rate ms, from t=0", () => {
    const { result } = run(
      { arrivalRate: 4, tasks: 4001, queueCapacity: Infinity, corePoolSize: 8, maximumPoolSize: 8 },
      7,
    )

    const times = result.submitTimesMs
    const meanGapMs = times[times.length - 1]! / (times.length - 1)
    expect(times[0]).toBe(0)
    expect(meanGapMs).toBeGreaterThan(240)
    expect(meanGapMs).toBeLessThan(260)
  })

  it("refuses both a fixed interval and a Poisson rate", () => {
    expect(() => new ThreadPoolScenario(new Simulation(), { arrivalRate: 2, intervalMs: 100 })).toThrow("not both")
  })
})

describe("ThreadPoolExecutor: settings the JDK refuses", () => {
  it.each([
    [{ corePoolSize: 3, maximumPoolSize: 2 }, "maximumPoolSize (2) must be >= corePoolSize (3)"],
    [{ maximumPoolSize: 0 }, "maximumPoolSize must be an integer >= 1"],
    [{ corePoolSize: -1 }, "corePoolSize must be an integer >= 0"],
    [{ keepAliveMs: -1 }, "keepAliveMs must be finite and >= 0"],
    [{ queueCapacity: 1.5 }, "queueCapacity must be an integer >= 0"],
    [{ allowCoreThreadTimeOut: true, keepAliveMs: 0 }, "keep-alive > 0"],
  ])("throws on %j", (options, message) => {
    expect(() => new ThreadPoolExecutor(new Simulation(), options)).toThrow(message)
  })

  it("refuses a second submission of a task still in the pool", () => {
    const pool = new ThreadPoolExecutor(new Simulation())

    pool.execute({ id: 1, durationMs: 10 })

    expect(() => pool.execute({ id: 1, durationMs: 10 })).toThrow("task 1 is already in the pool")
  })
})

describe("ThreadPoolExecutor: metrics", () => {
  it("keeps two pools on one simulation apart by their name label", () => {
    const sim = new Simulation()
    const a = new ThreadPoolExecutor(sim, { name: "a" })
    const b = new ThreadPoolExecutor(sim, { name: "b" })

    a.execute({ id: 1, durationMs: 10 })
    sim.run()

    expect(a.largestPoolSize).toBe(1)
    expect(b.largestPoolSize).toBe(0)
    expect(sim.metrics.toPrometheus()).toContain('thread_pool_size{pool="a"}')
  })
})
