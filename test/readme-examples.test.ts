/**
 * The README's two code examples, checked the way a reader uses them: each is saved at the root of
 * the repository (they import `./src/...`), type-checked with the project's own `tsconfig.json`
 * (through the `typescript` API, so with `npm run typecheck`'s strictness), run with `npx tsx` and
 * its standard output compared with the output block the README shows after it.
 *
 * Each section must say where to save its example (`Save ... as \`<name>.ts\` at the root of the
 * repository`) and how to run it (`npx tsx <name>.ts`, with `FC_SEED=<n>` in front when the output
 * depends on fast-check's seed); the test runs exactly that command. The design-check example's
 * `leaseLock` must also be the one `test/check/readme-example.test.ts` checks under more seeds and
 * fault plans.
 *
 * The files are written as `.readme-example-<pid>-<name>.ts` (gitignored, outside every `include`
 * of tsconfig.json and vitest) and removed afterwards; a reader's own `coffee.ts` is never touched.
 */
import { execFile } from "node:child_process"
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { promisify } from "node:util"
import ts from "typescript"
import { afterAll, describe, expect, it } from "vitest"

const ROOT = join(import.meta.dirname, "..")
const README = readFileSync(join(ROOT, "README.md"), "utf8")
const TSX_CLI = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs")
/** Spawning tsx takes about a second alone, and far longer on a loaded machine. */
const RUN_TIMEOUT_MS = 120_000

/** One README code example: its code, where it is saved and run, and the output the README shows. */
interface Example {
  readonly heading: string
  readonly code: string
  /** The file name the README tells the reader to save it as, at the repository root. */
  readonly fileName: string
  /** `FC_SEED` from the README's run command, if it sets one. */
  readonly fcSeed: string | undefined
  /** The README's output block, ending in a newline. */
  readonly output: string
  /** Where this test saves it. */
  readonly path: string
}

/** The text of the `## heading` section, up to the next `## ` heading. */
function section(heading: string): string {
  const start = README.indexOf(`\n## ${heading}\n`)
  if (start < 0) throw new Error(`README.md has no section "## ${heading}"`)
  const end = README.indexOf("\n## ", start + 1)
  return README.slice(start, end < 0 ? undefined : end)
}

/** The fenced blocks of `text` in order, with their info strings (`ts`, or "" for output). */
function fencedBlocks(text: string): { info: string; body: string }[] {
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => ({ info: match[1]!, body: match[2]! }))
}

function example(heading: string): Example {
  const text = section(heading)
  const blocks = fencedBlocks(text)
  const codeIndex = blocks.findIndex((block) => block.info === "ts")
  const output = blocks.slice(codeIndex + 1).find((block) => block.info === "")
  const saveAs = /Save (?:this|it)\s+as\s+`([\w-]+\.ts)`\s+at the root of the\s+repository/.exec(text)
  const command = /`((?:FC_SEED=(\d+) )?npx tsx ([\w-]+\.ts))`/.exec(text)
  if (codeIndex < 0 || output === undefined)
    throw new Error(`"## ${heading}": expected a \`\`\`ts block followed by an output block`)
  if (saveAs === null)
    throw new Error(
      `"## ${heading}": the README must say where to save the example ("Save it as \`<name>.ts\` at the root of the repository")`,
    )
  if (command === null || command[3] !== saveAs[1])
    throw new Error(`"## ${heading}": the README must say how to run ${saveAs[1]} ("npx tsx ${saveAs[1]}")`)
  return {
    heading,
    code: blocks[codeIndex]!.body,
    fileName: saveAs[1]!,
    fcSeed: command[2],
    output: output.body,
    path: join(ROOT, `.readme-example-${process.pid}-${saveAs[1]}`),
  }
}

const model = example("Write your own model in 20 lines")
const design = example("Check your own design in 30 lines")
/** A file that must not type-check under the project's settings (`noUncheckedIndexedAccess`), to show they apply. */
const probePath = join(ROOT, `.readme-example-${process.pid}-settings-probe.ts`)

for (const { path, code } of [model, design]) writeFileSync(path, code)
writeFileSync(probePath, "const xs: number[] = []\nexport const first: number = xs[0]\n")
afterAll(() => {
  for (const path of [model.path, design.path, probePath]) rmSync(path, { force: true })
})

