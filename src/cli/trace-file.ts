/**
 * `--trace FILE`: the run's trace streamed to a file as JSON lines.
 *
 * Records arrive one at a time from the Trace's `write` option; writing each with its own system
 * call would cost more than simulating it, so lines are gathered and written in chunks of about
 * 1 MiB with synchronous writes (the run is synchronous, and a crash then loses at most one chunk).
 * The runner opens the file only after the command line validated, so bad input writes no file.
 * When the file is a pipe whose reader went away (`--trace /dev/stdout | head -1`), the rest of the
 * trace is dropped quietly, as the runner does for stdout: the reader asked for no more. Any other
 * write error (a full disk) drops the rest too and is kept in {@link TraceSink.failure}, which the
 * runner reports after the run as an unwritable file (exit 2) instead of a crash inside the model.
 */
import { closeSync, openSync, writeSync } from "node:fs"

/** Where trace lines go. */
export interface TraceSink {
  /** Appends one record (a JSON text without its newline). */
  write(line: string): void
  /** Flushes and closes; further writes are an error. */
  close(): void
  /** Why a write failed (`ENOSPC: no space left on device, write`), or undefined. Default: never fails. */
  failure?(): string | undefined
}

const CHUNK_CHARS = 1 << 20

/** A buffered JSON-lines file. */
export class TraceFile implements TraceSink {
  private readonly fd: number
  private pending: string[] = []
  private pendingChars = 0
  private closed = false
  /** The file is a pipe whose reader went away (EPIPE), or a write failed: lines are dropped. */
  private readerGone = false
  /** The message of the write error other than EPIPE, if one happened. */
  private writeError: string | undefined

  /**
   * Creates (or truncates) the file at `path`.
   * @throws the `fs` error (ENOENT, EACCES, EISDIR, ...) when it cannot be opened for writing.
   */
  constructor(readonly path: string) {
    this.fd = openSync(path, "w")
  }

  /** Appends one record; written to disk when about 1 MiB has gathered, or on close. */
  write(line: string): void {
    if (this.closed) throw new Error(`trace file ${this.path} is closed`)
    this.pending.push(line)
    this.pendingChars += line.length + 1
    if (this.pendingChars >= CHUNK_CHARS) this.flush()
  }

  /** Writes what has gathered and closes the file; closing twice is a no-op. */
  close(): void {
    if (this.closed) return
    this.flush()
    this.closed = true
    closeSync(this.fd)
  }

  private flush(): void {
    if (this.pending.length === 0) return
    const text = `${this.pending.join("\n")}\n`
    this.pending = []
    this.pendingChars = 0
    if (this.readerGone) return
    try {
      writeSync(this.fd, text)
    } catch (error) {
      this.readerGone = true
      if ((error as NodeJS.ErrnoException).code !== "EPIPE")
        this.writeError = error instanceof Error ? error.message : String(error)
    }
  }

  /** Why a write failed (not EPIPE), or undefined; known for certain after {@link close}. */
  failure(): string | undefined {
    return this.writeError
  }
}
