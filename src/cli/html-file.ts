/**
 * `--html FILE`: the run's report as one self-contained HTML page (`src/view`), with the charts
 * the run has — the message diagram of the network (recorded here from the trace, for every sim on
 * the simulated network), and the sim's own series and Gantt charts (`SimOutcome.view`).
 *
 * The file is opened (created or truncated) before the run, so a path that cannot be written is
 * bad input (exit 2) and the run does not start; the page is written after the run, and a run that
 * fails removes the file, so no partial page is left behind.
 */
import { closeSync, openSync, writeSync } from "node:fs"
import type { Trace } from "../kernel/index.ts"
import { reportClientScript } from "../view/bundle-report-client.ts"
import { downsampleChart } from "../view/downsample-series.ts"
import { MAX_RECORDED_BARS } from "../view/gantt-recorder.ts"
import { renderHtmlReport } from "../view/render-html-report.ts"
import type { GanttChart, HtmlReport, RunView } from "../view/run-view.ts"
import { MessageDiagramRecorder } from "../view/trace-view.ts"
import type { FlagSpecs, Params, SimDefinition, SimOutcome } from "./define-sim.ts"
import { flagName } from "./flag.ts"
import { timeUnitOf } from "./json-report.ts"
import { removeWrittenFile } from "./remove-written-file.ts"
import { rerunCommand } from "./rerun-line.ts"

/** The most bars a Gantt chart of a report keeps: the first ones. */
export const MAX_GANTT_BARS = MAX_RECORDED_BARS

/** An HTML report file opened before the run; {@link write} it after, or {@link discard} it. */
export class HtmlFile {
  /** Records the message diagram: attach every simulation's trace to it. */
  readonly recorder = new MessageDiagramRecorder()
  private fd: number | undefined

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd
  }

  /** Opens `path` for writing, or returns the sentence that says why it cannot be written. */
  static open(path: string): HtmlFile | string {
    try {
      return new HtmlFile(path, openSync(path, "w"))
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      return `cannot write --html ${path}: ${reason}`
    }
  }

  /** Starts recording the network of a simulation of the run. */
  attach(trace: Trace): void {
    this.recorder.attach(trace)
  }

  /**
   * Writes the page for the finished run and closes the file; returns undefined, or, when the page
   * cannot be written (a full disk), the sentence that says so, after removing the file.
   */
  write<F extends FlagSpecs>(
    definition: SimDefinition<F>,
    seed: number,
    params: Params<F>,
    outcome: SimOutcome,
  ): string | undefined {
    const page = renderHtmlReport(
      htmlReportOf(definition, seed, params, outcome),
      runViewOf(outcome.view, this.recorder),
      reportClientScript(),
    )
    try {
      writeSync(this.fd!, page)
    } catch (error) {
      this.discard()
      return `cannot write --html ${this.path}: ${error instanceof Error ? error.message : String(error)}`
    }
    closeSync(this.fd!)
    this.fd = undefined
    return undefined
  }

  /**
   * Closes and removes the file (the run did not finish; see `remove-written-file.ts`); does
   * nothing after {@link write}.
   */
  discard(): void {
    if (this.fd === undefined) return
    closeSync(this.fd)
    this.fd = undefined
    removeWrittenFile(this.path)
  }
}

/** The report part of the page: what the text report says, as data. */
export function htmlReportOf<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  seed: number,
  params: Params<F>,
  outcome: SimOutcome,
): HtmlReport {
  const inputs: [string, string, string][] = [["--seed", String(seed), "seed of every random stream"]]
  for (const [key, spec] of Object.entries(definition.flags)) {
    const unit = spec.unit === undefined ? "" : ` (${spec.unit})`
    inputs.push([`--${flagName(key, spec)}`, String(params[key as keyof Params<F>]), spec.description + unit])
  }
  return {
    sim: definition.name,
    title: definition.title,
    covers: definition.header.covers,
    scenario: definition.header.scenario,
    params: inputs,
    seed,
    rerun: rerunCommand(definition, seed, params),
    traceHash: outcome.traceHash,
    simTime: outcome.simTime,
    timeUnit: timeUnitOf(definition),
    timeDecimals: definition.time?.decimals ?? 1,
    events: outcome.events,
    checks: outcome.checks.map((check) => ({ name: check.name, held: check.held, detail: check.detail })),
    metrics: outcome.metrics,
    ...(outcome.timeline === undefined ? {} : { timeline: outcome.timeline }),
    ...(outcome.sections === undefined ? {} : { sections: outcome.sections }),
  }
}

/** The sim's charts, bounded (series downsampled, Gantt bars capped), with the recorded message diagram and faults. */
export function runViewOf(view: RunView | undefined, recorder: MessageDiagramRecorder): RunView {
  const messages = recorder.diagram()
  const faults = messages?.faults ?? []
  const annotations = [...(view?.annotations ?? []), ...faults]
  return {
    ...(view?.series === undefined ? {} : { series: view.series.map((chart) => downsampleChart(chart)) }),
    ...(view?.gantt === undefined ? {} : { gantt: view.gantt.map(capBars) }),
    ...(messages === undefined || messages.nodes.length === 0 ? {} : { messages }),
    ...(annotations.length === 0 ? {} : { annotations }),
  }
}

function capBars(chart: GanttChart): GanttChart {
  if (chart.bars.length <= MAX_GANTT_BARS) return chart
  return { ...chart, bars: chart.bars.slice(0, MAX_GANTT_BARS), barsBefore: chart.barsBefore ?? chart.bars.length }
}
