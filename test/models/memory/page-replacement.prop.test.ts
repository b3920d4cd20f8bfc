/**
 * Properties of page replacement over generated reference strings (issue 17): OPT's misses are ≤
 * every policy's; LRU is a stack algorithm (misses never increase with frames, and the resident set
 * with k frames is a subset of the one with k + 1); OPT's misses never increase with frames, but
 * with OSTEP's tie-break its resident sets need not nest (a counterexample); misses ≥ distinct pages, equal
 * once the frames hold them all; the resident set never exceeds the frames.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { MersenneTwister } from "../../../src/kernel/index.ts"
import { PAGING_POLICIES, type PagingPolicy, simulatePaging } from "../../../src/models/memory/index.ts"
import { checkProperty } from "../../laws/index.ts"

const TEST_FILE = "test/models/memory/page-replacement.prop.test.ts"

const refsArb = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 60 })
const framesArb = fc.integer({ min: 1, max: 8 })
const seedArb = fc.integer({ min: 0, max: 1_000_000 })

function run(refs: readonly number[], policy: PagingPolicy, frames: number, seed: number, useBitOnLoad: 0 | 1 = 1) {
  return simulatePaging(refs, { policy, frames, clockBits: 2, useBitOnLoad, random: new MersenneTwister(seed) })
}

describe("page replacement properties", () => {
  it("OPT misses no more than any policy on the same string and frames", () => {
    checkProperty(
      fc.property(refsArb, framesArb, seedArb, (refs, frames, seed) => {
        const opt = run(refs, "opt", frames, seed).misses
        for (const policy of PAGING_POLICIES) expect(run(refs, policy, frames, seed).misses).toBeGreaterThanOrEqual(opt)
      }),
      { testFile: TEST_FILE },
    )
  })

  it("LRU is a stack algorithm: the resident set with k frames is inside the one with k + 1", () => {
    checkProperty(
      fc.property(refsArb, framesArb, (refs, frames) => {
        const small = run(refs, "lru", frames, 0)
        const large = run(refs, "lru", frames + 1, 0)
        expect(large.misses).toBeLessThanOrEqual(small.misses)
        small.accesses.forEach((access, i) => {
          for (const page of access.frames) expect(large.accesses[i]!.frames).toContain(page)
        })
      }),
      { testFile: TEST_FILE },
    )
  })

  it("OPT never misses more with one more frame (it is optimal for every frame count)", () => {
    checkProperty(
      fc.property(refsArb, framesArb, (refs, frames) => {
        expect(run(refs, "opt", frames + 1, 0).misses).toBeLessThanOrEqual(run(refs, "opt", frames, 0).misses)
      }),
      { testFile: TEST_FILE },
    )
  })

  it("OPT's resident sets need not nest: OSTEP's tie-break among pages never used again depends on load order", () => {
    // The shrunk counterexample of "OPT is a stack algorithm" (MIN with a tie-break that ignores
    // the frame count is one; OSTEP's paging-policy.py evicts the later-loaded of the tied pages).
    const refs = [7, 5, 0, 5, 9, 7, 9, 1]
    const small = run(refs, "opt", 2, 0)
    const large = run(refs, "opt", 3, 0)
    const notNested = small.accesses.findIndex((access, i) =>
      access.frames.some((page) => !large.accesses[i]!.frames.includes(page)),
    )
    expect(notNested).toBeGreaterThanOrEqual(0)
    expect(large.misses).toBeLessThanOrEqual(small.misses)
  })

  it("misses are at least the distinct pages, and equal once the frames hold them all", () => {
    checkProperty(
      fc.property(refsArb, framesArb, seedArb, fc.constantFrom(...PAGING_POLICIES), (refs, frames, seed, policy) => {
        const distinct = new Set(refs).size
        const result = run(refs, policy, frames, seed)
        expect(result.misses).toBeGreaterThanOrEqual(distinct)
        expect(run(refs, policy, distinct, seed).misses).toBe(distinct)
        expect(result.hits + result.misses).toBe(refs.length)
      }),
      { testFile: TEST_FILE },
    )
  })

  it("never holds more pages than frames, nor a page twice, and evicts only resident pages", () => {
    checkProperty(
      fc.property(
        refsArb,
        framesArb,
        seedArb,
        fc.constantFrom(...PAGING_POLICIES),
        fc.constantFrom<0 | 1>(0, 1),
        (refs, frames, seed, policy, bit) => {
          let before: readonly number[] = []
          for (const access of run(refs, policy, frames, seed, bit).accesses) {
            expect(access.frames.length).toBeLessThanOrEqual(frames)
            expect(new Set(access.frames).size).toBe(access.frames.length)
            expect(access.frames).toContain(access.page)
            expect(access.hit).toBe(before.includes(access.page))
            if (access.victim !== null) expect(before).toContain(access.victim)
            expect(access.victim !== null).toBe(!access.hit && before.length === frames)
            before = access.frames
          }
        },
      ),
      { testFile: TEST_FILE },
    )
  })
})
