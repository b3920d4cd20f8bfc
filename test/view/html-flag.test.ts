/**
 * `--html FILE` through the runner, in-process: the page is written next to an unchanged text
 * report, is the same bytes for the same seed and flags, carries the run's trace hash and charts,
 * loads nothing, and bad paths are bad input with no file left behind.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { EXIT_CODE } from "../../src/cli/index.ts"
import { VIEW_DATA_ID } from "../../src/view/index.ts"
import leaseLock from "../../sims/lease-lock.ts"
import dummySim from "../cli/dummy-sim.ts"
import { runCaptured } from "../cli/run-captured.ts"

const scratch = mkdtempSync(join(tmpdir(), "html-flag-"))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function chartData(page: string): { view: { messages?: { messagesTotal: number; nodes: string[] } } } {
  const match = new RegExp(`<script type="application/json" id="${VIEW_DATA_ID}">(.*?)</script>`, "s").exec(page)
  return JSON.parse(match![1]!)
}

describe("--html", () => {
  it("writes a page next to the unchanged text report, with the trace hash of the --json run and the message diagram", async () => {
    const path = join(scratch, "lease.html")

    const withHtml = await runCaptured(leaseLock, ["--html", path])
    const plain = await runCaptured(leaseLock, [])
    const json = await runCaptured(leaseLock, ["--json"])

    expect(withHtml.code).toBe(EXIT_CODE.ok)
    expect(withHtml.stdout).toBe(plain.stdout)
    const page = readFileSync(path, "utf8")
    expect(page).toContain(JSON.parse(json.stdout).traceHash)
    expect(page).toContain("<h2>Checks (0 of 2 held)</h2>")
    const diagram = chartData(page).view.messages!
    expect(diagram.nodes).toEqual(expect.arrayContaining(["client-0", "client-1", "client-2", "redis", "storage"]))
    expect(diagram.messagesTotal).toBeGreaterThan(100)
  })

  it("gives the same bytes for the same seed and flags, and other bytes for another seed", async () => {
    const [a, b, c] = ["a", "b", "c"].map((name) => join(scratch, `${name}.html`))

    await runCaptured(leaseLock, ["--html", a!, "--pause-ms", "300"])
    await runCaptured(leaseLock, ["--pause-ms", "300", "--html", b!])
    await runCaptured(leaseLock, ["--html", c!, "--pause-ms", "300", "--seed", "2"])

    expect(readFileSync(b!, "utf8")).toBe(readFileSync(a!, "utf8"))
    expect(readFileSync(c!, "utf8")).not.toBe(readFileSync(a!, "utf8"))
  })

  it("loads nothing: no script, stylesheet or image from a URL, and a policy that forbids requests", async () => {
    const path = join(scratch, "dummy.html")

    const run = await runCaptured(dummySim, ["--html", path, "--json"])

    expect(run.code).toBe(EXIT_CODE.ok)
    const page = readFileSync(path, "utf8")
    expect(page).toContain("default-src 'none'")
    expect(page).not.toMatch(/<(script|img|iframe)[^>]*\ssrc=/i)
    expect(page).not.toMatch(/<link\b/i)
    expect(page).not.toMatch(/url\(\s*['"]?https?:/i)
  })

  it("exits 2 before the run, leaving no file, when the path cannot be written or contradicts another flag", async () => {
    const missing = join(scratch, "no-such-dir", "x.html")
    const html = join(scratch, "left.html")

    const unwritable = await runCaptured(dummySim, ["--html", missing])
    const traceFails = await runCaptured(dummySim, ["--html", html, "--trace", join(scratch, "no-such-dir", "t.jsonl")])
    const same = await runCaptured(dummySim, ["--html", html, "--trace", html])
    const empty = await runCaptured(dummySim, ["--html", ""])
    const quiz = await runCaptured(dummySim, ["--html", html, "--quiz"])

    expect(unwritable).toMatchObject({ code: EXIT_CODE.badInput, stdout: "" })
    expect(unwritable.stderr).toContain(`dummy: cannot write --html ${missing}: ENOENT`)
    expect(existsSync(missing)).toBe(false)
    expect(traceFails).toMatchObject({ code: EXIT_CODE.badInput, stdout: "" })
    expect(traceFails.stderr).toContain("cannot write --trace")
    expect(existsSync(html)).toBe(false)
    expect(same.code).toBe(EXIT_CODE.badInput)
    expect(same.stderr).toContain(`contradictory flags --trace, --html: both name ${html}`)
    expect(empty.stderr).toContain("--html needs a file path")
    expect(quiz.stderr).toContain("contradictory flags --quiz, --html")
    expect(existsSync(html)).toBe(false)
  })

  it("removes the page when the run fails (a bug, exit 1)", async () => {
    const path = join(scratch, "crash.html")

    const run = await runCaptured(dummySim, ["--html", path, "--crash"])

    expect(run.code).toBe(EXIT_CODE.bug)
    expect(existsSync(path)).toBe(false)
  })

  it("is listed in --help", async () => {
    const help = await runCaptured(dummySim, ["--help", "--width", "10000"])

    expect(help.stdout).toContain("--html <file>")
    expect(help.stdout).toContain("[--html FILE]")
  })
})
