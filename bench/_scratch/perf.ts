import { Simulation } from "../../src/kernel/simulation.ts"
import { EventHeap } from "/work/shared/examples/event-heap.ts"
let s = 12345
const rnd = () => { s = (Math.imul(s, 1103515245) + 12345) | 0; return ((s >>> 0) / 4294967296) }
const P = 1000, N = 1_000_000
function ceiling() {
  s = 1
  const heap = new EventHeap(); const procs: Generator<number, void, void>[] = []; let seq = 0, done = 0, now = 0
  function* p() { for (;;) { yield -Math.log(1 - rnd()) } }
  for (let i = 0; i < P; i++) { const g = p(); procs.push(g); heap.push(now + g.next().value as number, seq); seqToProc.push(i); seq++ }
  // map seq->proc index via array
  while (done < N) { const id = heap.pop(); now = heap.lastTime; done++; const pi = seqToProc[id]!; const d = procs[pi]!.next().value as number; heap.push(now + d, seq); seqToProc[seq] = pi; seq++ }
  return now
}
const seqToProc: number[] = []
function ours() {
  s = 1
  const sim = new Simulation(); let done = 0
  function* p() { for (;;) { yield* sim.sleep(-Math.log(1 - rnd())); if (++done === N) sim.stop() } }
  for (let i = 0; i < P; i++) sim.spawn(p())
  sim.run(); return sim.now
}
for (let r = 0; r < 3; r++) {
  let t0 = performance.now(); ceiling(); const c = performance.now() - t0
  t0 = performance.now(); ours(); const o = performance.now() - t0
  console.log(`ceiling ${(N / c * 1000 / 1e6).toFixed(2)}M/s ours ${(N / o * 1000 / 1e6).toFixed(2)}M/s ratio ${(c / o).toFixed(2)}`)
}
