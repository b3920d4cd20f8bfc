import { spawnSync } from "node:child_process"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { textWidth } from "../../src/cli/wrap-text.ts"
import { loadSims, renderSimList, simFiles } from "../../sims/index.ts"

const root = join(import.meta.dirname, "..", "..")

describe("the list of sims (npm run sims)", () => {
  it("lists every sims/<name>.ts with the title from its own definition, within 100 columns", async () => {
    const sims = await loadSims()

    const text = renderSimList(sims)

    expect(sims.map((sim) => `${sim.name}.ts`)).toEqual(simFiles())
    expect(sims.length).toBeGreaterThanOrEqual(12)
    const flat = text.replace(/\n {24}/g, " ")
    for (const sim of sims) expect(flat).toContain(`  ${sim.name.padEnd(20)}  ${sim.title}`)
    expect(text.split("\n").every((line) => textWidth(line) <= 100)).toBe(true)
  })

  it("runs as npx tsx sims (the folder) and as npm run sims", () => {
    const tsx = join(root, "node_modules", ".bin", "tsx")
    const folder = spawnSync(tsx, ["sims"], { cwd: root, encoding: "utf8" })
    const script = spawnSync("npm", ["run", "-s", "sims"], { cwd: root, encoding: "utf8" })

    expect(folder.status).toBe(0)
    expect(folder.stdout).toMatch(/^\d+ sims, each a runnable lesson:\n/)
    expect(folder.stdout).toContain("mm-queue")
    expect(script.stdout).toBe(folder.stdout)
  })
})
