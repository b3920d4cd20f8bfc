/**
 * What the mm-queue sim tells a learner about a run, as pure functions of the run's measurements,
 * Erlang C's prediction and the rates: the timeline's lines, the comparison with Erlang C, Little's
 * law, the overload lesson, the advice when a run is too short to judge, the quiz and what each
 * JSON metric means. Tables are laid out by the runner's `renderTable`, passed in as `table`; the
 * queue-length sparkline, which the runner draws, stays in the sim (docs/adding-a-model.md).
 */
import type { LessonSection, RenderTable } from "../../check/core/index.ts"
import { formatCount, formatNumber, formatPercent, type Traced } from "../../kernel/index.ts"
import { type MmcRates, type MmcSteadyState, mmcSteadyState } from "./erlang-c.ts"
import type { MmcMeasurements } from "./mmc-queue.ts"
import type { QueueingEvent } from "./queueing-events.ts"
import { describeQueueingRecord } from "./queueing-timeline.ts"

/** What each field of the result's `summary()` means, and its unit: the sim's metric docs. */
export const MM_QUEUE_METRICS = {
  stable: { description: "true when λ < c·μ (a steady state exists)", unit: "true/false" },
  meanWait: { description: "mean wait in queue Wq", unit: "s" },
  predictedWait: { description: "Erlang C's Wq (null without a steady state)", unit: "s" },
  waitStandardError: {
    description: "standard error of meanWait, from regeneration cycles (null when too few cycles)",
    unit: "s",
  },
  regenerationCycles: {
    description: "busy cycles (arrivals to an empty system) used for the standard error",
    unit: "cycles",
  },
  p90Wait: { description: "90th percentile of the wait in queue", unit: "s" },
  p99Wait: { description: "99th percentile of the wait in queue", unit: "s" },
  maxWait: { description: "longest wait in queue", unit: "s" },
  probabilityOfWaiting: { description: "share of customers who waited", unit: "fraction" },
  predictedProbabilityOfWaiting: {
    description: "Erlang C's probability of waiting (1 without a steady state)",
    unit: "probability",
  },
  utilisation: { description: "mean share of servers busy", unit: "fraction" },
  predictedUtilisation: { description: "ρ = λ / (c·μ), at most 1", unit: "fraction" },
  meanQueueLength: { description: "time-weighted mean number waiting Lq", unit: "customers" },
  predictedQueueLength: { description: "Erlang C's Lq (null without a steady state)", unit: "customers" },
  maxQueueLength: { description: "most customers ever waiting", unit: "customers" },
  meanInSystem: { description: "time-weighted mean number in the system L", unit: "customers" },
  meanTimeInSystem: { description: "mean time in the system W", unit: "s" },
  predictedTimeInSystem: { description: "Erlang C's W (null without a steady state)", unit: "s" },
  throughput: { description: "customers served per second (λ̂)", unit: "customers per second" },
  littlesLawProduct: { description: "λ̂·W, which equals meanInSystem", unit: "customers" },
  lastArrivalTime: { description: "time of the last arrival", unit: "s" },
} as const

/** The timeline: the sampled queue records in words (`servers` tells which server took a customer). */
export function mmQueueTimeline(
  records: readonly Traced<QueueingEvent>[],
  servers: number,
): { readonly t: number; readonly text: string }[] {
  return records.flatMap((record) => {
    const text = describeQueueingRecord(record, servers)
    return text === undefined ? [] : [{ t: record.t, text }]
  })
}

/** The measured numbers against Erlang C's steady state, with the mean wait's standard error. */
export function comparisonSection(
  measured: MmcMeasurements,
  steady: MmcSteadyState,
  regenerationState: number,
  table: RenderTable,
): LessonSection {
  const row = (what: string, value: number, predicted: number, decimals: number): string[] => {
    const difference = steady.stable ? formatPercent((value - predicted) / predicted, 1) : "—"
    return [what, formatNumber(value, decimals), formatNumber(predicted, decimals), difference]
  }
  const wait = measured.wait
  const waitCell = `${formatNumber(wait.mean, 3)} ± ${formatNumber(wait.standardError, 3)}`
  const rows = [
    [
      "mean wait in queue Wq (s)",
      waitCell,
      formatNumber(steady.meanWait, 3),
      steady.stable ? formatPercent((wait.mean - steady.meanWait) / steady.meanWait, 1) : "—",
    ],
    row("P(a customer waits)", measured.probabilityOfWaiting, steady.probabilityOfWaiting, 3),
    row("utilisation", measured.utilisation, steady.utilisation, 3),
    row("mean queue length Lq", measured.meanQueueLength, steady.meanQueueLength, 3),
    row("mean time in system W (s)", measured.meanTimeInSystem, steady.meanTimeInSystem, 3),
    row("mean number in system L", measured.meanInSystem, steady.meanInSystem, 3),
  ]
  const lines = table(
    [
      { header: "" },
      { header: "measured", align: "right" },
      { header: "Erlang C", align: "right" },
      { header: "difference", align: "right" },
    ],
    rows,
  )
  return {
    title: "Measured vs predicted (M/M/c steady state)",
    lines: [
      ...lines,
      `± is one standard error of the mean wait, from ${formatCount(wait.cycles)} regeneration cycle${wait.cycles === 1 ? "" : "s"} (${regenerationWords(regenerationState)}).`,
    ],
  }
}

