/**
 * Differential check against OSTEP's `malloc.py`, from recorded facts.
 *
 * `malloc-fixtures.json` holds inputs and what the real script printed with `-c` under python3
 * (recorded by `scripts/ostep-vm/malloc-fixtures.py`, not by reading our code): per operation its
 * kind, pointer, request, printed return value, search count and the free list after it; or, for an
 * input OSTEP cannot answer, the error it died with. Each case runs the malloc sim in-process with
 * the mapped flags: it must give the same answers, and exit 2 where OSTEP died. No OSTEP source is
 * kept here, only its outputs.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import malloc from "../../../sims/malloc.ts"
import { runCaptured } from "../../cli/run-captured.ts"

type Op = readonly [string, number, number | null, number | null, number | null, readonly [number, number][] | null]

interface AnsweredCase {
  readonly ostep: string
  readonly argv: readonly string[]
  readonly ops: readonly Op[]
}

interface FailedCase {
  readonly ostep: string
  readonly argv: readonly string[]
  readonly error: string
}

const { cases } = JSON.parse(readFileSync(join(import.meta.dirname, "malloc-fixtures.json"), "utf8")) as {
  cases: readonly (AnsweredCase | FailedCase)[]
}
const answered = cases.filter((c): c is AnsweredCase => !("error" in c))
const failed = cases.filter((c): c is FailedCase => "error" in c)

interface OurOp {
  kind: string
  ptr: number
  size: number | null
  chunk: number | null
  returned: number | null
  searched: number | null
  freeList: [number, number][] | null
}

describe("the malloc fixtures", () => {
  it("cover both modes, every policy and list order, coalescing, skips, and inputs OSTEP dies on", () => {
    expect(answered.length).toBeGreaterThanOrEqual(350)
    expect(failed.length).toBeGreaterThanOrEqual(15)
    expect(answered.filter((c) => c.ostep.includes(" -A ")).length).toBeGreaterThanOrEqual(120)
    expect(answered.filter((c) => c.ostep.includes(" -n ")).length).toBeGreaterThanOrEqual(200)
    for (const flag of [
      "-p BEST",
      "-p WORST",
      "-p FIRST",
      "-l ADDRSORT",
      "-l SIZESORT+",
      "-l SIZESORT-",
      "-l INSERT-FRONT",
      "-l INSERT-BACK",
      " -C ",
    ])
      expect(answered.filter((c) => c.ostep.includes(flag)).length, flag).toBeGreaterThanOrEqual(30)
    expect(answered.filter((c) => c.ops.some((op) => op[0] === "skip")).length).toBeGreaterThanOrEqual(50)
  })
})

describe("malloc agrees with OSTEP's malloc.py", () => {
  it.each(answered.map((c) => [c.ostep, c] as const))(
    "%s: same return values, search counts and free lists",
    async (_, c) => {
      const run = await runCaptured(malloc, [...c.argv, "--json"])
      expect(run.code, run.stderr).toBe(0)
      const m = JSON.parse(run.stdout).metrics as {
        ops: OurOp[]
        freeList: [number, number][]
        allocs: number
        failedAllocs: number
        frees: number
      }

      expect(m.ops.map((op) => [op.kind, op.ptr, op.size, op.returned, op.searched, op.freeList])).toEqual(c.ops)
      const allocs = c.ops.filter((op) => op[0] === "alloc")
      const headerAt = c.argv.indexOf("--header-size")
      const header = headerAt < 0 ? 0 : Number(c.argv[headerAt + 1])
      const random = !c.argv.some((arg) => arg.startsWith("--ops"))
      const failedReturn = random ? -1 + header : -1
      expect(m.allocs).toBe(allocs.length)
      expect(m.failedAllocs).toBe(allocs.filter((op) => op[3] === failedReturn).length)
      const last = [...c.ops].reverse().find((op) => op[5] !== null)
      if (last !== undefined) expect(m.freeList).toEqual(last[5])
      for (const op of m.ops.filter((o) => o.kind === "alloc"))
        expect(op.chunk === null ? failedReturn : op.chunk + (random ? header : 0)).toBe(op.returned)
    },
  )

  it.each(failed.map((c) => [c.ostep, c] as const))("%s: OSTEP dies, ours exits 2", async (_, c) => {
    const run = await runCaptured(malloc, [...c.argv, "--json"])

    expect(run.code).toBe(2)
    expect(run.stdout).toBe("")
  })
})
