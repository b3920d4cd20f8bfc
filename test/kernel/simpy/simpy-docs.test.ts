/**
 * The doctests of SimPy's documentation (index, simpy_intro and topical_guides), extracted into python/
 * and ported line by line to the kernel (ports/), must print exactly what SimPy 4.1.2 printed (out/).
 */
import { describe, expect, it } from "vitest"
import type { Port } from "./port.ts"
import { guideEnvironments } from "./ports/guide-environments.ts"
import { guideEvents } from "./ports/guide-events.ts"
import { guideProcessInteraction } from "./ports/guide-process-interaction.ts"
import { guideResources } from "./ports/guide-resources.ts"
import { guideSimpyBasics } from "./ports/guide-simpy-basics.ts"
import { indexClock } from "./ports/index-clock.ts"
import { introBasicConcepts } from "./ports/intro-basic-concepts.ts"
import { introProcessInteraction } from "./ports/intro-process-interaction.ts"
import { introSharedResources } from "./ports/intro-shared-resources.ts"
import { capture, firstDifference, recorded } from "./run-port.ts"

/** Asserts that the port prints SimPy's recorded output, naming the first differing line. */
function expectSimPyOutput(name: string, port: Port): void {
  const ours = capture(port)
  expect(firstDifference(ours, recorded(name)), name).toBeNull()
  expect(ours).toBe(recorded(name))
}

describe("SimPy's doc examples, ported to the kernel, print SimPy's output", () => {
  it("index (and README)", () => expectSimPyOutput("index_clock", indexClock))
  it("simpy_intro/basic_concepts", () => expectSimPyOutput("intro_basic_concepts", introBasicConcepts))
  it("simpy_intro/process_interaction", () => expectSimPyOutput("intro_process_interaction", introProcessInteraction))
  it("simpy_intro/shared_resources", () => expectSimPyOutput("intro_shared_resources", introSharedResources))
  it("topical_guides/simpy_basics", () => expectSimPyOutput("guide_simpy_basics", guideSimpyBasics))
  // Pins a former departure (issue 15, item 9 / API): no run({ until: event }); the kernel takes `until` as a
  // time, so env.run(until=process) does not stop at the process (h-process).
  it("topical_guides/events", () => expectSimPyOutput("guide_events", guideEvents))
  // Pins a former departure (issue 15, item 9 / API): no run({ until: event }) (h-process).
  it("topical_guides/environments", () => expectSimPyOutput("guide_environments", guideEnvironments))
  // Pins a former departure (issue 15, item 9, randomness): no CPython randint, so driving and parking times
  // differ from line 2 on; matches with it (h-random).
  it("topical_guides/process_interaction", () =>
    expectSimPyOutput("guide_process_interaction", guideProcessInteraction))
  // Pins former departures (issue 15, item 9): a release grants the next request inside the call, so right
  // after a `with` block SimPy shows "0 of 1 slots, 1 queued" and we show "1 of 1, 0 queued" (line
  // 10); and preemption: C (priority -1) evicts A although B (priority -2, preempt=False) waits
  // ahead of it, where SimPy lets only the head of the queue preempt (line 36) (h-order).
  it("topical_guides/resources", () => expectSimPyOutput("guide_resources", guideResources))
})
