/**
 * A fresh strategy object by name: each flow gets its own (CUBIC keeps per-flow state).
 */
import type { Algorithm, CongestionControl } from "./congestion-control.ts"
import { Cubic } from "./cubic.ts"
import { NewReno } from "./newreno.ts"
import { Reno } from "./reno.ts"
import { Tahoe } from "./tahoe.ts"

/** A new {@link CongestionControl} of the named algorithm, with its default options. */
export function createCongestionControl(algorithm: Algorithm): CongestionControl {
  switch (algorithm) {
    case "tahoe":
      return new Tahoe()
    case "reno":
      return new Reno()
    case "newreno":
      return new NewReno()
    case "cubic":
      return new Cubic()
  }
}