/** Little's law, measured: L against λ̂·W in the system and in the queue. */
export function littlesLawSection(measured: MmcMeasurements, table: RenderTable): LessonSection {
  const rate = measured.throughput
  const rows = [
    ["in the system", measured.meanInSystem, measured.meanTimeInSystem],
    ["in the queue", measured.meanQueueLength, measured.wait.mean],
  ].map(([where, level, time]) => [
    String(where),
    formatNumber(Number(level), 4),
    formatNumber(rate, 4),
    formatNumber(Number(time), 4),
    formatNumber(rate * Number(time), 4),
  ])
  const lines = table(
    [
      { header: "" },
      { header: "L (mean number)", align: "right" },
      { header: "λ̂ (per s)", align: "right" },
      { header: "W (mean s)", align: "right" },
      { header: "λ̂·W", align: "right" },
    ],
    rows,
  )
  return {
    title: "Little's law: L = λ·W",
    lines: [
      ...lines,
      `λ̂ = ${formatCount(measured.customersServed)} customers / ${formatNumber(measured.runTime, 1)}s run. The run starts and ends empty,`,
      "so the area under N(t) equals the sum of the customers' times: L = λ̂·W holds exactly, on any sample path.",
    ],
  }
}

/** Why an overloaded queue has no steady state, with this run's rates. */
export function instabilityLesson(params: MmcRates, steady: MmcSteadyState): LessonSection {
  const capacity = params.servers * params.serviceRate
  return {
    title: "No steady state",
    lines: [
      `λ = ${params.arrivalRate}/s >= c·μ = ${capacity}/s (ρ = ${formatNumber(steady.trafficIntensity, 3)}): the servers cannot keep up.`,
      "The queue grows without bound while customers arrive (see the sparkline), so the mean wait",
      "depends on how long the door stays open: double --customers and it roughly doubles.",
      "Erlang C has no finite answer here; in --json the predicted* metrics are null.",
    ],
  }
}

/** What starts a regeneration cycle, in words. */
function regenerationWords(state: number): string {
  return state === 0
    ? "arrivals to an empty system"
    : `arrivals that find exactly ${state} customers, all in service; the first cycle is the warm-up from empty`
}

/** What the user can do about a run too short to judge: a larger --customers, or nothing if it is at its maximum. */
export function longerRun(customers: number, max: number): string {
  if (customers >= max)
    return `--customers is already at its maximum (${formatCount(max)}): this queue is too close to saturation for a run this long to judge it`
  return `rerun with --customers ${Math.min(max, customers * 10)} (10 times as many customers)`
}

/** The quiz: the rates, then what to predict (or, overloaded, what happens to the queue). */
export function mmQueueQuiz(params: MmcRates & { readonly customers: number }): string {
  const steady = mmcSteadyState(params)
  const setup = `${params.servers} server(s), each serving μ = ${params.serviceRate} customers/s; customers arrive at λ = ${params.arrivalRate}/s.`
  if (!steady.stable) {
    return [
      setup,
      `1. Can the servers keep up? What happens to the queue while the ${formatCount(params.customers)} customers arrive?`,
      "2. Will the mean wait settle to a number if you raise --customers? What does Erlang C say?",
    ].join("\n")
  }
  return [
    setup,
    "Predict, in the long run:",
    "1. the utilisation: the fraction of the time a server is busy;",
    "2. the probability that an arriving customer has to wait;",
    "3. the mean wait in the queue before service starts, in seconds.",
    "Hint: ρ = λ/(cμ); with one server, P(wait) = ρ and Wq = ρ/(μ − λ); with more, Erlang C.",
  ].join("\n")
}
