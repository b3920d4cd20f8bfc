import { Simulation } from "../../src/kernel/simulation.ts"
import { Timeout, type Event } from "../../src/kernel/event.ts"
let s = 1
const rnd = () => { s = (Math.imul(s, 1103515245) + 12345) | 0; return ((s >>> 0) / 4294967296) }
const P = 1000, N = 1_000_000
class W { constructor(readonly g: Generator<any, any, any>) {} _resume(e: Event<any>) { const r = this.g.next(e); if (!r.done) (r.value as Event<any>)._addWaiter(this) } }
function run(mode: string) {
  s = 1; const sim = new Simulation(); let done = 0
  // generator computes delay, yields number; waiter schedules
  function* p() { for (;;) { yield -Math.log(1 - rnd()); if (++done === N) sim.stop() } }
  class W2 { constructor(readonly g: Generator<any, any, any>) {} _resume(e: Event<any>) { const r = this.g.next(e); if (!r.done) sim.timeout(r.value)._addWaiter(this) } }
  function* q() { for (;;) { yield new Timeout(sim, -Math.log(1 - rnd()), undefined); if (++done === N) sim.stop() } }
  for (let i = 0; i < P; i++) {
    if (mode === "a") { const g = p(); const r = g.next(); sim.timeout(r.value)._addWaiter(new W2(g)) }
    else { const g = q(); const r = g.next(); (r.value as Event<any>)._addWaiter(new W(g)) }
  }
  sim.run()
}
const mode = process.argv[2]!
for (let r = 0; r < 4; r++) { const t0 = performance.now(); run(mode); const a = performance.now() - t0; console.log(`${mode} ${(a / N * 1e6).toFixed(0)}ns`) }
