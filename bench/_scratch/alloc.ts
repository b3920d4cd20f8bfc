import { Simulation } from "../../src/kernel/simulation.ts"
import { Event } from "../../src/kernel/event.ts"
const sim = new Simulation()
const N = 3_000_000
let keep: any
for (let r = 0; r < 4; r++) {
  let t0 = performance.now(); for (let i = 0; i < N; i++) keep = new Event(sim); const ta = performance.now() - t0
  t0 = performance.now(); for (let i = 0; i < N; i++) { keep = sim.timeout(0); sim.step() } const tb = performance.now() - t0
  t0 = performance.now(); for (let i = 0; i < N; i++) { keep = sim.timeout(1); sim.step() } const tc = performance.now() - t0
  console.log(`new Event ${(ta / N * 1e6).toFixed(0)}ns  timeout(0)+step ${(tb / N * 1e6).toFixed(0)}ns timeout(1)+step ${(tc / N * 1e6).toFixed(0)}ns`)
}
