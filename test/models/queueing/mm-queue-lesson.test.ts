import { describe, expect, it } from "vitest"
import {
  comparisonSection,
  instabilityLesson,
  littlesLawSection,
  longerRun,
  type MmcMeasurements,
  mmcSteadyState,
  mmQueueQuiz,
} from "../../../src/models/queueing/index.ts"

/** A table as `header | cells`, one line per row: enough to check what goes in. */
const table = (columns: readonly { header: string }[], rows: readonly (readonly string[])[]): string[] => [
  columns.map((column) => column.header).join("|"),
  ...rows.map((row) => row.join("|")),
]

/** Measurements with round numbers: 100 customers in 200 s, a mean wait of 1.5 s over 40 cycles. */
const MEASURED = {
  customersServed: 100,
  runTime: 200,
  lastArrivalTime: 190,
  wait: { mean: 1.5, standardError: 0.25, cycles: 40, count: 100 },
  maxWait: 9,
  p90Wait: 4,
  p99Wait: 8,
  probabilityOfWaiting: 0.5,
  utilisation: 0.5,
  meanQueueLength: 0.75,
  maxQueueLength: 6,
  meanInSystem: 1.75,
  meanTimeInSystem: 3.5,
  throughput: 0.5,
} as unknown as MmcMeasurements
/** One server at half load: ρ = 0.5, Wq = ρ/(μ − λ) = 1 s, Lq = 0.5, W = 2 s, L = 1. */
const HALF = mmcSteadyState({ arrivalRate: 0.5, serviceRate: 1, servers: 1 })

describe("mm-queue lesson", () => {
  it("sets each measured number against Erlang C with the relative difference", () => {
    expect(comparisonSection(MEASURED, HALF, 0, table)).toEqual({
      title: "Measured vs predicted (M/M/c steady state)",
      lines: [
        "|measured|Erlang C|difference",
        "mean wait in queue Wq (s)|1.500 ± 0.250|1.000|50.0%",
        "P(a customer waits)|0.500|0.500|0.0%",
        "utilisation|0.500|0.500|0.0%",
        "mean queue length Lq|0.750|0.500|50.0%",
        "mean time in system W (s)|3.500|2.000|75.0%",
        "mean number in system L|1.750|1.000|75.0%",
        "± is one standard error of the mean wait, from 40 regeneration cycles (arrivals to an empty system).",
      ],
    })
    expect(comparisonSection(MEASURED, HALF, 3, table).lines.at(-1)).toBe(
      "± is one standard error of the mean wait, from 40 regeneration cycles (arrivals that find exactly 3 customers, all in service; the first cycle is the warm-up from empty).",
    )
  })

  it("checks Little's law in the system and in the queue with the measured throughput", () => {
    expect(littlesLawSection(MEASURED, table).lines).toEqual([
      "|L (mean number)|λ̂ (per s)|W (mean s)|λ̂·W",
      "in the system|1.7500|0.5000|3.5000|1.7500",
      "in the queue|0.7500|0.5000|1.5000|0.7500",
      "λ̂ = 100 customers / 200.0s run. The run starts and ends empty,",
      "so the area under N(t) equals the sum of the customers' times: L = λ̂·W holds exactly, on any sample path.",
    ])
  })

  it("explains an overload with the run's rates, and has no prediction to compare", () => {
    const rates = { arrivalRate: 1.2, serviceRate: 1, servers: 1 }
    const steady = mmcSteadyState(rates)

    expect(instabilityLesson(rates, steady).lines[0]).toBe(
      "λ = 1.2/s >= c·μ = 1/s (ρ = 1.200): the servers cannot keep up.",
    )
    expect(comparisonSection(MEASURED, steady, 0, table).lines[1]).toMatch(/\|—$/)
  })

  it("advises a longer run, unless --customers is at its maximum", () => {
    expect(longerRun(500, 5_000_000)).toBe("rerun with --customers 5000 (10 times as many customers)")
    expect(longerRun(4_000_000, 5_000_000)).toBe("rerun with --customers 5000000 (10 times as many customers)")
    expect(longerRun(5_000_000, 5_000_000)).toBe(
      "--customers is already at its maximum (5,000,000): this queue is too close to saturation for a run this long to judge it",
    )
  })

  it("asks for the steady state, or, overloaded, what happens to the queue", () => {
    const stable = mmQueueQuiz({ arrivalRate: 0.9, serviceRate: 1, servers: 1, customers: 10_000 }).split("\n")
    const overloaded = mmQueueQuiz({ arrivalRate: 1.2, serviceRate: 1, servers: 1, customers: 10_000 }).split("\n")

    expect(stable[0]).toBe("1 server(s), each serving μ = 1 customers/s; customers arrive at λ = 0.9/s.")
    expect(stable[1]).toBe("Predict, in the long run:")
    expect(overloaded[1]).toBe(
      "1. Can the servers keep up? What happens to the queue while the 10,000 customers arrive?",
    )
  })
})
