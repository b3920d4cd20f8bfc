/**
 * The definitions of the sims the build bundled (`simsys:sims`), each loaded on first use and
 * kept: shared by the page (web/main.ts) and the run worker (web/run-answer.ts), each of which has
 * its own cache, since they run in different threads.
 */
import { SIMS } from "simsys:sims"
import type { FlagSpecs, SimDefinition } from "../src/cli/define-sim.ts"

const loaded = new Map<string, Promise<SimDefinition<FlagSpecs>>>()

/** The definition of the sim named `name`, loaded once; rejects naming the sims for an unknown name. */
export function definitionOf(name: string): Promise<SimDefinition<FlagSpecs>> {
  const entry = SIMS.find((sim) => sim.name === name)
  if (entry === undefined)
    return Promise.reject(new Error(`no sim named ${name}; the sims: ${SIMS.map((s) => s.name).join(", ")}`))
  let definition = loaded.get(name)
  if (definition === undefined) {
    definition = entry.load().then((module) => module.default)
    loaded.set(name, definition)
  }
  return definition
}
