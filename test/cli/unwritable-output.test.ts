/**
 * Output that cannot be written after it was opened — a full disk (`/dev/full` answers every write
 * with ENOSPC) — is reported like a path that cannot be opened: exit 2, one line naming the flag,
 * the path and the reason, never a stack (exit 1). And a failed run removes only regular files it
 * wrote: a device or a symbolic link given as the output (`--html /dev/full`, `--trace
 * /dev/stdout`) is left alone (see `src/cli/remove-written-file.ts`).
 *
 * The full-disk cases write through a symbolic link to /dev/full in a scratch folder, so a
 * regression removes that link, not the machine's /dev/full. Linux only: skipped, saying so, where
 * /dev/full is not a character device.
 */
import { spawn } from "node:child_process"
import { closeSync, existsSync, lstatSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { EXIT_CODE } from "../../src/cli/index.ts"
import mmQueue from "../../sims/mm-queue.ts"
import { simCommand, tsxCommand } from "../sims/sim-command.ts"
import { runCaptured } from "./run-captured.ts"

const root = join(import.meta.dirname, "..", "..")
const scratch = mkdtempSync(join(tmpdir(), "unwritable-output-"))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const hasDevFull = lstatSync("/dev/full", { throwIfNoEntry: false })?.isCharacterDevice() === true
if (!hasDevFull) console.warn("unwritable-output.test.ts: /dev/full is not a character device here; skipped")

/** A fresh symbolic link in the scratch folder to /dev/full. */
function fullDisk(name: string): string {
  const link = join(scratch, name)
  symlinkSync("/dev/full", link)
  return link
}

/**
 * Runs `sims/<file>` as a process (bundled, see test/sims/bundle-sims.ts; the listing index.ts
 * through tsx, as it imports its sims by file name) with stdout on /dev/full; resolves to its exit
 * code and stderr.
 */
function runIntoFullDisk(file: string, args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const name = file.replace(/\.ts$/, "")
  const command = name === "index" ? tsxCommand(name, args) : simCommand(name, args)
  const stdout = openSync("/dev/full", "w")
  return new Promise((resolve, reject) => {
    const child = spawn(command.command, command.args, {
      cwd: root,
      stdio: ["ignore", stdout, "pipe"],
    })
    closeSync(stdout)
    let stderr = ""
    child.stderr!.setEncoding("utf8")
    child.stderr!.on("data", (chunk: string) => (stderr += chunk))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stderr }))
  })
}

describe.skipIf(!hasDevFull)("output on a full disk", () => {
  it.each(["trace", "perfetto", "html"])("--%s: exit 2 naming the flag, the file and ENOSPC", async (flag) => {
    const full = fullDisk(`${flag}-full`)

    const run = await runCaptured(mmQueue, ["--customers", "20", "--json", `--${flag}`, full])

    expect(run).toEqual({
      code: EXIT_CODE.badInput,
      stdout: "",
      stderr: `mm-queue: cannot write --${flag} ${full}: ENOSPC: no space left on device, write\n`,
    })
    expect(lstatSync(full).isSymbolicLink()).toBe(true)
  })

  it("removes the run's regular files when another one cannot be written", async () => {
    const trace = join(scratch, "kept.trace")
    const full = fullDisk("html-after-trace")

    const run = await runCaptured(mmQueue, ["--customers", "20", "--trace", trace, "--html", full])

    expect(run.code).toBe(EXIT_CODE.badInput)
    expect(run.stderr).toBe(`mm-queue: cannot write --html ${full}: ENOSPC: no space left on device, write\n`)
    expect(existsSync(trace)).toBe(false)
    expect(lstatSync(full).isSymbolicLink()).toBe(true)
  })

  it("leaves a symbolic link given as an output in place when the run is refused", async () => {
    const target = join(scratch, "target.json")
    writeFileSync(target, "")
    const link = join(scratch, "link.json")
    symlinkSync(target, link)

    const run = await runCaptured(mmQueue, ["--trace", join(scratch, "no-such-dir", "t"), "--html", link])
    const perfetto = await runCaptured(mmQueue, ["--trace", link, "--perfetto", join(scratch, "no-such-dir", "p")])

    expect(run.code).toBe(EXIT_CODE.badInput)
    expect(perfetto.code).toBe(EXIT_CODE.badInput)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
  })

  it.each([
    ["mm-queue.ts", [], "mm-queue"],
    ["mm-queue.ts", ["--json"], "mm-queue"],
    ["index.ts", [], "sims"],
  ])(
    "stdout on a full disk (%s %j): exit 2, one line on stderr",
    async (file, args, name) => {
      const ended = await runIntoFullDisk(file, args)

      expect(ended).toEqual({
        code: EXIT_CODE.badInput,
        stderr: `${name}: cannot write to stdout: ENOSPC: no space left on device, write\n`,
      })
    },
    60_000,
  )
})
