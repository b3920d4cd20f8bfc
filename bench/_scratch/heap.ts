import { EventQueue, orderKey } from "../../src/kernel/event-queue.ts"
import { EventHeap } from "../../../shared/examples/event-heap.ts"
let s = 1
const rnd = () => { s = (Math.imul(s, 1103515245) + 12345) | 0; return ((s >>> 0) / 4294967296) }
const N = 2_000_000
const objs = Array.from({ length: 1000 }, (_, i) => ({ i }))
for (let r = 0; r < 3; r++) {
  s = 1; let q = new EventQueue<{ i: number }>(); let seq = 0; let now = 0
  for (let i = 0; i < 1000; i++) q.push(rnd(), orderKey(1, seq++), objs[i]!)
  let t0 = performance.now()
  for (let i = 0; i < N; i++) { now = q.peekTime(); const o = q.pop()!; q.push(now - Math.log(1 - rnd()), orderKey(1, seq++), o) }
  const a = performance.now() - t0
  s = 1; const h = new EventHeap(); seq = 0
  for (let i = 0; i < 1000; i++) h.push(rnd(), seq++)
  t0 = performance.now()
  for (let i = 0; i < N; i++) { h.pop(); now = h.lastTime; h.push(now - Math.log(1 - rnd()), seq++) }
  const b = performance.now() - t0
  console.log(`EventQueue ${(a / N * 1e6).toFixed(0)}ns  EventHeap ${(b / N * 1e6).toFixed(0)}ns`)
}
