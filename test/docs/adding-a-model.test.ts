/**
 * docs/adding-a-model.md cites real files and real names: every repository path it names exists
 * (paths with a `<x>` placeholder excepted), and every name it cites as an API is exported by the
 * source or test files. Shown failing on a fixture first.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { describe, expect, it } from "vitest"

const ROOT = join(import.meta.dirname, "..", "..")
const DOC = "docs/adding-a-model.md"

/** The API names the guide cites, each of which some file under src/ or test/ exports. */
const CITED_NAMES = [
  "TraceEvent",
  "TraceOf",
  "Traced",
  "TraceSample",
  "NetEvent",
  "NodeContext",
  "NetworkContext",
  "Scenario",
  "ScenarioResult",
  "runUntil",
  "Advance",
  "Network",
  "applyFaultPlan",
  "jitteredLatency",
  "holds",
  "fails",
  "listSome",
  "checkLog",
  "checkRegister",
  "checkMutualExclusion",
  "checkFencingTokens",
  "checkEveryRecord",
  "checkNoRecord",
  "checkRespondedWithin",
  "describeFaultEvent",
  "isNetEvent",
  "defineSim",
  "faultFlags",
  "addSwarm",
  "renderTable",
  "formatTime",
  "formatMs",
  "formatCount",
  "formatNumber",
  "formatPercent",
  "fromSimulation",
  "describeSim",
  "checkProperty",
  "lawSameSeedSameTrace",
  "lawTimeNeverGoesBackwards",
  "lawCheckerAcceptsFaultFreeRuns",
  "lawCheckerRejectsKnownBadRun",
  "FailureDetectorEvent",
  "NodeSuspected",
  "NodeTrusted",
  "SilenceEnded",
  "HeartbeatDetector",
  "startHeartbeats",
  "FailureDetectorScenario",
  "FailureDetectorResult",
  "FailureDetectorSummary",
  "checkNoFalseSuspicion",
  "failureDetectorTimeline",
  "FailureDetectorRecord",
  "isTimelineRecord",
  "isFailureDetectorEvent",
  "FailureDetectorTimelineContext",
  "FAULTS",
  "MONITOR",
  "ALL_NODES",
  "failureDetectorLesson",
  "FailureDetectorLessonParams",
  "failureDetectorQuiz",
  "failureDetectorTimelineSection",
  "failureDetectorReport",
  "FAILURE_DETECTOR_METRICS",
  "faultPlanSection",
  "nodeRows",
  "crashLines",
  "NODE_COLUMNS",
  "LessonSection",
  "RenderTable",
]

/** The repository paths a markdown text names in backticks or links, placeholders left out. */
function citedPaths(text: string): string[] {
  const paths = [...text.matchAll(/`((?:src|sims|test|docs)\/[^`\s]*)`/g)].map((match) => match[1]!)
  return [...new Set(paths.filter((path) => !path.includes("<")).map((path) => path.replace(/\/$/, "")))]
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
}

describe("docs/adding-a-model.md", () => {
  const text = readFileSync(join(ROOT, DOC), "utf8")

  it("finds cited paths, leaving placeholders out (fixture)", () => {
    expect(citedPaths("see `src/net/context.ts`, `src/models/<x>/<x>-events.ts` and `test/laws/`")).toEqual([
      "src/net/context.ts",
      "test/laws",
    ])
  })

  it("cites only paths that exist", () => {
    const paths = citedPaths(text)

    expect(paths.length).toBeGreaterThan(20)
    expect(paths.filter((path) => !existsSync(join(ROOT, path)))).toEqual([])
  })

  it("cites only names that the code exports, and mentions each of them", () => {
    const sources = [...sourceFiles("src"), ...sourceFiles("test"), ...sourceFiles("sims")]
      .map((file) => readFileSync(join(ROOT, file), "utf8"))
      .join("\n")
    const exported = (name: string) =>
      new RegExp(`export (?:declare )?(?:async )?(?:function\\*?|const|class|interface|type|let) ${name}\\b`).test(
        sources,
      ) || new RegExp(`export \\{[^}]*\\b${name}\\b[^}]*\\}`).test(sources)

    expect(CITED_NAMES.filter((name) => !exported(name))).toEqual([])
    expect(CITED_NAMES.filter((name) => !text.includes(name))).toEqual([])
  })

  it("is linked from docs/README.md", () => {
    expect(readFileSync(join(ROOT, "docs/README.md"), "utf8")).toContain("(adding-a-model.md)")
  })
})
