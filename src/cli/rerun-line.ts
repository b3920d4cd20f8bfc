/**
 * The line that ends every text report: `seed=7  rerun: npx tsx sims/<name>.ts --seed 7 ...`.
 *
 * The rerun command lists the seed and every sim param explicitly, defaults included, so it
 * replays the same run even after a default changes. Output-mode flags (`--json`, `--trace`,
 * `--strict`, `--quiz`, and a sim's own output files such as `--pcap`) are left out: they change
 * what is printed or written, not what happens.
 */
import { shellQuote } from "../check/shell-quote.ts"
import type { FlagSpecs, Params, SimDefinition } from "./define-sim.ts"
import { flagName } from "./flag.ts"

/**
 * The command-line arguments that give these params: `["--arrival-rate", "0.9", ...]`, in the
 * order the sim declares its flags, output files (`flag.outputFile`) left out. Numbers use the shortest text that parses back to the same
 * double; a boolean is `--name` when true and `--name=false` when false; a value that starts with
 * `-` (`-1`, `-a,b`) is joined to its flag, `--name=-1`, so that it cannot be read as a flag.
 */
export function flagArguments<F extends FlagSpecs>(definition: SimDefinition<F>, params: Params<F>): string[] {
  const args: string[] = []
  for (const [key, spec] of Object.entries(definition.flags)) {
    if (spec.writesFile) continue
    const name = flagName(key, spec)
    const value: unknown = params[key as keyof Params<F>]
    if (typeof value === "boolean") args.push(value ? `--${name}` : `--${name}=false`)
    else args.push(...valueArguments(name, String(value)))
  }
  return args
}

/** `npx tsx sims/<name>.ts --seed N <every sim flag>`, shell-quoted. */
export function rerunCommand<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  seed: number,
  params: Params<F>,
): string {
  const args = ["--seed", String(seed), ...flagArguments(definition, params)]
  return `npx tsx sims/${definition.name}.ts ${args.map(shellQuote).join(" ")}`
}

/** The last line of a text report: `seed=N  rerun: <rerunCommand>`. */
export function rerunLine<F extends FlagSpecs>(definition: SimDefinition<F>, seed: number, params: Params<F>): string {
  return `seed=${seed}  rerun: ${rerunCommand(definition, seed, params)}`
}

/** `["--name", value]`, or `["--name=value"]` when the value starts with `-` and would read as a flag. */
function valueArguments(name: string, value: string): string[] {
  return value.startsWith("-") ? [`--${name}=${value}`] : [`--${name}`, value]
}
