/**
 * A tiny sim for testing the runner: a clock that ticks `--ticks` times, `--interval` apart.
 *
 * Each tick is a trace record and a timeline entry. Switches make it misbehave on purpose:
 * `--fail-check` makes its check fail (for `--strict`), `--crash` throws inside `run` (a bug,
 * exit 1). `--first` must not exceed `--last` (a cross-flag constraint). Runnable on its own:
 * `npx tsx test/cli/dummy-sim.ts --help`.
 */
import { defineSim, flag, fromSimulation, runMain, workEstimate } from "../../src/cli/index.ts"

const dummySim = defineSim({
  name: "dummy",
  title: "a clock that ticks",
  header: {
    covers: "the sim runner itself",
    scenario: "a clock ticks a few times",
    try: ["--ticks 3", "--fail-check --strict"],
  },
  time: { unit: "ms", decimals: 1 },
  flags: {
    ticks: flag.integer({ description: "number of ticks", unit: "ticks", default: 4, min: 1, max: 1000 }),
    interval: flag.number({ description: "time between ticks", unit: "ms", default: 2.5, greaterThan: 0 }),
    mode: flag.choice({ description: "how the clock ticks", choices: ["tick", "tock"], default: "tick" }),
    label: flag.string({ description: "text of each tick", default: "ding" }),
    first: flag.integer({ description: "first tick to show", unit: "tick number", default: 1, min: 1 }),
    last: flag.integer({ description: "last tick to show", unit: "tick number", default: 3, min: 1 }),
    failCheck: flag.boolean({ description: "make the check fail", default: false }),
    crash: flag.boolean({ description: "throw inside run (a bug)", default: false }),
  },
  constraints: [
    {
      params: ["first", "last"],
      holds: (p) => p.first <= p.last,
      message: "the first tick shown must not come after the last",
    },
  ],
  estimate: (params) =>
    workEstimate({
      events: params.ticks + 1,
      eventsPerSecond: 1_000_000,
      simTime: params.ticks * params.interval,
      advice: "lower --ticks",
    }),
  quiz: (params) => `How many times will the clock ${params.mode}, and when is the last one?`,
  run(params, context) {
    if (params.crash) throw new Error("the dummy crashed on purpose")
    const sim = context.simulation()
    let ticks = 0
    sim.spawn(
      (function* () {
        for (let i = 1; i <= params.ticks; i++) {
          yield* sim.sleep(params.interval)
          ticks++
          sim.trace.record("Ticked", { tick: i, label: params.label })
        }
      })(),
      "clock",
    )
    context.run(sim)
    const expected = params.failCheck ? params.ticks + 1 : params.ticks
    const entries = []
    for (let i = params.first; i <= Math.min(params.last, params.ticks); i++) {
      entries.push({ t: i * params.interval, text: `${params.mode} ${i}: ${params.label}` })
    }
    return {
      ...fromSimulation(sim),
      metrics: { ticks, lastTickMs: sim.now, perTick: { interval: params.interval } },
      checks: [{ name: "ticks-counted", held: ticks === expected, detail: `${ticks} ticks, expected ${expected}` }],
      timeline: { title: "Timeline", entries },
      sections: [{ title: "Summary", lines: [`${ticks} ticks`] }],
    }
  },
})

export default dummySim

await runMain(dummySim, import.meta.url)
