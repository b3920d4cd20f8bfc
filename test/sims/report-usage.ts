/**
 * Preloaded into a measured sim process (`node --import tsx --import ./test/sims/report-usage.ts
 * sims/<name>.ts ...`, or bundled: `node --import <bundle>/report-usage.mjs <bundle>/<name>.mjs
 * ...`): at exit, writes one last stderr line `USAGE {"cpuSeconds":…,"peakBytes":…}` with the
 * process's CPU time (user + system, seconds) and peak resident memory (bytes).
 */
import { writeSync } from "node:fs"

process.on("exit", () => {
  const usage = process.resourceUsage()
  const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6
  writeSync(2, `\nUSAGE ${JSON.stringify({ cpuSeconds, peakBytes: usage.maxRSS * 1024 })}\n`)
})
