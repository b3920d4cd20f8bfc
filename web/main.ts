/**
 * The playground app (docs/playground.md): the list of sims, the chosen sim's form, Run, the text
 * report and the JSON, the rerun line, and the URL that names the run. Every run happens in the
 * browser, in a worker (web/run-worker.ts) so the page stays responsive and Cancel can end it, with
 * the same model code and runner as `npx tsx sims/<name>.ts` (src/cli/run-json.ts).
 *
 * For scripts and tests the page exposes `window.simsys = { sims, run(name, argv) }`: `run`
 * resolves to the JSON object `npx tsx sims/<name>.ts <argv> --json` prints, and rejects with the
 * command line's messages on bad input.
 */
import { SIMS } from "simsys:sims"
import type { FlagSpecs, SimDefinition } from "../src/cli/define-sim.ts"
import type { JsonReport } from "../src/cli/json-report.ts"
import { problemsOf } from "../src/cli/run-json.ts"
import { shellQuote } from "../src/check/shell-quote.ts"
import { FlagForm } from "./flag-form.ts"
import { timeFormatter } from "../src/view/client/chart-options.ts"
import { viewSpan } from "../src/view/view-at.ts"
import type { RunCharts } from "./charts.ts"
import { ForkPanel } from "./fork-panel.ts"
import { definitionOf } from "./sim-definitions.ts"
import { CANCELLED, RunClient } from "./run-client.ts"
import type { PageRun } from "./run-protocol.ts"
import { argvOf, formatHash, parseHash } from "./url-state.ts"

/** The page's scripting interface. */
export interface SimsysApi {
  /** Every sim's name, in the order of the list. */
  readonly sims: readonly string[]
  /** Runs a sim as `npx tsx sims/<name>.ts <argv> --json` would and resolves to its JSON object. */
  run(name: string, argv: readonly string[]): Promise<JsonReport>
}

declare global {
  interface Window {
    simsys: SimsysApi
  }
}

const client = new RunClient()

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id)
  if (node === null) throw new Error(`the page has no #${id}`)
  return node as T
}

/** The page's state: the chosen sim, its form, and the last validation. */
class Playground {
  private definition: SimDefinition<FlagSpecs> | undefined
  private form: FlagForm | undefined
  private validation = 0
  private runs = 0
  private charts: RunCharts | undefined
  private readonly forkPanel = new ForkPanel(client, () => this.instant())

  constructor() {
    byId("slider").addEventListener("input", () => this.scrub())
    byId("run").addEventListener("click", () => void this.run())
    byId("cancel").addEventListener("click", () => client.cancel())
    window.addEventListener("hashchange", () => void this.route())
    this.renderList()
  }

  /** Shows the sim and flags the URL names, and runs it when a sim is named. */
  async route(): Promise<void> {
    const state = parseHash(location.hash)
    const name = state.sim !== undefined && SIMS.some((sim) => sim.name === state.sim) ? state.sim : undefined
    for (const link of document.querySelectorAll("nav a")) {
      link.toggleAttribute("aria-current", false)
      if (link.getAttribute("data-sim") === name) link.setAttribute("aria-current", "page")
    }
    if (name === undefined) return
    if (!byId("cancel").hidden) client.cancel() // the page's own run of the sim left behind
    const definition = await definitionOf(name)
    this.definition = definition
    byId("title").textContent = definition.name
    byId("question").textContent = definition.title
    for (const id of ["report", "json", "status"]) byId(id).textContent = ""
    byId("scrub").hidden = true
    this.form = new FlagForm(byId("flags"), definition, state.flags, () => void this.validate())
    byId<HTMLButtonElement>("run").disabled = false
    if (await this.validate()) await this.run()
  }

  private renderList(): void {
    const list = byId("sims")
    for (const sim of SIMS) {
      const link = document.createElement("a")
      link.href = `#${formatHash({ sim: sim.name, flags: new Map() })}`
      link.setAttribute("data-sim", sim.name)
      link.append(Object.assign(document.createElement("b"), { textContent: sim.name }))
      link.append(Object.assign(document.createElement("span"), { textContent: sim.title }))
      const item = document.createElement("li")
      item.append(link)
      list.append(item)
    }
  }

  private argv(): string[] {
    const form = this.form!
    return argvOf(form.flags(), (name) => form.isSwitch(name))
  }

