/**
 * The "Fork here" panel under the charts: pick a fault (pause, crash or partition of a node, for a
 * duration) and run the shown run again with it added at the slider's instant; the two text
 * reports side by side, with the checks whose verdict changed and the metrics whose value changed,
 * and the fork's URL and command line. A sim without a `--faults` flag says so instead.
 */
import type { FlagSpecs, SimDefinition } from "../src/cli/define-sim.ts"
import { problemsOf } from "../src/cli/run-json.ts"
import { shellQuote } from "../src/check/shell-quote.ts"
import { forkFault, type ForkKind, runChanges, takesFaultPlan, withFault } from "./fork.ts"
import { viewSpan } from "../src/view/view-at.ts"
import type { RunCharts } from "./charts.ts"
import type { RunClient } from "./run-client.ts"
import type { PageRun } from "./run-protocol.ts"
import { argvOf, formatHash } from "./url-state.ts"

/** The run the panel forks: its sim, its flags as the URL carries them, and what it gave. */
export interface ShownRun {
  readonly definition: SimDefinition<FlagSpecs>
  readonly flags: ReadonlyMap<string, string>
  readonly isSwitch: (name: string) => boolean
  readonly result: PageRun
}

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id)
  if (node === null) throw new Error(`the page has no #${id}`)
  return node as T
}

function items(list: HTMLElement, lines: readonly string[]): void {
  list.replaceChildren(...lines.map((text) => Object.assign(document.createElement("li"), { textContent: text })))
}

/** The panel; {@link show} it for each new run. */
export class ForkPanel {
  private shown: ShownRun | undefined
  private forks = 0
  private charts: RunCharts | undefined

  constructor(
    private readonly client: RunClient,
    private readonly instant: () => number,
  ) {
    byId("fork-run").addEventListener("click", () => void this.fork())
  }

  /** Offers to fork `run` (or says why its sim cannot be forked), and clears the last fork. */
  show(run: ShownRun): void {
    this.shown = run
    this.forks++
    this.charts?.dispose()
    this.charts = undefined
    byId("fork-result").hidden = true
    byId("fork-problems").replaceChildren()
    const name = run.definition.name
    const plan = takesFaultPlan(run.definition)
    // A fault plan's times are ms: the slider's instant is one only in a sim that counts in ms.
    const forkable = plan && run.result.timeUnit === "ms"
    for (const id of ["fork-kind", "fork-node", "fork-ms", "fork-run"]) byId<HTMLInputElement>(id).disabled = !forkable
    byId("fork-controls").hidden = !forkable
    byId("fork-note").textContent = forkable
      ? `Adds the fault at the slider's instant to --faults and runs ${name} again with the same seed and flags.`
      : plan
        ? `${name} counts time in ${run.result.timeUnit}, and a fault plan's times are ms, so this page does not fork it.`
        : `${name} has no --faults flag, so it cannot be forked: a fork adds a fault to the run's fault plan, and this sim takes none.`
    const nodes = byId<HTMLSelectElement>("fork-node")
    nodes.replaceChildren(...(run.result.view?.messages?.nodes ?? []).map((node) => new Option(node, node)))
  }

  private async fork(): Promise<void> {
    const run = this.shown
    if (run === undefined || typeof run.result.json === "string") return
    const before = run.result.json
    const ticket = ++this.forks
    const kind = byId<HTMLSelectElement>("fork-kind").value as ForkKind
    const fault = forkFault(
      kind,
      byId<HTMLSelectElement>("fork-node").value,
      this.instant(),
      Number(byId<HTMLInputElement>("fork-ms").value),
    )
    const flags = new Map(run.flags)
    flags.set("faults", withFault(flags.get("faults") ?? "none", fault))
    const argv = argvOf(flags, run.isSwitch)
    const name = run.definition.name
    const problems = await problemsOf(run.definition, argv)
    items(
      byId("fork-problems"),
      problems.map((line) => `${name}: ${line}`),
    )
    if (problems.length > 0 || ticket !== this.forks) return
    byId("fork-status").textContent = "running the fork…"
    const forked = await this.client.page(name, argv).catch((error: Error) => error.message)
    if (ticket !== this.forks) return
    byId("fork-status").textContent = typeof forked === "string" ? forked : ""
    if (typeof forked === "string") return
    byId("fork-left").textContent = run.result.text
    byId("fork-right").textContent = forked.text
    const link = byId<HTMLAnchorElement>("fork-link")
    link.href = `#${formatHash({ sim: name, flags })}`
    link.textContent = decodeURIComponent(link.href)
    byId("fork-rerun").textContent = ["npx", "tsx", `sims/${name}.ts`, ...argv].map(shellQuote).join(" ")
    const changes = typeof forked.json === "string" ? undefined : runChanges(before, forked.json)
    const lines = changes === undefined ? [forked.json as string] : [...changes.checks, ...changes.metrics]
    items(byId("fork-changes"), lines.length > 0 ? lines : ["no check's verdict and no metric changed"])
    byId("fork-result").hidden = false
    await this.showCharts(forked, ticket)
  }

  /** Moves the fork's charts to instant `t` with the page's. */
  scrub(t: number): void {
    this.charts?.show(t)
  }

  /** Draws the fork's charts on the time axis of both runs, at the slider's instant. */
  private async showCharts(forked: PageRun, ticket: number): Promise<void> {
    this.charts?.dispose()
    this.charts = undefined
    const view = forked.view
    if (view === undefined || typeof forked.json === "string") return
    const { RunCharts } = await import("./charts.ts")
    if (ticket !== this.forks) return
    const own = viewSpan(view, forked.json.simTime)
    const shown = this.shown?.result.view === undefined ? own : viewSpan(this.shown.result.view, own[1])
    const range = [Math.min(own[0], shown[0]), Math.max(own[1], shown[1])] as const
    const data = { view, timeUnit: forked.timeUnit, timeDecimals: forked.timeDecimals }
    this.charts = new RunCharts(byId("fork-charts"), data, range)
    this.charts.show(this.instant())
  }
}
