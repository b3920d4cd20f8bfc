/**
 * The Node-free path the playground is built on (docs/playground.md): `src/cli/run-json.ts`
 * bundles for the browser with no Node module but `node:crypto` (the kernel's trace hash, which
 * the playground replaces with web/stubs/node-crypto.ts), and that SHA-256 gives Node's digests.
 */
import { createHash } from "node:crypto"
import { join } from "node:path"
import { build } from "esbuild"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { runSimJson, runSimOutput, SimRunError } from "../../src/cli/run-json.ts"
import leaseLock from "../../sims/lease-lock.ts"
import { createHash as browserHash } from "../../web/stubs/node-crypto.ts"
import { runCaptured } from "../cli/run-captured.ts"

const ROOT = join(import.meta.dirname, "..", "..")

/** The Node modules a browser bundle of `entry` would need, by name. */
async function nodeModulesOf(entry: string): Promise<string[]> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    // The HTML report's client is bundled by esbuild at run time, on the command line only.
    external: ["node:*", "esbuild"],
    metafile: true,
    logLevel: "silent",
  })
  const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports)
  return [...new Set(imports.filter((i) => i.path.startsWith("node:")).map((i) => i.path))].sort()
}

describe("the browser runner", () => {
  it("needs no Node module but node:crypto, while the command-line runner needs files and threads", async () => {
    expect(await nodeModulesOf("src/cli/run-json.ts")).toEqual(["node:crypto"])
    expect(await nodeModulesOf("src/cli/run-sim.ts")).toEqual([
      "node:crypto",
      "node:fs",
      "node:path",
      "node:url",
      "node:worker_threads",
    ])
  })

  it("gives the command line's JSON, text and messages", async () => {
    const cli = await runCaptured(leaseLock, ["--seed", "3", "--json"])
    expect(await runSimJson(leaseLock, ["--seed", "3"])).toEqual(JSON.parse(cli.stdout))
    const text = await runCaptured(leaseLock, ["--seed", "3"])
    expect(await runSimOutput(leaseLock, ["--seed", "3"])).toEqual({ code: 0, stdout: text.stdout, stderr: "" })
    const bad = await runCaptured(leaseLock, ["--clients", "0"])
    expect(await runSimOutput(leaseLock, ["--clients", "0"])).toEqual({ code: 2, stdout: "", stderr: bad.stderr })
    await expect(runSimJson(leaseLock, ["--clients", "0"])).rejects.toThrow(SimRunError)
  })

  it("refuses --html, which writes a file, naming the flag (exit 2)", async () => {
    const run = await runSimOutput(leaseLock, ["--html", "report.html"])

    expect(run.code).toBe(2)
    expect(run.stderr).toContain(
      "lease-lock: --html writes a file, which the browser cannot do; run npx tsx sims/lease-lock.ts with it instead",
    )
  })

  it("hashes like Node's SHA-256, fed in any pieces", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary" }), { maxLength: 20 }), (pieces) => {
        const node = createHash("sha256")
        const browser = browserHash("sha256")
        for (const piece of pieces) {
          node.update(piece)
          browser.update(piece)
        }
        return node.digest("hex") === browser.digest("hex")
      }),
      { numRuns: 500 },
    )
    expect(browserHash("sha256").update("a".repeat(1_000_000)).digest("hex")).toBe(
      createHash("sha256").update("a".repeat(1_000_000)).digest("hex"),
    )
  })
})