  /**
   * Checks the form's flags as the command line would and shows its messages; the URL follows the
   * form. True when the run may go ahead.
   */
  private async validate(): Promise<boolean> {
    const definition = this.definition!
    const argv = this.argv()
    const ticket = ++this.validation
    history.replaceState(null, "", `#${formatHash({ sim: definition.name, flags: this.form!.flags() })}`)
    byId("rerun").textContent = ["npx", "tsx", `sims/${definition.name}.ts`, ...argv].map(shellQuote).join(" ")
    const problems = await problemsOf(definition, argv)
    if (ticket !== this.validation) return false // a newer edit is being checked
    const messages = problems.map((line) => `${definition.name}: ${line}`)
    byId("problems").replaceChildren(
      ...messages.map((text) => Object.assign(document.createElement("li"), { textContent: text })),
    )
    this.form!.markInvalid(messages)
    return messages.length === 0
  }

  /** The slider's instant, in the sim's time unit. */
  private instant(): number {
    return Number(byId<HTMLInputElement>("slider").value)
  }

  /** Shows the charts and the slider at the end of the run; echarts is loaded with the first charts. */
  private async showCharts(result: PageRun, ticket: number): Promise<void> {
    this.charts?.dispose()
    this.charts = undefined
    const view = result.view
    if (view === undefined) return
    const endAt = typeof result.json === "string" ? 0 : result.json.simTime
    const range = viewSpan(view, endAt)
    const slider = byId<HTMLInputElement>("slider")
    slider.min = String(range[0])
    slider.max = String(range[1])
    slider.step = String(10 ** -result.timeDecimals)
    slider.value = String(range[1])
    byId("scrub").hidden = false
    const hasCharts = view.messages !== undefined || (view.gantt ?? []).length > 0 || (view.series ?? []).length > 0
    byId("charts-note").textContent = hasCharts ? "" : "This run draws no charts."
    const data = { view, timeUnit: result.timeUnit, timeDecimals: result.timeDecimals }
    this.time = timeFormatter(data)
    this.scrubText()
    if (!hasCharts) return byId("charts").replaceChildren()
    const { RunCharts } = await import("./charts.ts")
    if (ticket !== this.runs) return
    this.charts = new RunCharts(byId("charts"), data, range)
  }

  private time: (t: number) => string = String

  private scrubText(): void {
    byId("slider-time").textContent = `t = ${this.time(this.instant())}`
  }

  /** Redraws the charts at the slider's instant (once per frame however fast it moves). */
  private scrub(): void {
    this.scrubText()
    if (this.scrubbing) return
    this.scrubbing = true
    requestAnimationFrame(() => {
      this.scrubbing = false
      this.charts?.show(this.instant())
      this.forkPanel.scrub(this.instant())
    })
  }

  private scrubbing = false

  /** Runs the form's flags in the worker: the text report, then the JSON. */
  private async run(): Promise<void> {
    const definition = this.definition!
    const argv = this.argv()
    if (!(await this.validate())) return
    const ticket = ++this.runs
    const status = byId("status")
    const run = byId<HTMLButtonElement>("run")
    const cancel = byId<HTMLButtonElement>("cancel")
    status.textContent = "loading the sim…"
    run.disabled = true
    cancel.hidden = false
    const started = performance.now()
    const wall = () => `${Math.round(performance.now() - started)} ms of wall time`
    try {
      const result = await client.page(definition.name, argv, () => {
        if (ticket === this.runs) status.textContent = "running…"
      })
      if (ticket !== this.runs) return
      byId("report").textContent = result.text
      byId("json").textContent = typeof result.json === "string" ? result.json : JSON.stringify(result.json, null, 2)
      status.textContent = `ran twice (text and JSON) in ${wall()}`
      const flags = this.form!.flags()
      const form = this.form!
      this.forkPanel.show({ definition, flags, isSwitch: (name) => form.isSwitch(name), result })
      await this.showCharts(result, ticket)
    } catch (error) {
      if (ticket !== this.runs) return
      const message = (error as Error).message
      status.textContent = message === CANCELLED ? `cancelled after ${wall()}` : message
    } finally {
      if (ticket === this.runs) {
        run.disabled = false
        cancel.hidden = true
      }
    }
  }
}

window.simsys = { sims: SIMS.map((sim) => sim.name), run: (name, argv) => client.json(name, argv) }
const playground = new Playground()
void playground.route()
