/**
 * Benchmark `explore-printers`: the exhaustive explorer's throughput on the two-printer program
 * (`src/models/go/alternate-printers.ts`, the token version, 3 items by default): every schedule
 * is a fresh simulation run from scratch under the explorer's chooser. Explores the program over
 * and over for `BENCH_SECONDS` (default 5) of wall time and reports schedules per second; the
 * issue's target is 100,000.
 *
 * Run: `npx tsx bench/explore-printers.ts` (`BENCH_ITEMS_PRINTED`, `BENCH_VERSION`, `BENCH_SECONDS`).
 */
import { explore } from "../src/check/index.ts"
import { type Chooser, Simulation } from "../src/kernel/index.ts"
import {
  PRINTER_VERSIONS,
  type PrinterVersion,
  printerVerdict,
  runAlternatePrinters,
} from "../src/models/go/alternate-printers.ts"
import { isMainModule, printResult, wallClockMs } from "./bench-kit.ts"

/** Explores the program repeatedly for about `seconds` and counts schedules. */
export function runExplorePrinters(version: PrinterVersion, items: number, seconds: number) {
  const build = (chooser: Chooser) => {
    const run = runAlternatePrinters(new Simulation({ chooser, trace: { enabled: false } }), { version, items })
    return { stateKey: printerVerdict(run) }
  }
  const startedMs = wallClockMs()
  let schedules = 0
  let explorations = 0
  let perExploration = 0
  while (wallClockMs() - startedMs < seconds * 1000) {
    perExploration = explore(build).schedules
    schedules += perExploration
    explorations++
  }
  const wallMs = Math.round((wallClockMs() - startedMs) * 1000) / 1000
  const schedulesPerSec = Math.round(schedules / (wallMs / 1000))
  return {
    system: "simsys",
    workload: "explore-printers",
    events: schedules,
    simTime: 0,
    wallMs,
    eventsPerSec: schedulesPerSec,
    version,
    items,
    schedulesPerExploration: perExploration,
    explorations,
    schedulesPerSec,
  }
}

function fromEnv(name: string, fallback: number): number {
  const text = process.env[name]
  const value = text === undefined || text === "" ? fallback : Number(text)
  if (!(value > 0)) throw new RangeError(`${name} must be a positive number, got ${JSON.stringify(text)}`)
  return value
}

if (isMainModule(import.meta.url)) {
  const version = (process.env.BENCH_VERSION ?? "token") as PrinterVersion
  if (!PRINTER_VERSIONS.includes(version))
    throw new RangeError(`BENCH_VERSION must be one of ${PRINTER_VERSIONS.join(", ")}`)
  printResult(runExplorePrinters(version, fromEnv("BENCH_ITEMS_PRINTED", 3), fromEnv("BENCH_SECONDS", 5)))
}
