// micro: cost of allocating event-like objects with class fields vs ctor assignment
class A { a = 0; b = true; c: any = undefined; d = false; e = false; f: any = null; g: any = null; constructor(readonly s: object) {} }
class B extends A { readonly at: number; constructor(s: object, t: number) { super(s); this.at = t } }
class C { a: number; b: boolean; c: any; d: boolean; e: boolean; f: any; g: any; s: object; constructor(s: object) { this.s = s; this.a = 0; this.b = true; this.c = undefined; this.d = false; this.e = false; this.f = null; this.g = null } }
class D extends C { at: number; constructor(s: object, t: number) { super(s); this.at = t } }
const N = 5_000_000, s = {}
let keep: any
for (let r = 0; r < 3; r++) {
  let t0 = performance.now(); for (let i = 0; i < N; i++) keep = new B(s, i); const x = performance.now() - t0
  t0 = performance.now(); for (let i = 0; i < N; i++) keep = new D(s, i); const y = performance.now() - t0
  console.log(`fields ${(x / N * 1e6).toFixed(1)}ns ctor ${(y / N * 1e6).toFixed(1)}ns`)
}
