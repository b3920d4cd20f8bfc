import { Simulation } from "../../src/kernel/simulation.ts"
import type { Event } from "../../src/kernel/event.ts"
let s = 1
const rnd = () => { s = (Math.imul(s, 1103515245) + 12345) | 0; return ((s >>> 0) / 4294967296) }
const P = 1000, N = 1_000_000
function callbacks() {
  s = 1; const sim = new Simulation(); let done = 0
  const w = { _resume(_e: Event<any>) { if (++done === N) { sim.stop(); return } sim.timeout(-Math.log(1 - rnd()))._addWaiter(w) } }
  for (let i = 0; i < P; i++) sim.timeout(-Math.log(1 - rnd()))._addWaiter(w)
  sim.run()
}
function gens() {
  s = 1; const sim = new Simulation(); let done = 0
  function* p() { for (;;) { yield* sim.sleep(-Math.log(1 - rnd())); if (++done === N) sim.stop() } }
  for (let i = 0; i < P; i++) sim.spawn(p())
  sim.run()
}
const mode = process.argv[2]
for (let r = 0; r < 4; r++) {
  let t0 = performance.now(); if (mode !== "g") callbacks(); const a = performance.now() - t0
  t0 = performance.now(); if (mode !== "c") gens(); const b = performance.now() - t0
  console.log(`callbacks ${(a / N * 1e6).toFixed(0)}ns gens ${(b / N * 1e6).toFixed(0)}ns`)
}
