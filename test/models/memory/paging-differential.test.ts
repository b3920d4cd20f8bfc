/**
 * Differential check against OSTEP's `paging-policy.py`, from recorded facts.
 *
 * `paging-policy-fixtures.json` holds inputs and what the real script printed with `-c` under
 * python3 (recorded by `scripts/ostep-vm/paging-fixtures.py`, not by reading our code): per
 * reference the page, hit or miss, the victim and the cache list after it, then the totals and the
 * hit rate; or, for an input OSTEP cannot answer, the error it died with. Each case runs the paging
 * sim in-process with the mapped flags: it must give the same answers, and exit 2 where OSTEP died.
 * No OSTEP source is kept here, only its outputs.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import paging from "../../../sims/paging.ts"
import { runCaptured } from "../../cli/run-captured.ts"

type Access = readonly [number, boolean, number | null, readonly number[]]

interface AnsweredCase {
  readonly ostep: string
  readonly argv: readonly string[]
  readonly hits: number
  readonly misses: number
  readonly hitrate: string
  readonly accesses: readonly Access[]
}

interface FailedCase {
  readonly ostep: string
  readonly argv: readonly string[]
  readonly error: string
}

type Case = AnsweredCase | FailedCase

const { cases } = JSON.parse(readFileSync(join(import.meta.dirname, "paging-policy-fixtures.json"), "utf8")) as {
  cases: readonly Case[]
}
const answered = cases.filter((c): c is AnsweredCase => !("error" in c))
const failed = cases.filter((c): c is FailedCase => "error" in c)

describe("the paging fixtures", () => {
  it("cover every OSTEP policy, drawn and explicit references, and inputs OSTEP dies on", () => {
    expect(answered.length).toBeGreaterThanOrEqual(400)
    expect(failed.length).toBeGreaterThanOrEqual(8)
    for (const policy of ["FIFO", "LRU", "OPT", "CLOCK", "RAND"])
      expect(answered.filter((c) => c.ostep.includes(`-p ${policy}`)).length).toBeGreaterThanOrEqual(60)
    expect(answered.filter((c) => c.ostep.includes(" -n ")).length).toBeGreaterThanOrEqual(150)
    expect(answered.filter((c) => c.ostep.includes(" -a ")).length).toBeGreaterThanOrEqual(150)
  })
})

describe("paging agrees with OSTEP's paging-policy.py", () => {
  it.each(answered.map((c) => [c.ostep, c] as const))(
    "%s: same hits, misses, victims and cache lists",
    async (_, c) => {
      const run = await runCaptured(paging, [...c.argv, "--json"])
      expect(run.code, run.stderr).toBe(0)
      const m = JSON.parse(run.stdout).metrics

      expect([m.hits, m.misses]).toEqual([c.hits, c.misses])
      expect(m.hitRate).toBe(c.hits / (c.hits + c.misses))
      expect(m.refs).toEqual(c.accesses.map((a) => a[0]))
      expect(
        m.accesses.map((a: { page: number; hit: boolean; victim: number | null; frames: number[] }) => [
          a.page,
          a.hit,
          a.victim,
          a.frames,
        ]),
      ).toEqual(c.accesses)
    },
  )

  it.each(answered.slice(0, 40).map((c) => [c.ostep, c] as const))(
    "%s: the text prints OSTEP's FINALSTATS line",
    async (_, c) => {
      const run = await runCaptured(paging, [...c.argv])

      expect(run.code, run.stderr).toBe(0)
      expect(run.stdout).toContain(`FINALSTATS hits ${c.hits}   misses ${c.misses}   hitrate ${c.hitrate}\n`)
    },
  )

  it.each(failed.map((c) => [c.ostep, c] as const))("%s: OSTEP dies, ours exits 2", async (_, c) => {
    const run = await runCaptured(paging, [...c.argv, "--json"])

    expect(run.code).toBe(2)
    expect(run.stdout).toBe("")
    expect(run.stderr).toMatch(/bad value for --(frames|refs)/)
  })
})
