/**
 * The run a URL names: `#sim=lease-lock&seed=3&lease-ttl-ms=500` is `npx tsx sims/lease-lock.ts
 * --seed=3 --lease-ttl-ms=500`. Only the flags that were given are in the URL, each as its name
 * without dashes; a boolean switch is `name=true` or `name=false`. So a shared link reloads to the
 * same flags, and the same seed gives the same run.
 */

/** A sim and the flags given to it, by flag name (without dashes), as text. */
export interface RunState {
  readonly sim: string | undefined
  readonly flags: ReadonlyMap<string, string>
}

/** The run a location hash names (an empty or foreign hash names no sim). */
export function parseHash(hash: string): RunState {
  const query = new URLSearchParams(hash.replace(/^#/, ""))
  const flags = new Map<string, string>()
  for (const [name, value] of query) if (name !== "sim") flags.set(name, value)
  return { sim: query.get("sim") ?? undefined, flags }
}

/** The hash that names `state` (without the `#`). */
export function formatHash(state: RunState): string {
  const query = new URLSearchParams()
  if (state.sim !== undefined) query.set("sim", state.sim)
  for (const [name, value] of state.flags) query.set(name, value)
  return query.toString()
}

/**
 * The command-line arguments of the flags, in order: `--name=value`, a true switch as `--name`
 * (booleans are told by `isSwitch`).
 */
export function argvOf(flags: ReadonlyMap<string, string>, isSwitch: (name: string) => boolean): string[] {
  return [...flags].map(([name, value]) => (isSwitch(name) && value === "true" ? `--${name}` : `--${name}=${value}`))
}
