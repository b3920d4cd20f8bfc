/**
 * Properties of address translation (issue 17), over generated address spaces, registers, tables
 * and memories: a valid address lands inside the physical range of its segment or page, at its
 * offset, and an address faults exactly when nothing maps it; a two-level page table and a linear
 * one built for the same mapping translate every address alike; and the checks accept every drawn
 * problem's translations.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { MersenneTwister } from "../../../src/kernel/index.ts"
import {
  baseBoundsChecks,
  drawBaseBounds,
  drawSegmentation,
  drawTwoLevelMemory,
  linearPageChecks,
  PAGE_BYTES,
  segmentationChecks,
  translateBaseBounds,
  translateLinear,
  translateSegmented,
  translateTwoLevel,
  VIRTUAL_BYTES,
  VIRTUAL_PAGES,
} from "../../../src/models/memory/index.ts"
import { checkProperty } from "../../laws/index.ts"

const testFile = "test/models/memory/translation.prop.test.ts"

/** An address space, registers that fit it, and an address in it. */
const baseBoundsCase = fc
  .record({ asize: fc.integer({ min: 1, max: 1 << 20 }), base: fc.nat({ max: 1 << 24 }) })
  .chain(({ asize, base }) =>
    fc.record({
      asize: fc.constant(asize),
      base: fc.constant(base),
      limit: fc.nat({ max: 2 * asize }),
      virtual: fc.nat({ max: asize - 1 }),
    }),
  )

/** Two segments with limits up to half the address space, segment 1's top at least its limit. */
const segmentCase = fc
  .record({ half: fc.integer({ min: 1, max: 1 << 16 }), odd: fc.boolean() })
  .chain(({ half, odd }) => {
    const asize = 2 * half + (odd ? 1 : 0)
    return fc.record({
      asize: fc.constant(asize),
      base0: fc.nat({ max: 1 << 20 }),
      limit0: fc.nat({ max: Math.floor(asize / 2) }),
      limit1: fc.nat({ max: Math.floor(asize / 2) }),
      above: fc.nat({ max: 1 << 20 }),
      virtual: fc.nat({ max: asize - 1 }),
    })
  })

/** A page size, a table mapping some pages to distinct frames, and an address. */
const pageCase = fc
  .record({
    pageBits: fc.integer({ min: 0, max: 12 }),
    vpages: fc.integer({ min: 1, max: 64 }),
    extra: fc.integer({ min: 1, max: 64 }),
  })
  .chain(({ pageBits, vpages, extra }) => {
    const frames = vpages + extra
    return fc.record({
      pageSize: fc.constant(2 ** pageBits),
      table: fc
        .shuffledSubarray(
          Array.from({ length: frames }, (_, f) => f),
          { minLength: vpages, maxLength: vpages },
        )
        .chain((picked) =>
          fc
            .array(fc.boolean(), { minLength: vpages, maxLength: vpages })
            .map((valid) => picked.map((f, i) => (valid[i] ? f : null))),
        ),
      virtual: fc.nat({ max: vpages * 2 ** pageBits - 1 }),
    })
  })

