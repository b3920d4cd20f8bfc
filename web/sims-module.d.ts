/** The list of sims the build generates (scripts/build-web.ts): name, title and a lazy loader. */
declare module "simsys:sims" {
  import type { FlagSpecs, SimDefinition } from "../src/cli/define-sim.ts"
  export const SIMS: readonly {
    readonly name: string
    readonly title: string
    readonly load: () => Promise<{ readonly default: SimDefinition<FlagSpecs> }>
  }[]
}
