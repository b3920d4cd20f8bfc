/**
 * The scheduling checks as verdicts: they accept healthy runs of every policy and reject a
 * known-bad one (a response bound with too small a quantum; bookkeeping that does not add up).
 */
import { describe, expect, it } from "vitest"
import {
  checkRrResponseBound,
  checkWaitsAddUp,
  checkWorkConserving,
  type JobSpec,
  runSchedule,
  SCHEDULING_POLICIES,
} from "../../../src/models/sched/index.ts"
import { lawCheckerAcceptsFaultFreeRuns, lawCheckerRejectsKnownBadRun } from "../../laws/index.ts"

const JOBS: JobSpec[] = [24, 3, 3].map((burst) => ({ arrival: 0, bursts: [burst] }))

describe("scheduling checks", () => {
  it("accept every policy's run of 24, 3, 3", () => {
    for (const policy of SCHEDULING_POLICIES) {
      const verdicts = lawCheckerAcceptsFaultFreeRuns(
        () => runSchedule(JOBS, { policy, quantum: 4 }),
        (run) => [checkWorkConserving(run), checkWaitsAddUp(run)],
        1,
      )

      expect(verdicts.map((verdict) => verdict.detail)).toEqual([
        "no core was idle while a job was ready",
        expect.stringMatching(/^Σ wait [\d.]+ = Σ turnaround − Σ CPU − Σ I\/O − Σ disk waits = [\d.]+$/),
      ])
    }
  })

  it("holds the round-robin response bound at the quantum the run used, and names the late job at a smaller one", () => {
    const run = runSchedule(JOBS, { policy: "rr", quantum: 4 })

    expect(checkRrResponseBound(run, 4)).toEqual({
      name: "rr-response-bound",
      held: true,
      detail: "job k (from 0) first ran by k·q = 4.00·k; the last to start began at t=7.00",
    })
    lawCheckerRejectsKnownBadRun(run, (r) => checkRrResponseBound(r, 1), {
      detail: /^job 1 first ran at t=4\.00, later than 1·q = 1\.00$/,
    })
  })

  it("rejects bookkeeping where the waits do not add up", () => {
    const run = runSchedule(JOBS, { policy: "fifo", quantum: 1 })
    const broken = { ...run, jobs: run.jobs.map((job, k) => (k === 1 ? { ...job, wait: job.wait + 1 } : job)) }

    lawCheckerRejectsKnownBadRun(broken, checkWaitsAddUp, { name: "waits-add-up" })
  })
})
