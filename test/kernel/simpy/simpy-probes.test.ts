/**
 * Minimal programs of our own (python/probe_*.py), each probing one SimPy rule the examples do not
 * reach, ported to the kernel (ports/probe-*.ts) and compared with SimPy 4.1.2's output (out/).
 * Each one that fails here is a departure from SimPy, described in docs/simpy-differences.md.
 */
import { describe, expect, it } from "vitest"
import type { Port } from "./port.ts"
import { probeConditions } from "./ports/probe-conditions.ts"
import { probeContainerPutThenLevel } from "./ports/probe-container-put-then-level.ts"
import { probeInterrupts } from "./ports/probe-interrupts.ts"
import { probeJoinAfterEnd } from "./ports/probe-join-after-end.ts"
import { probeNestedConditions } from "./ports/probe-nested-conditions.ts"
import { probePreemptEndedUser } from "./ports/probe-preempt-ended-user.ts"
import { probePreemptSamePriority } from "./ports/probe-preempt-same-priority.ts"
import { probePreemptVictimTie } from "./ports/probe-preempt-victim-tie.ts"
import { probePriorityResourcePreemptFlag } from "./ports/probe-priority-resource-preempt-flag.ts"
import { probePriorityStoreTies } from "./ports/probe-priority-store-ties.ts"
import { probeReleaseThenRequest } from "./ports/probe-release-then-request.ts"
import { probeRunUntilEvent } from "./ports/probe-run-until-event.ts"
import { probeStoreTwoPutsOneGet } from "./ports/probe-store-two-puts-one-get.ts"
import { capture, firstDifference, recorded } from "./run-port.ts"

/** Asserts that the port prints SimPy's recorded output, naming the first differing line. */
function expectSimPyOutput(name: string, port: Port): void {
  const ours = capture(port)
  expect(firstDifference(ours, recorded(name)), name).toBeNull()
  expect(ours).toBe(recorded(name))
}

describe("probes of SimPy's rules, ported to the kernel, print SimPy's output", () => {
  it("an interrupt before a process starts, and two interrupts in one instant", () =>
    expectSimPyOutput("probe_interrupts", probeInterrupts))

  it("an AnyOf holds every sub-event of its instant; a late sub-event failure stops the run", () =>
    expectSimPyOutput("probe_conditions", probeConditions))

  // Pins a former departure (issue 15, item 9, join after end): a child that ended with nobody waiting is
  // processed at once, so a join later in the same instant resumes before Z's timeout (line 4).
  it("a join after the child ended in the same instant waits for the end event", () =>
    expectSimPyOutput("probe_join_after_end", probeJoinAfterEnd))

  // Pins former departures (issue 15, item 9, nested conditions and API): allOf's value is an array, not a
  // ConditionValue, and an outer anyOf's value holds the inner condition, not its events (h-process).
  it("a nested condition's value lists the processed events of its inner conditions", () =>
    expectSimPyOutput("probe_nested_conditions", probeNestedConditions))

  // Pins a former departure (issue 15, API): no run({ until: event }) (h-process).
  it("run until an event: its value, already processed, failed, never triggered", () =>
    expectSimPyOutput("probe_run_until_event", probeRunUntilEvent))

  // Pins a former departure (new, also with h-order merged): SimPy interrupts the user it evicts even when that
  // user's process has ended, which raises RuntimeError out of request(); the kernel evicts the
  // ended user silently and grants the slot (line 2).
  it("preempting a user whose process ended raises in SimPy", () =>
    expectSimPyOutput("probe_preempt_ended_user", probePreemptEndedUser))

  // Pins a former departure (new): of two users with equal (priority, time), SimPy evicts the one granted first
  // (max() keeps the first of equal keys); the kernel evicts the later request (line 3).
  it("a preemption evicts the first of two equal users", () =>
    expectSimPyOutput("probe_preempt_victim_tie", probePreemptVictimTie))

  // Pins a former departure (new): SimPy compares whole keys (priority, time, not preempt), so a preempt=True
  // request evicts a preempt=False user of the same priority made at the same time; the kernel
  // requires a strictly smaller priority (line 1).
  it("a request evicts a same-priority, same-time user that asked with preempt=False", () =>
    expectSimPyOutput("probe_preempt_same_priority", probePreemptSamePriority))

  // Pins a former departure (new): SimPy's PriorityStore is a heapq, not stable: equal priorities leave as
  // a, c, f, e, b, d; the kernel's leave in arrival order (line 2).
  it("a PriorityStore releases equal priorities in heap order", () =>
    expectSimPyOutput("probe_priority_store_ties", probePriorityStoreTies))

  // Pins a former departure (issue 15 item 9 names the (priority, time, not preempt) order for preemption; it
  // holds for a plain PriorityResource too): the kernel's PriorityResource ignores `preempt` (line 2).
  it("a PriorityResource serves preempt=True before preempt=False at equal priority and time", () =>
    expectSimPyOutput("probe_priority_resource_preempt_flag", probePriorityResourcePreemptFlag))

  // Pins a former departure (issue 15, item 9, waking waiters one step early): the first put serves the waiting
  // get inside the call, so one item is left, not two, and a new get is served at once (line 1).
  it("a new get while an older get waits is served one step later", () =>
    expectSimPyOutput("probe_store_two_puts_one_get", probeStoreTwoPutsOneGet))

  // Pins a former departure (issue 15, item 9, waking waiters one step early): the put serves the waiting get
  // inside the call, so the level read right after it is 20, not 50 (line 1).
  it("the level read right after a put still holds what a waiting get will take", () =>
    expectSimPyOutput("probe_container_put_then_level", probeContainerPutThenLevel))

  // Pins a former departure (issue 15, item 9, waking waiters one step early): the release grants the waiting
  // request inside the call, so the holder's new, better request waits (line 1).
  it("a request made right after a release is granted before the waiting one", () =>
    expectSimPyOutput("probe_release_then_request", probeReleaseThenRequest))
})