describe("address translation properties", () => {
  it("base and bounds: valid iff below the bounds, then at base + address inside [base, base + bounds)", () => {
    checkProperty(
      fc.property(baseBoundsCase, ({ base, limit, virtual }) => {
        const t = translateBaseBounds(base, limit, virtual)

        expect(t.valid).toBe(virtual < limit)
        if (t.physical !== null) {
          expect(t.physical).toBeGreaterThanOrEqual(base)
          expect(t.physical).toBeLessThan(base + limit)
          expect(t.physical - base).toBe(virtual)
        }
      }),
      { testFile, numRuns: 300 },
    )
  })

  it("segmentation: a valid address lands inside its segment, counted from the end it grows from; the rest fault", () => {
    checkProperty(
      fc.property(segmentCase, ({ asize, base0, limit0, limit1, above, virtual }) => {
        const top1 = limit1 + above
        const t = translateSegmented(
          asize,
          [
            { base: base0, limit: limit0 },
            { base: top1, limit: limit1 },
          ],
          virtual,
        )
        const inTopHalf = 2 * virtual >= asize

        expect(t.segment).toBe(inTopHalf ? 1 : 0)
        expect(t.valid).toBe(inTopHalf ? asize - virtual <= limit1 : virtual < limit0)
        if (t.physical !== null && t.segment === 0)
          expect([t.physical - base0, t.physical < base0 + limit0]).toEqual([virtual, true])
        if (t.physical !== null && t.segment === 1) {
          expect(t.physical).toBeGreaterThanOrEqual(top1 - limit1)
          expect(top1 - t.physical).toBe(asize - virtual)
        }
      }),
      { testFile, numRuns: 300 },
    )
  })

  it("linear page table: a valid address lands in its page's frame at its offset; an invalid page faults", () => {
    checkProperty(
      fc.property(pageCase, ({ pageSize, table, virtual }) => {
        const t = translateLinear(table, pageSize, virtual)
        const frame = table[Math.floor(virtual / pageSize)]!

        expect(t.valid).toBe(frame !== null)
        if (t.physical !== null) {
          expect(Math.floor(t.physical / pageSize)).toBe(frame)
          expect(t.physical % pageSize).toBe(virtual % pageSize)
        }
      }),
      { testFile, numRuns: 300 },
    )
  })

  it("a two-level table and a linear one for the same mapping translate every one of the 32768 addresses alike", () => {
    checkProperty(
      fc.property(fc.nat({ max: 2 ** 32 }), fc.integer({ min: 0, max: 95 }), (seed, allocated) => {
        const drawn = drawTwoLevelMemory({ allocated, numAddresses: 0 }, new MersenneTwister(seed))
        if (!drawn.ok) throw new Error(drawn.rule)
        const { memory, pdbr, allocatedPages, dataPages } = drawn.problem
        const linear: (number | null)[] = Array.from({ length: VIRTUAL_PAGES }, () => null)
        allocatedPages.forEach((vp, k) => (linear[vp] = dataPages[k]!))

        for (let virtual = 0; virtual < VIRTUAL_BYTES; virtual++) {
          const two = translateTwoLevel(memory, pdbr, virtual)
          const one = translateLinear(linear, PAGE_BYTES, virtual)
          if (two.physical !== one.physical || (two.fault === null) !== one.valid)
            throw new Error(`VA ${virtual}: two-level ${JSON.stringify(two)}, linear ${JSON.stringify(one)}`)
        }
      }),
      { testFile, numRuns: 40 },
    )
  })

  it("the checks accept the translations of every drawn base-and-bounds and segmentation problem", () => {
    checkProperty(
      fc.property(
        fc.nat({ max: 2 ** 32 }),
        fc.integer({ min: 1, max: 1 << 16 }),
        fc.integer({ min: 3, max: 8 }),
        (seed, asize, times) => {
          const psize = asize * times
          const random = new MersenneTwister(seed)
          const bb = drawBaseBounds({ addressSpace: asize, physicalMemory: psize, numAddresses: 20 }, random)
          const seg = drawSegmentation({ addressSpace: asize, physicalMemory: psize, numAddresses: 20 }, random)
          if (!bb.ok) throw new Error(bb.rule)
          if (!seg.ok) return // a drawn segment 0 can leave segment 1 no room, or the narrow overlap rule refuses it
          const bbAnswers = bb.problem.addresses.map((v) => ({
            type: "BaseBoundsTranslated" as const,
            ...translateBaseBounds(bb.problem.base, bb.problem.limit, v),
            base: bb.problem.base,
            limit: bb.problem.limit,
          }))
          const segAnswers = seg.problem.addresses.map((v) => {
            const t = translateSegmented(asize, seg.problem.segments, v)
            return { type: "SegmentTranslated" as const, ...t, addressSpace: asize, ...seg.problem.segments[t.segment] }
          })

          expect(baseBoundsChecks(bb.problem, bbAnswers).every((c) => c.held)).toBe(true)
          expect(segmentationChecks(seg.problem, segAnswers).every((c) => c.held)).toBe(true)
        },
      ),
      { testFile, numRuns: 200 },
    )
  })

  it("the checks accept a linear table's translations and reject an answer moved to another frame", () => {
    checkProperty(
      fc.property(pageCase, ({ pageSize, table, virtual }) => {
        const problem = {
          addressSpace: table.length * pageSize,
          physicalMemory: 0,
          pageSize,
          pageTable: table,
          addresses: [virtual],
        }
        const t = translateLinear(table, pageSize, virtual)
        const event = { type: "PageTranslated" as const, ...t, pfn: table[t.vpn] ?? null, pageSize }

        expect(linearPageChecks(problem, [event]).every((c) => c.held)).toBe(true)
        if (t.physical !== null) {
          const moved = { ...event, physical: t.physical + pageSize * table.length * 2 }
          expect(linearPageChecks(problem, [moved])[0]!.held).toBe(false)
        }
      }),
      { testFile, numRuns: 200 },
    )
  })
})
