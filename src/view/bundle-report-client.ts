/**
 * The report's client script (`client/report-client.ts` and the parts of echarts it imports),
 * bundled once per process with esbuild into one minified script to inline in a page.
 *
 * Why echarts (6.1.0): one well-kept library (Apache) draws all three kinds of chart a report
 * needs — time series with large-data sampling, Gantt charts and the message diagram as custom
 * series — with zoom and tooltips, and tree-shakes to the parts used (echarts/core plus the line
 * and custom charts). Bundling is deterministic: the same sources give the same bytes.
 *
 * Node only (esbuild); the page builder itself (`render-html-report.ts`) is pure.
 */
import { buildSync } from "esbuild"
import { join } from "node:path"

let bundled: string | undefined

/** The minified client script; built on the first call (a few hundred ms), then cached. */
export function reportClientScript(): string {
  if (bundled === undefined) {
    const result = buildSync({
      entryPoints: [join(import.meta.dirname, "client", "report-client.ts")],
      bundle: true,
      minify: true,
      format: "iife",
      platform: "browser",
      target: "es2020",
      write: false,
      legalComments: "none",
      charset: "utf8",
      logLevel: "silent",
    })
    bundled = result.outputFiles[0]!.text
  }
  return bundled
}
