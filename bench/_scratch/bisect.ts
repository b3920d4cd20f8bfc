import { Simulation } from "../../src/kernel/simulation.ts"
import type { Event } from "../../src/kernel/event.ts"
let s = 1
const rnd = () => { s = (Math.imul(s, 1103515245) + 12345) | 0; return ((s >>> 0) / 4294967296) }
const P = 1000, N = 1_000_000
class W { constructor(readonly g: Generator<any, any, any>) {} _resume(e: Event<any>) { const r = this.g.next(e); if (!r.done) (r.value as Event<any>)._addWaiter(this) } }
function run(mode: string) {
  s = 1; const sim = new Simulation(); let done = 0
  function* p() { for (;;) { yield* sim.sleep(-Math.log(1 - rnd())); if (++done === N) sim.stop() } }
  function* q() { for (;;) { yield sim.sleep(-Math.log(1 - rnd())); if (++done === N) sim.stop() } }
  for (let i = 0; i < P; i++) { const g = mode === "a" ? p() : q(); const r = g.next(); (r.value as Event<any>)._addWaiter(new W(g)) }
  sim.run()
}
const mode = process.argv[2]!
for (let r = 0; r < 4; r++) { const t0 = performance.now(); run(mode); const a = performance.now() - t0; console.log(`${mode} ${(a / N * 1e6).toFixed(0)}ns`) }
