import { Simulation } from "../../src/kernel/simulation.ts"
import { Event } from "../../src/kernel/event.ts"
const sim = new Simulation()
const N = 3_000_000
const ev = new Event(sim); ev._value = 5
function* a() { for (;;) { const x: number = yield* (ev as unknown as Event<number>); if (x < 0) return } }
function* b() { for (;;) { const x: number = yield 5; if (x < 0) return } }
function* c() { for (;;) { yield sim.timeout(1) } }
for (let r = 0; r < 3; r++) {
  let g: Generator<any, any, any> = a(); g.next()
  let t0 = performance.now(); for (let i = 0; i < N; i++) g.next(ev); const ta = performance.now() - t0
  g = b(); g.next()
  t0 = performance.now(); for (let i = 0; i < N; i++) g.next(1); const tb = performance.now() - t0
  const sim2 = new Simulation()
  t0 = performance.now(); for (let i = 0; i < N; i++) sim2.timeout(i % 1000); const tc = performance.now() - t0
  t0 = performance.now(); sim2.run(); const td = performance.now() - t0
  console.log(`yield* ev ${(ta / N * 1e6).toFixed(0)}ns  yield num ${(tb / N * 1e6).toFixed(0)}ns timeout() ${(tc / N * 1e6).toFixed(0)}ns run-per-event ${(td / N * 1e6).toFixed(0)}ns`)
}
