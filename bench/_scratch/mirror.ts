import { EventQueue } from "../../src/kernel/event-queue.ts"
let s = 1
const rnd = () => { s = (Math.imul(s, 1103515245) + 12345) | 0; return ((s >>> 0) / 4294967296) }
const P = 1000, N = 1_000_000
class T { w: any = null; v: any = undefined; constructor(readonly at: number) {} 
  [Symbol.iterator]() { return this }
  next(x?: any) { if (x === undefined) return { done: false, value: this }; return { done: true, value: x.v } } }
function mirror(mode: string) {
  s = 1
  const q = new EventQueue<T>(); let seq = 0, done = 0, now = 0
  const sleep = (d: number) => { const t = new T(now + d); q.push(now + d, seq++, t); return t }
  function* p1(): Generator<any, void, any> { for (;;) { yield sleep(-Math.log(1 - rnd())) } }
  function* p2(): Generator<any, void, any> { for (;;) { yield* sleep(-Math.log(1 - rnd())) } }
  const mk = mode === "1" ? p1 : p2
  for (let i = 0; i < P; i++) { const g = mk(); const t = g.next().value as T; t.w = g }
  while (done < N) {
    now = q.peekTime(); const t = q.pop()!; done++
    const g = t.w; const r = g.next(t); (r.value as T).w = g
  }
}
const mode = process.argv[2] ?? "1"
for (let r = 0; r < 4; r++) { const t0 = performance.now(); mirror(mode); const a = performance.now() - t0; console.log(`mode ${mode} ${(a / N * 1e6).toFixed(0)}ns`) }