/** Type-checks `paths` (and what they import) with tsconfig.json's compiler options. */
function typeErrors(paths: readonly string[]): Map<string, string[]> {
  const configFile = ts.readConfigFile(join(ROOT, "tsconfig.json"), ts.sys.readFile)
  if (configFile.error !== undefined)
    throw new Error(ts.flattenDiagnosticMessageText(configFile.error.messageText, "\n"))
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT)
  const program = ts.createProgram({ rootNames: paths, options })
  const errors = new Map<string, string[]>()
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file?.fileName ?? "(global)"
    const where =
      diagnostic.file === undefined || diagnostic.start === undefined
        ? ""
        : `:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1}`
    const text = `TS${diagnostic.code}${where} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`
    errors.set(file, [...(errors.get(file) ?? []), text])
  }
  return errors
}

/** Runs `example` as the README says (`[FC_SEED=n] npx tsx <file>`, from the repository root). */
async function runExample(example: Example): Promise<{ stdout: string; stderr: string }> {
  const env = { ...process.env }
  delete env.FC_SEED
  if (example.fcSeed !== undefined) env.FC_SEED = example.fcSeed
  return promisify(execFile)(process.execPath, [TSX_CLI, example.path], {
    cwd: ROOT,
    env,
    encoding: "utf8",
    timeout: RUN_TIMEOUT_MS,
  })
}

describe("the README's code examples", () => {
  it(
    "type-check under the project's tsconfig.json, whose settings apply to them",
    () => {
      const errors = typeErrors([model.path, design.path, probePath])

      expect(errors.get(probePath)).toEqual([
        expect.stringMatching(/^TS2322:2 Type 'number \| undefined' is not assignable to type 'number'/),
      ])
      errors.delete(probePath)
      expect(Object.fromEntries(errors)).toEqual({})
    },
    RUN_TIMEOUT_MS,
  )

  it(
    `"${model.heading}" prints what the README shows: the waits, then a Prometheus histogram of all 1000 customers`,
    async () => {
      const { stdout, stderr } = await runExample(model)

      // console.log ends the Prometheus text, which ends in a newline, with another: one blank line the README leaves out.
      expect(stdout).toBe(`${model.output}\n`)
      expect(stderr).toBe("")
      const [, p50, p99] = /^p50 wait (\d+\.\d) s, p99 (\d+\.\d) s\n/.exec(stdout) ?? []
      expect(Number(p50)).toBeLessThanOrEqual(Number(p99))
      expect(stdout).toContain("# TYPE wait_seconds histogram\n")
      const buckets = [...stdout.matchAll(/^wait_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)]
      expect(buckets.map((bucket) => bucket[1])).toEqual(["1", "10", "30", "60", "120", "300", "+Inf"])
      const counts = buckets.map((bucket) => Number(bucket[2]))
      expect(counts).toEqual([...counts].sort((x, y) => x - y))
      expect(counts.at(-1)).toBe(1000)
      expect(stdout).toMatch(/^wait_seconds_count 1000$/m)
    },
    RUN_TIMEOUT_MS,
  )

  it(
    `"${design.heading}" prints what the README shows: the verdict, the shrunk plan and a replay line for the sim the reader writes`,
    async () => {
      const { stdout, stderr } = await runExample(design)

      expect(design.fcSeed).toBeDefined()
      expect(stdout).toBe(design.output)
      expect(stderr).toMatch(
        new RegExp(`^sims/toy-lease\\.ts: counterexample found \\(seed=${design.fcSeed} path="[\\d:]+"\\)\\n$`),
      )
      const lines = stdout.trimEnd().split("\n")
      expect(lines[0]).toMatch(/^sims\/toy-lease\.ts: counterexample found after \d+ cases? and \d+ shrinks?$/)
      expect(lines).toContainEqual(
        expect.stringMatching(/^ {4}NOT HELD {2}at-most-one-holder {2}two holders from t=\d+ to t=\d+: /),
      )
      const planJson = /^ {2}fault plan JSON: (.*)$/m.exec(stdout)?.[1]
      expect(lines.at(-1)).toBe(`  replay: npx tsx sims/toy-lease.ts --lease-ms 100 --faults '${planJson}'`)
      // The README says the reader writes that sim: it must not pretend the repository has it.
      expect(README).toMatch(/`sims\/toy-lease\.ts`, a sim this repository does not have/)
      expect(() => readFileSync(join(ROOT, "sims", "toy-lease.ts"))).toThrow(/ENOENT/)
    },
    RUN_TIMEOUT_MS,
  )

  it("has the same leaseLock as test/check/readme-example.test.ts, which checks it under every seed", () => {
    const leaseLockOf = (text: string): string | undefined => /^function leaseLock\([\s\S]*?^}$/m.exec(text)?.[0]
    const tested = readFileSync(join(ROOT, "test", "check", "readme-example.test.ts"), "utf8")

    expect(leaseLockOf(design.code)).toBeDefined()
    expect(leaseLockOf(tested)).toBe(leaseLockOf(design.code))
  })
})
