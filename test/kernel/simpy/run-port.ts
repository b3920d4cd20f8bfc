/** Runs a port and compares what it printed with SimPy's recorded output. */
import { readFileSync } from "node:fs"
import type { Port } from "./port.ts"

/** Everything `port` printed, as Python's `print` writes it. */
export function capture(port: Port): string {
  let out = ""
  port((text, end = "\n") => {
    out += text + end
  })
  return out
}

/** SimPy's output of python/<name>.py, recorded by record.py. */
export function recorded(name: string): string {
  return readFileSync(new URL(`./out/${name}.out`, import.meta.url), "utf8")
}

/** The first line where two outputs differ, as `line N: ours | simpy`, or null if they are equal. */
export function firstDifference(ours: string, simpy: string): string | null {
  if (ours === simpy) return null
  const a = ours.split("\n")
  const b = simpy.split("\n")
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue
    return `line ${i + 1}: ours ${JSON.stringify(a[i] ?? "<end>")} | simpy ${JSON.stringify(b[i] ?? "<end>")}`
  }
  return null
}
