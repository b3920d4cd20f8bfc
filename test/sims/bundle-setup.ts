/**
 * Vitest's global setup: bundles every sim once per test run (see bundle-sims.ts) into a fresh
 * folder under the OS temp dir, named per run so concurrent runs never share one, hands the folder
 * to the tests (`inject("simBundleDir")`, see sim-command.ts) and removes it when the run ends. A
 * build error fails the run.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { TestProject } from "vitest/node"
import { bundleSims } from "./bundle-sims.ts"

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), "simsys-sims-"))
  try {
    await bundleSims(dir)
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  project.provide("simBundleDir", dir)
  return () => rmSync(dir, { recursive: true, force: true })
}
