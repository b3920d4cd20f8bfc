import { describe, expect, it } from "vitest"
import threadPool from "../../sims/thread-pool.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("thread-pool", {
  jsonArgs: ["--arrival-rate", "4", "--tasks", "60", "--keep-alive-ms", "500"],
  badInputs: [
    { args: ["--queue", "abc"], stderr: "bad value for --queue abc: allowed: an integer from 0 to 2147483647" },
    { args: ["--queue", "-1"], stderr: "bad value for --queue -1: allowed: an integer from 0 to 2147483647" },
    { args: ["--queue", "2.5"], stderr: "(0: hand-off, like SynchronousQueue) or unbounded" },
    {
      args: ["--core", "3", "--max", "2"],
      stderr: "contradictory flags --core 3, --max 2: the maximum pool size must be at least the core pool size",
    },
    {
      args: ["--interval-ms", "100", "--arrival-rate", "2"],
      stderr: "give either a fixed --interval-ms or Poisson --arrival-rate, not both",
    },
    { args: ["--rejection", "drop"], stderr: 'bad value for --rejection: "drop"' },
    { args: ["--max", "0"], stderr: "bad value for --max: 0" },
    { args: ["--tasks", "0"], stderr: "bad value for --tasks: 0" },
    { args: ["--task-ms", "-1"], stderr: "bad value for --task-ms: -1" },
    { args: ["--keep-alive-ms", "-5"], stderr: "bad value for --keep-alive-ms: -5" },
  ],
})

async function metrics(args: readonly string[]) {
  const run = await runCaptured(threadPool, ["--json", ...args])
  expect(run.code).toBe(0)
  return JSON.parse(run.stdout).metrics
}

describe("sim thread-pool lessons", () => {
  it("reports the JDK 17 burst of docs/thread-pool.md in the contract's JSON fields", async () => {
    const m = await metrics([])

    expect(m).toMatchObject({
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

  it.each([
    [
      "caller-runs",
      {
        completed: 7,
        completedByPool: 6,
        rejected: 0,
        rejectedTasks: [],
        callerRunTasks: [7],
        startOrder: [1, 2, 5, 6, 7, 3, 4],
      },
    ],
    ["discard", { completed: 6, rejected: 1, rejectedTasks: [7], startOrder: [1, 2, 5, 6, 3, 4] }],
    ["discard-oldest", { completed: 6, rejected: 1, rejectedTasks: [3], startOrder: [1, 2, 5, 6, 4, 7] }],
  ])("reports the 10.2 burst under --rejection %s", async (policy, expected) => {
    const m = await metrics(["--rejection", policy])

    expect(m).toMatchObject({ ...expected, maxPoolSize: 4, poolSizeAfterSubmit: [1, 2, 2, 2, 3, 4, 4] })
  })

  it("with --queue 0 starts threads up to max and rejects the rest of the burst", async () => {
    const m = await metrics(["--queue", "0"])

    expect(m).toMatchObject({ rejectedTasks: [5, 6, 7], poolSizeAfterSubmit: [1, 2, 3, 4, 4, 4, 4], maxQueueLength: 0 })
  })

  it("with --queue unbounded keeps the pool at core and says --max never mattered", async () => {
    const run = await runCaptured(threadPool, ["--queue", "unbounded"])
    const m = await metrics(["--queue", "unbounded", "--max", "100"])

    expect(run.stdout).toContain("--max 4 never mattered")
    expect(m).toMatchObject({ rejected: 0, maxPoolSize: 2, maxQueueLength: 5 })
  })

  it("explains the bare run step by step: why task 7 is rejected and why 5 and 6 overtake 3 and 4", async () => {
    const run = await runCaptured(threadPool, [])

    expect(run.stdout).toContain("task 5 submitted → queue full (2/2), 2 < max 4 threads: new thread 3 runs it")
    expect(run.stdout).toContain("task 7 submitted → REJECTED: queue full (2/2), pool at max 4")
    expect(run.stdout).toContain("Tasks 5, 6 started before 3, 4, submitted earlier")
    expect(run.stdout).toContain("Try --queue unbounded")
    expect(run.stdout).toContain("thread 3 exited after 60000ms idle  [pool 3]")
  })

  it("asks in --quiz which tasks are rejected and in what order they start, without the answers", async () => {
    const quiz = await runCaptured(threadPool, ["--quiz"])

    expect(quiz.stdout).toContain(
      "ThreadPoolExecutor(core 2, max 4, an ArrayBlockingQueue(2), keep-alive 60000ms, AbortPolicy)",
    )
    expect(quiz.stdout).toContain("Which tasks are rejected or dropped")
    expect(quiz.stdout).toContain("In what order do the tasks start running?")
    expect(quiz.stdout).not.toContain("REJECTED")
    expect(quiz.stdout).not.toContain("Lesson")
  })

  it("moves later submissions back by the caller's run under caller-runs with an interval", async () => {
    const m = await metrics(["--rejection", "caller-runs", "--tasks", "9", "--interval-ms", "10"])

    expect(m.callerRunTasks).toEqual([7])
    expect(m.rejected).toBe(0)
    expect(m.completed).toBe(9)
  })
})
