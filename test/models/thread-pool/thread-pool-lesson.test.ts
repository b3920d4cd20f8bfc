import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  chartEndMs,
  tasksSection,
  threadPoolLesson,
  threadPoolQuiz,
  type ThreadPoolRun,
  ThreadPoolScenario,
} from "../../../src/models/thread-pool/index.ts"

/** The burst of seven (docs/thread-pool.md): core 2, max 4, a queue of 2, AbortPolicy, 7 tasks of 1s at t=0. */
const BURST: ThreadPoolRun = {
  corePoolSize: 2,
  maximumPoolSize: 4,
  queueCapacity: 2,
  keepAliveMs: 60_000,
  rejection: "abort",
  tasks: 7,
  taskMs: 1000,
  intervalMs: 0,
  arrivalRate: 0,
}
const ORDER = [
  "execute() decides in a fixed order: (1) fewer than core threads alive → a new thread, even if others are",
  "idle; (2) else offer the task to the queue; (3) if the queue refuses → a new thread beyond core, up to max;",
  "(4) else the rejection policy.",
]
const NO_CORE_THREAD = [
  'No thread is "the core thread": any thread that goes idle while the pool is above core waits with a',
  "time-out; if the pool is back at core when it runs out, the thread stays and waits without one.",
  "Core threads never time out unless allowCoreThreadTimeOut(true).",
]

function run(pool: ThreadPoolRun) {
  const sim = new Simulation({ seed: 1 })
  const result = new ThreadPoolScenario(sim, pool).run()
  return { result, endMs: sim.now }
}

describe("thread-pool lesson", () => {
  it("tells execute()'s decision for each task of the burst of seven, the rejection, the queue and keep-alive", () => {
    const { result } = run(BURST)

    expect(threadPoolLesson(result, BURST)).toEqual({
      title: "Lesson",
      lines: [
        ...ORDER,
        "Here: tasks 1, 2 got a new thread each: fewer than core (2) threads were alive;",
        "      tasks 3, 4 waited in the queue: core was full and the queue had room;",
        "      tasks 5, 6 got a thread beyond core each: the queue was full, and fewer than max (4) threads were alive;",
        "      task 7 was rejected: the queue was full and the pool at max (4).",
        "Tasks 5, 6 started before 3, 4, submitted earlier:",
        "a task given a new thread starts at once, while queued tasks wait for a thread to free up.",
        "AbortPolicy (the default): execute() threw RejectedExecutionException at the submitter, which caught",
        "it and went on; the task is gone.",
        "Threads beyond core start only when the queue is full. Try --queue unbounded: the pool stays at 2",
        "threads whatever --max says, nothing is rejected, and the queue grows instead.",
        "Keep-alive: a thread that idles for 60000ms while more than core (2) threads are alive exits",
        "(thread 3 at t=61000ms, thread 4 at t=61000ms); the pool ended with 2 threads.",
        ...NO_CORE_THREAD,
      ],
    })
  })

  it("says an unbounded queue with core 0 runs every task on one thread and --max never matters", () => {
    const pool = { ...BURST, queueCapacity: Infinity, corePoolSize: 0 }
    const { result } = run(pool)

    expect(threadPoolLesson(result, pool).lines.slice(3, 8)).toEqual([
      "Here: tasks 1, 2, 3, 4, 5, 6, 7 waited in the queue: core was full and the queue had room.",
      "The pool was never saturated, so AbortPolicy never had to act.",
      "The queue is unbounded, so it never refuses a task; with core 0, execute() starts one thread when none is alive, so the pool never grows past 1 (largest here: 1):",
      "--max 4 never mattered, and nothing was rejected. The tasks waited instead (longest queue 6).",
      "With core 0 that means a single thread runs every task, one after another.",
    ])
  })

  it("calls CallerRunsPolicy back-pressure, naming the task the submitter ran", () => {
    const pool = { ...BURST, rejection: "caller-runs" as const }
    const { result } = run(pool)
    const lines = threadPoolLesson(result, pool).lines

    expect(lines).toContain("      task 7 was run by the submitter itself: the queue was full and the pool at max (4).")
    expect(lines).toContain(
      "CallerRunsPolicy is back-pressure: the submitter ran task 7 itself and could submit nothing until it",
    )
    expect(tasksSection(result).lines[0]).toBe("completed    7 (6 on pool threads, 1 by the submitter: 7)")
  })
})

describe("thread-pool report pieces", () => {
  it("lists the tasks' fates, start order, pool sizes and latency", () => {
    const { result } = run(BURST)

    expect(tasksSection(result)).toEqual({
      title: "Tasks",
      lines: [
        "completed    6",
        "rejected     1: 7",
        "start order  1, 2, 5, 6, 3, 4",
        "pool size after each submission  1, 2, 2, 2, 3, 4, 4",
        "largest pool 4, longest queue 2, threads started 4, exited 2, left 2",
        "latency (submission to completion)  mean 1333.3ms, p99 2000ms",
      ],
    })
  })

  it("ends the charts at the last task when the keep-alive tail would take more than half of them", () => {
    const long = run(BURST)
    const short = run({ ...BURST, intervalMs: 100, keepAliveMs: 500, tasks: 10 })

    expect([long.endMs, chartEndMs(long.result, long.endMs)]).toEqual([62_000, 2000])
    expect([short.endMs, chartEndMs(short.result, short.endMs)]).toEqual([2500, 2500])
  })

  it("asks the quiz about this pool and workload", () => {
    expect(threadPoolQuiz(BURST).split("\n").slice(0, 2)).toEqual([
      "A ThreadPoolExecutor(core 2, max 4, an ArrayBlockingQueue(2), keep-alive 60000ms, AbortPolicy)",
      "receives 7 tasks of 1000ms each, submitted one after another at t=0.",
    ])
    expect(threadPoolQuiz({ ...BURST, arrivalRate: 3 }).split("\n")[1]).toBe(
      "receives 7 tasks of 1000ms each, submitted as Poisson arrivals at 3 per second from t=0.",
    )
  })
})
