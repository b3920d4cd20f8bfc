import { describe, expect, it } from "vitest"
import type { LeakEvent } from "../../../src/models/go/leak-events.ts"
import { leakTimelineLine } from "../../../src/models/go/leak-timeline.ts"
import type { Traced } from "../../../src/kernel/index.ts"

const at = (event: LeakEvent): Traced<LeakEvent> => ({ t: 163.8, seq: 1, ...event })
const computed = at({ type: "WorkerComputed", request: 7, costMs: 112.25 })

describe("leakTimelineLine", () => {
  it("tells what a late worker's hand-over does under each fix", () => {
    expect(leakTimelineLine(computed, "none", true)).toBe(
      "worker 7 done after 112.3 ms; ch <- res on the unbuffered channel: nobody will receive, blocked forever",
    )
    expect(leakTimelineLine(computed, "buffered", true)).toBe(
      "worker 7 done after 112.3 ms; ch <- res goes into the channel's one slot",
    )
    expect(leakTimelineLine(computed, "context", true)).toBe(
      "worker 7 done after 112.3 ms; selects on ch <- res and ctx.Done()",
    )
    expect(leakTimelineLine(computed, "none", false)).toBe("worker 7 done after 112.3 ms, hands its result over")
  })

  it("says how each request and worker ended", () => {
    const lines = [
      at({ type: "RequestServed", request: 3, waitedMs: 41.26 }),
      at({ type: "RequestTimedOut", request: 7, timeoutMs: 100 }),
      at({ type: "WorkerExited", request: 3, result: "taken" }),
      at({ type: "WorkerExited", request: 7, result: "buffered" }),
      at({ type: "WorkerExited", request: 8, result: "dropped" }),
    ].map((record) => leakTimelineLine(record, "none", false))

    expect(lines).toEqual([
      "handler 3 gets its result after 41.3 ms and answers 200",
      "handler 7: 100 ms deadline passed, answers 504 and returns; worker 7 still computing",
      "worker 3 returns",
      "worker 7 returns; the channel and the result in it are garbage",
      "worker 8 sees ctx.Done() closed, drops its result and returns",
    ])
  })
})
