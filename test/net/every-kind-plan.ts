/**
 * A valid fault plan over nodes a, b and c with every kind of fault and most optional fields, out
 * of time order: the fixture of the validation and description tests.
 */
import type { FaultPlan } from "../../src/net/fault-plan.ts"

/** Nodes named by {@link EVERY_KIND_PLAN}. */
export const EVERY_KIND_NODES: readonly string[] = ["a", "b", "c"]

/** Every kind of fault, listed out of time order, healing at 500 ms. */
export const EVERY_KIND_PLAN: FaultPlan = {
  faults: [
    { kind: "partition", groups: [["a"], ["b", "c"]], at: 40, healAt: 90, oneWay: true },
    { kind: "crash", node: "a", at: 120, restartAt: 200, diskLoss: true },
    { kind: "pause", node: "b", at: 50, durationMs: 30 },
    { kind: "clock", node: "c", at: 0, skewMs: -20, driftRate: 0.01 },
    { kind: "link", from: "a", at: 10, dropProbability: 0.25, extraDelayMs: 5 },
    { kind: "crash", node: "b", at: 300 },
    { kind: "clock", node: "a", at: 310, driftRate: -0.007 },
  ],
  healAt: 500,
}
