/**
 * The files a sim writes through its own {@link flag.outputFile} flags (`--pcap`, `--profile`):
 * opened before the run, so a path that cannot be written is bad input (exit 2) before any work
 * and leaves nothing behind; written after the run from `SimOutcome.files`; removed if the run
 * fails (a file that cannot be written, e.g. on a full disk, is reported like one that cannot be
 * opened). The runner's own `--trace` and `--perfetto` files are streams and live in their sinks.
 */
import { closeSync, openSync, writeSync } from "node:fs"
import type { FlagSpecs, Params, SimOutcome } from "./define-sim.ts"
import { flagName } from "./flag.ts"
import { removeWrittenFile } from "./remove-written-file.ts"

interface OpenFile {
  readonly key: string
  readonly flag: string
  readonly path: string
  readonly fd: number
}

/** The sim's output files that the params name, each open for writing. */
export class OutputFiles {
  /** The files are closed (written or discarded). */
  private closed = false

  private constructor(private readonly files: readonly OpenFile[]) {}

  /**
   * Opens (creating or truncating) every output file the params name; on a path that cannot be
   * written, closes and removes the ones already opened and returns the sentence naming the flag,
   * the path and the reason.
   */
  static open<F extends FlagSpecs>(flags: F, params: Params<F>): OutputFiles | string {
    const opened: OpenFile[] = []
    for (const [key, spec] of Object.entries(flags)) {
      const path = (params as Record<string, unknown>)[key]
      if (!spec.writesFile || typeof path !== "string" || path === "") continue
      const flag = flagName(key, spec)
      try {
        opened.push({ key, flag, path, fd: openSync(path, "w") })
      } catch (error) {
        new OutputFiles(opened).discard()
        const reason = error instanceof Error ? error.message : String(error)
        return `cannot write --${flag} ${path}: ${reason}`
      }
    }
    return new OutputFiles(opened)
  }

  /**
   * Writes what the outcome holds for each open file and closes it; returns undefined, or, when a
   * file cannot be written (a full disk), the sentence naming the flag, the path and the reason,
   * after removing every file.
   * @throws Error (a bug in the sim) when the outcome has nothing for a file that was asked for
   */
  write(outcome: SimOutcome): string | undefined {
    const missing = this.files.filter((file) => outcome.files?.[file.key] === undefined)
    if (missing.length > 0) {
      this.discard()
      throw new Error(`the sim wrote nothing for ${missing.map((file) => `--${file.flag}`).join(", ")}`)
    }
    for (const file of this.files) {
      const contents = outcome.files![file.key]!
      try {
        if (typeof contents === "string") writeSync(file.fd, contents)
        else writeSync(file.fd, contents, 0, contents.length)
      } catch (error) {
        this.discard()
        return `cannot write --${file.flag} ${file.path}: ${error instanceof Error ? error.message : String(error)}`
      }
    }
    this.closed = true
    for (const file of this.files) closeSync(file.fd)
    return undefined
  }

  /**
   * Closes and removes every file (the run failed: no partial file is left behind; see
   * `remove-written-file.ts`); does nothing once the files are written or discarded.
   */
  discard(): void {
    if (this.closed) return
    this.closed = true
    for (const file of this.files) {
      try {
        closeSync(file.fd)
      } finally {
        removeWrittenFile(file.path)
      }
    }
  }
}
