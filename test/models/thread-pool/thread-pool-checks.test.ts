import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  checkAboveCoreOnlyAfterRefusal,
  checkPoolSizeAtMostMax,
  checkTasksConserved,
  type ThreadPoolResult,
  ThreadPoolScenario,
} from "../../../src/models/thread-pool/index.ts"

function defaultRun(): ThreadPoolResult {
  return new ThreadPoolScenario(new Simulation(), {}).run()
}

describe("thread-pool checks", () => {
  it("all hold on the default burst, with the numbers in the detail", () => {
    const result = defaultRun()

    const verdicts = [
      checkPoolSizeAtMostMax(result, 4),
      checkTasksConserved(result),
      checkAboveCoreOnlyAfterRefusal(result, 2),
    ]

    expect(verdicts.map((verdict) => verdict.held)).toEqual([true, true, true])
    expect(verdicts[1]!.detail).toContain("7 submitted = 6 completed + 1 rejected + 0 queued or running")
  })

  it("pool-size-at-most-max fails when the largest pool exceeds max", () => {
    const verdict = checkPoolSizeAtMostMax({ ...defaultRun(), maxPoolSize: 5 }, 4)

    expect(verdict).toMatchObject({ held: false, detail: "largest pool 5 thread(s), maximumPoolSize 4" })
  })

  it("tasks-conserved fails on a recorded violation, naming its time", () => {
    const verdict = checkTasksConserved({
      ...defaultRun(),
      violation: { name: "pool-state", t: 1000, check: 3, detail: "submitted 7 != ..." },
    })

    expect(verdict).toMatchObject({ held: false, detail: "at t=1000ms: submitted 7 != ..." })
  })

  it("tasks-conserved fails when tasks are unaccounted for at the end", () => {
    const verdict = checkTasksConserved({ ...defaultRun(), completed: 5 })

    expect(verdict.held).toBe(false)
  })

  it("above-core-only-after-queue-refused fails when the pool grew past core before any refusal", () => {
    const verdict = checkAboveCoreOnlyAfterRefusal({ ...defaultRun(), firstAboveCoreMs: 10, firstRefusalMs: 20 }, 2)

    expect(verdict.held).toBe(false)
    expect(verdict.detail).toContain("exceeded core 2 at t=10ms although the queue had not refused a task")
  })

  it("above-core-only-after-queue-refused fails when the pool grew past core before a refusal at the same instant", () => {
    const verdict = checkAboveCoreOnlyAfterRefusal(
      { ...defaultRun(), firstAboveCoreMs: 0, firstRefusalMs: 0, aboveCoreBeforeRefusal: true },
      2,
    )

    expect(verdict).toMatchObject({
      held: false,
      detail: "the pool exceeded core 2 at t=0ms although the queue had not refused a task",
    })
  })

  it("reads the events: the audit's view of the default burst agrees with the pool's public state", () => {
    const sim = new Simulation()
    const scenario = new ThreadPoolScenario(sim, {})
    const result = scenario.run()

    expect(scenario.audit.auditedRun()).toEqual({
      submitted: result.submitted,
      completed: result.completed,
      rejected: result.rejected,
      maxPoolSize: result.maxPoolSize,
      firstRefusalMs: 0,
      firstAboveCoreMs: 0,
      aboveCoreBeforeRefusal: false,
      violation: null,
    })
  })
})
