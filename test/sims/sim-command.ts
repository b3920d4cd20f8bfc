/**
 * How a test spawns a sim: {@link simCommand} runs the bundle bundle-setup.ts built for this test
 * run (see bundle-sims.ts), {@link tsxCommand} runs the source through tsx, as a user does.
 */
import { join } from "node:path"
import { inject } from "vitest"

declare module "vitest" {
  export interface ProvidedContext {
    /** The folder bundleSims built every sim into for this test run. */
    simBundleDir: string
  }
}

/** The folder the global setup bundled the sims into for this test run. */
export function simBundleDir(): string {
  const dir = inject("simBundleDir")
  if (dir === undefined) throw new Error("no sim bundle: vitest.config.ts must run test/sims/bundle-setup.ts")
  return dir
}

/** A command line: the program and its arguments. */
export interface Command {
  readonly command: string
  readonly args: string[]
}

/** `node <bundle>/<name>.mjs args`: the bundled `sims/<name>.ts` run as `npx tsx sims/<name>.ts args` runs it. */
export function simCommand(name: string, args: readonly string[] = []): Command {
  return { command: process.execPath, args: [join(simBundleDir(), `${name}.mjs`), ...args] }
}

/** `node --import tsx sims/<name>.ts args` (relative to the repository root): the sim as a user runs it. */
export function tsxCommand(name: string, args: readonly string[] = []): Command {
  return { command: process.execPath, args: ["--import", "tsx", join("sims", `${name}.ts`), ...args] }
}
