/**
 * Every sim at the narrowest `--width` allowed (40): every line of its report fits. A table too
 * wide for any column sizes is printed as a list (see `src/cli/table.ts`); before, eight sims' tables
 * (batch-commit's six columns, process-run's, tcp-rounds' ...) were cut into columns a letter wide
 * and still ran past the width.
 */
import { describe, expect, it } from "vitest"
import { EXIT_CODE } from "../../src/cli/index.ts"
import { textWidth, WIDTH_MIN } from "../../src/cli/wrap-text.ts"
import { loadSims } from "../../sims/index.ts"
import { runCaptured } from "../cli/run-captured.ts"

const sims = await loadSims()

describe(`every sim at --width ${WIDTH_MIN}`, () => {
  it.each(sims.map((sim) => [sim.name, sim] as const))(
    "%s: every line of the report fits",
    async (_name, sim) => {
      const run = await runCaptured(sim, ["--width", String(WIDTH_MIN)])
      const wide = run.stdout.split("\n").filter((line) => textWidth(line) > WIDTH_MIN)

      expect(run.code).toBe(EXIT_CODE.ok)
      expect(wide).toEqual([])
    },
    120_000,
  )
})
