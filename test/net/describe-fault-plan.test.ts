/**
 * Fault plans in words: every kind of fault, in time order, the healing phase last.
 * (More cases, with `describeFaultPlan`'s joined text, are in fault-injector.test.ts.)
 */
import { describe, expect, it } from "vitest"
import { describeFault, describeFaultPlanLines } from "../../src/net/describe-fault-plan.ts"
import { NO_FAULTS } from "../../src/net/fault-plan.ts"
import { EVERY_KIND_PLAN } from "./every-kind-plan.ts"

describe("describeFaultPlanLines", () => {
  it("describes every kind, one line per fault in time order, then the heal", () => {
    expect(describeFaultPlanLines(EVERY_KIND_PLAN)).toEqual([
      "t=0ms    clock c skew -20ms, drift +1%",
      "t=10ms   link a->* drop 25%, +5ms delay until heal",
      "t=40ms   partition {a} -> {b,c} (one-way) until 90ms",
      "t=50ms   pause b for 30ms",
      "t=120ms  crash a, disk lost, restart at 200ms",
      "t=300ms  crash b, restart at heal",
      "t=310ms  clock a drift -0.7%",
      "t=500ms  heal: partitions heal, paused nodes resume, crashed nodes restart, link faults stop",
    ])
  })

  it("says so when there are no faults", () => {
    expect(describeFaultPlanLines(NO_FAULTS)).toEqual(["no faults"])
  })
})

describe("describeFault", () => {
  it("says a crash without a restart time never restarts when the plan has no healing phase", () => {
    expect(describeFault({ kind: "crash", node: "a", at: 5 })).toBe("crash a, never restarts")
  })

  it("names the rest of the nodes as the other side of a one-group partition", () => {
    expect(describeFault({ kind: "partition", groups: [["a"]], at: 5 }, 100)).toBe("partition {a} | rest until heal")
  })
})
