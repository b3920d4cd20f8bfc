/**
 * Every sim's `--html` report in a real browser (Debian's chromium driven by playwright-core,
 * headless): the bare run's page opens from file:// with no console error and no request for
 * anything but itself, shows its verdict table, and draws every chart it places (an echarts canvas
 * in each); the sims wired with charts show the kind they should. One browser, one page reused;
 * the pages are generated in-process. A screenshot of one report is saved to test-output/ (not
 * committed) for a reviewer. Skipped, saying so, only when chromium is not installed.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { type Browser, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FlagSpecs, runSim, type SimDefinition } from "../../src/cli/index.ts"
import { loadSims } from "../../sims/index.ts"
import { binaryOnPath } from "../real-tools.ts"

const CHROMIUM = binaryOnPath("chromium")
if (CHROMIUM === undefined) console.warn("html-browser: chromium is not installed; the browser tests are skipped")

/** The chart kinds each wired sim's bare report must draw (the rest get the generic page). */
const EXPECTED_CHARTS: Readonly<Record<string, readonly string[]>> = {
  "consumer-group": ["messages"],
  "lease-lock": ["messages"],
  "kafka-acks": ["messages"],
  "failure-detector": ["messages"],
  "cpu-sched": ["gantt"],
  mlfq: ["gantt"],
  "process-run": ["gantt"],
  "thread-pool": ["gantt", "series"],
  "mm-queue": ["series"],
  "kafka-backlog": ["messages", "series"],
}

/** The report of one sim as the browser saw it. */
interface Seen {
  readonly errors: string[]
  readonly requests: string[]
  readonly verdictRows: number
  readonly checksHeading: string
  readonly charts: { readonly kind: string; readonly canvases: number }[]
}

const SCREENSHOT_SIM = "lease-lock"
const scratch = mkdtempSync(join(tmpdir(), "html-browser-"))
const sims: SimDefinition<FlagSpecs>[] = await loadSims()
const pages = new Map<string, string>()
let browser: Browser | undefined
let page: Page | undefined

/** Writes every sim's bare-run page, in-process. */
async function writePages(): Promise<void> {
  const quiet = { write: () => true, isTTY: false }
  for (const sim of sims) {
    const path = join(scratch, `${sim.name}.html`)
    let stderr = ""
    const code = await runSim(sim, ["--html", path], {
      stdout: quiet,
      stderr: { write: (text: string) => (stderr += text) !== "", isTTY: false },
      env: {},
    })
    if (code !== 0) throw new Error(`${sim.name} --html exited ${code}: ${stderr}`)
    pages.set(sim.name, path)
  }
}

/** Opens `path` in the shared page, recording console errors and every request not for a file: URL. */
async function open(path: string): Promise<Seen> {
  const errors: string[] = []
  const requests: string[] = []
  const onConsole = (message: { type(): string; text(): string }) => {
    if (message.type() === "error") errors.push(message.text())
  }
  const onError = (error: Error) => errors.push(String(error))
  page!.on("console", onConsole)
  page!.on("pageerror", onError)
  await page!.route("**/*", (route) => {
    const url = route.request().url()
    if (url.startsWith("file:")) return route.continue()
    requests.push(url)
    return route.abort()
  })
  await page!.goto(pathToFileURL(path).href, { waitUntil: "load" })
  const seen = await page!.evaluate(() => {
    const doc = (globalThis as unknown as { document: any }).document
    const charts = [...doc.querySelectorAll("div.chart")].map((div: any) => ({
      kind: div.dataset.kind as string,
      canvases: div.querySelectorAll("canvas").length as number,
    }))
    const checksHeading = doc.querySelector("#checks h2")?.textContent ?? ""
    return { verdictRows: doc.querySelectorAll("table.verdicts tr").length - 1, checksHeading, charts }
  })
  await page!.unroute("**/*")
  page!.off("console", onConsole)
  page!.off("pageerror", onError)
  return { errors, requests, ...seen }
}

describe.skipIf(CHROMIUM === undefined)("--html reports in chromium", () => {
  beforeAll(async () => {
    await writePages()
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: ["--no-sandbox"], headless: true })
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    rmSync(scratch, { recursive: true, force: true })
  })

  it.each(sims.map((sim) => sim.name))(
    "%s: opens with no console error and no request, with its verdicts and a canvas in every chart",
    async (name) => {
      const seen = await open(pages.get(name)!)

      expect(seen.errors).toEqual([])
      expect(seen.requests).toEqual([])
      expect(seen.verdictRows).toBeGreaterThan(0)
      expect(seen.checksHeading).toMatch(new RegExp(`^Checks \\(\\d+ of ${seen.verdictRows} held\\)$`))
      expect(seen.charts.filter((chart) => chart.canvases === 0)).toEqual([])
      expect(seen.charts.map((chart) => chart.kind)).toEqual(expect.arrayContaining([...(EXPECTED_CHARTS[name] ?? [])]))
      if (name === SCREENSHOT_SIM) {
        mkdirSync(join(import.meta.dirname, "..", "..", "test-output"), { recursive: true })
        await page!.screenshot({
          path: join(import.meta.dirname, "..", "..", "test-output", `${name}-report.png`),
          fullPage: true,
        })
      }
    },
    60_000,
  )
})
