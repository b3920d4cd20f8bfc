/**
 * The tidy test: determinism rules enforced by a scan, not by review (TigerBeetle's `tidy`).
 *
 * Every `.ts` file under `src/` (except `src/cli/`, which may read the clock to report wall time)
 * must not call a wall clock, an unseeded random source, a real timer, or `await` a real promise:
 * each of those makes two runs with the same seed differ. A failure names file:line, the banned
 * call and what to use instead. Comments, strings and regular expressions are masked first, so
 * prose may mention the banned names.
 *
 * Also: every `class X extends Y` under `src/kernel/` (Y not `Error`) declares `static override get
 * name()` returning "X" (see docs/kernel-performance.md#class-name-getter); and no kernel module
 * imports a constant by name or exports one, except src/kernel/constants.ts (see its header).
 *
 * Each rule is first shown to fail on a fixture, so a broken scanner cannot pass silently.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { describe, expect, it } from "vitest"

const ROOT = join(import.meta.dirname, "..")

/** A banned call and its deterministic replacement. */
interface BannedCall {
  /** How the call reads in a failure message. */
  readonly banned: string
  /** Matches the call in masked source (no comments, strings or regexes). */
  readonly pattern: RegExp
  /** What to use instead, and why. */
  readonly replacement: string
}

const CLOCK = "sim.now (virtual time; a wall clock differs between runs)"

const BANNED: readonly BannedCall[] = [
  {
    banned: "Math.random",
    pattern: /\bMath\s*\.\s*random\b/,
    replacement: "sim.random(name): a named stream derived from the run's seed",
  },
  { banned: "Date.now", pattern: /\bDate\s*\.\s*now\b/, replacement: CLOCK },
  { banned: "performance.now", pattern: /\bperformance\s*\.\s*now\b/, replacement: CLOCK },
  { banned: "new Date(", pattern: /\bnew\s+Date\s*\(/, replacement: CLOCK },
  { banned: "process.hrtime", pattern: /\bprocess\s*\.\s*hrtime\b/, replacement: CLOCK },
  {
    banned: "setTimeout",
    pattern: /(?<![\w$])setTimeout\b/,
    replacement: "sim.timeout(delay), or yield* sim.sleep(delay) in a process",
  },
  {
    banned: "setInterval",
    pattern: /(?<![\w$])setInterval\b/,
    replacement: "a process that loops on yield* sim.sleep(period)",
  },
  { banned: "setImmediate", pattern: /(?<![\w$])setImmediate\b/, replacement: "sim.timeout(0), or a process" },
  {
    banned: "await",
    // not a member named "await": `x.await`, a declaration `await(w: Worker): void {`, a key `await:`
    pattern: /(?<![\w$.])await\b(?!\s*\([^()]*\)\s*(?::[^={;]+)?\{)(?!\s*:)/,
    replacement:
      "a kernel process that yield*s events (real promises settle in an order the simulation does not control)",
  },
]

/** Keywords after which a `/` starts a regular expression rather than a division. */
const REGEX_AFTER_WORDS = new Set([
  "return",
  "typeof",
  "case",
  "do",
  "else",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "instanceof",
  "yield",
  "await",
])

/**
 * Replaces comments (and, unless `keepStrings`, the contents of strings, template text and regular
 * expressions) with spaces, keeping every newline so that offsets and line numbers stay valid.
 * Code inside `${...}` of a template literal is kept: it runs.
 */
function maskSource(source: string, keepStrings = false): string {
  const out = source.split("")
  const n = source.length
  const blank = (i: number): void => {
    if (i < n && out[i] !== "\n") out[i] = " "
  }
  const blankText = (i: number): void => {
    if (!keepStrings) blank(i)
  }
  const braces: ("code" | "template")[] = []
  let last = "" // the last significant token: a punctuator or a word
  let i = 0

  /** Scans template text from `i` to the closing backtick or the next `${`. */
  const scanTemplateText = (): void => {
    while (i < n) {
      const c = source[i]
      if (c === "\\") {
        blankText(i)
        blankText(i + 1)
        i += 2
      } else if (c === "`") {
        i++
        return
      } else if (c === "$" && source[i + 1] === "{") {
        braces.push("template")
        i += 2
        return
      } else {
        blankText(i)
        i++
      }
    }
  }

  while (i < n) {
    const c = source[i]!
    const d = source[i + 1]
    if (c === "/" && d === "/") {
      while (i < n && source[i] !== "\n") blank(i++)
    } else if (c === "/" && d === "*") {
      blank(i++)
      blank(i++)
      while (i < n && !(source[i] === "*" && source[i + 1] === "/")) blank(i++)
      blank(i++)
      blank(i++)
    } else if (c === "'" || c === '"') {
      i++
      while (i < n && source[i] !== c && source[i] !== "\n") {
        if (source[i] === "\\") blankText(i++)
        blankText(i++)
      }
      i++
      last = "string"
    } else if (c === "`") {
      i++
      scanTemplateText()
      last = "string"
    } else if (c === "}" && braces[braces.length - 1] === "template") {
      braces.pop()
      i++
      scanTemplateText()
      last = "string"
    } else if (c === "/" && (last === "" || /^[(,=:[!&|?{};+\-*%<>~^]$/.test(last) || REGEX_AFTER_WORDS.has(last))) {
      i++
      let inClass = false
      while (i < n && source[i] !== "\n") {
        const r = source[i]
        if (r === "\\") {
          blankText(i++)
        } else if (r === "[") {
          inClass = true
        } else if (r === "]") {
          inClass = false
        } else if (r === "/" && !inClass) {
          break
        }
        blankText(i++)
      }
      i++
      while (i < n && /[a-z]/i.test(source[i]!)) i++
      last = "regex"
    } else if (/\s/.test(c)) {
      i++
    } else if (/[\w$]/.test(c)) {
      let j = i
      while (j < n && /[\w$]/.test(source[j]!)) j++
      last = source.slice(i, j)
      i = j
    } else {
      if (c === "{") braces.push("code")
      if (c === "}") braces.pop()
      last = c
      i++
    }
  }
  return out.join("")
}

/** One rule violation, located. */
interface Violation {
  readonly file: string
  readonly line: number
  readonly message: string
}

/** Finds the banned calls in one file's source. */
function findBannedCalls(file: string, source: string, rules: readonly BannedCall[] = BANNED): Violation[] {
  const violations: Violation[] = []
  const lines = maskSource(source).split("\n")
  const original = source.split("\n")
  lines.forEach((line, index) => {
    for (const rule of rules) {
      if (rule.pattern.test(line)) {
        violations.push({
          file,
          line: index + 1,
          message: `${file}:${index + 1}: ${rule.banned} is banned; use ${rule.replacement}\n    ${original[index]!.trim()}`,
        })
      }
    }
  })
  return violations
}

const NAME_RULE_WHY =
  "Why: tsx runs esbuild with keepNames, which gives every class without its own static `name` a helper call " +
  "that redefines `name`; V8 then constructs derived classes far slower (6x measured on 2026-12-07, see " +
  "docs/kernel-performance.md#class-name-getter). The kernel makes such objects per operation (events, requests, " +
  "conditions), so its derived classes declare the getter; Error subclasses measured no faster with it, and " +
  "classes outside src/kernel are not on the kernel's hot paths, so the rule does not apply to them."

/** Index just past the balanced `<...>` that starts at `start` (skipping `=>` arrows inside). */
function skipAngles(code: string, start: number): number {
  let depth = 0
  for (let i = start; i < code.length; i++) {
    const c = code[i]
    if (c === "=" && code[i + 1] === ">") {
      i++
    } else if (c === "<") {
      depth++
    } else if (c === ">") {
      depth--
      if (depth === 0) return i + 1
    }
  }
  return code.length
}

/**
 * Finds derived classes that lack `static override get name()` returning their own name, in the
 * files where the rule applies (under src/kernel/) and for bases other than `Error` (see
 * NAME_RULE_WHY).
 */
function findUnnamedDerivedClasses(file: string, source: string): Violation[] {
  if (!/^src[\\/]kernel[\\/]/.test(file)) return []
  const code = maskSource(source) // structure: strings and comments blanked
  const text = maskSource(source, true) // content: comments blanked, strings kept
  const violations: Violation[] = []
  const classPattern = /\bclass\s+([A-Za-z_$][\w$]*)/g
  for (let match = classPattern.exec(code); match !== null; match = classPattern.exec(code)) {
    const name = match[1]!
    let i = match.index + match[0].length
    while (/\s/.test(code[i] ?? "")) i++
    if (code[i] === "<") i = skipAngles(code, i)
    const rest = code.slice(i)
    const heritage = /^\s*extends\s+/.exec(rest)
    if (heritage === null) continue
    // the body opens at the first "{" outside type arguments
    let j = i + heritage[0].length
    let angles = 0
    for (; j < code.length; j++) {
      const c = code[j]
      if (c === "=" && code[j + 1] === ">") j++
      else if (c === "<") angles++
      else if (c === ">") angles--
      else if (c === "{" && angles === 0) break
    }
    const base = code
      .slice(i + heritage[0].length, j)
      .trim()
      .split(/[\s<]/)[0]
    if (base === "Error") continue
    let depth = 0
    let end = j
    for (; end < code.length; end++) {
      if (code[end] === "{") depth++
      else if (code[end] === "}" && --depth === 0) break
    }
    const body = text.slice(j, end)
    const getter = /static\s+override\s+get\s+name\s*\(\s*\)\s*(?::\s*string\s*)?\{\s*return\s+(["'`])([^"'`]*)\1/.exec(
      body,
    )
    const line = code.slice(0, match.index).split("\n").length
    const wanted = `static override get name(): string { return "${name}" }`
    if (getter === null) {
      violations.push({ file, line, message: `${file}:${line}: class ${name} extends ${base} lacks \`${wanted}\`` })
    } else if (getter[2] !== name) {
      violations.push({
        file,
        line,
        message: `${file}:${line}: class ${name}'s static name getter returns "${getter[2]}"; write \`${wanted}\``,
      })
    }
  }
  return violations
}

const CONSTANT_RULE_WHY =
  "Why: under tsx every file is its own ES module, and V8 reads an imported or exported binding through a cell on " +
  "every use, which optimised code cannot fold; a module-local const it folds (measured: the benchmark models 4-6% " +
  "faster). See the header of src/kernel/constants.ts."

/** A constant's name: capitals, digits and underscores. */
const CONSTANT_NAME = /^[A-Z][A-Z0-9_]*$/

/**
 * Finds the kernel's shared constants used the slow way: a constant imported by name from another
 * module, or a numeric constant exported from a module other than src/kernel/constants.ts (the
 * module's own code then reads the exported binding).
 */
function findSharedConstants(file: string, source: string): Violation[] {
  if (file === join("src", "kernel", "constants.ts")) return []
  const code = maskSource(source)
  const violations: Violation[] = []
  const lineAt = (index: number): number => code.slice(0, index).split("\n").length
  const namedImport = /\bimport\s*\{([^}]*)\}\s*from\b/g
  for (let match = namedImport.exec(code); match !== null; match = namedImport.exec(code)) {
    const names = match[1]!
      .split(",")
      .map((name) => name.trim())
      .filter((name) => CONSTANT_NAME.test(name.split(/\s+as\s+/)[0]!))
    for (const name of names) {
      const line = lineAt(match.index)
      violations.push({
        file,
        line,
        message: `${file}:${line}: imports the constant ${name} by name; write \`import * as constants from "./constants.ts"\` and \`const { ${name} } = constants\``,
      })
    }
  }
  // a number: a literal, or arithmetic on literals and other constants (not e.g. a frozen array of defaults)
  const exported = /\bexport\s+const\s+([A-Z][A-Z0-9_]*)\s*(?::\s*number\s*)?=[\s\d.+\-*/()A-Z_xa-f]+$/gm
  for (let match = exported.exec(code); match !== null; match = exported.exec(code)) {
    const line = lineAt(match.index)
    violations.push({
      file,
      line,
      message: `${file}:${line}: exports the constant ${match[1]}; move it to src/kernel/constants.ts and take a local copy`,
    })
  }
  return violations
}

/** The constant-rule violations followed, once, by the reason for the rule. */
function constantReport(violations: readonly Violation[]): string {
  return violations.length === 0 ? "" : `${report(violations)}\n${CONSTANT_RULE_WHY}`
}

/** Every `.ts` file under `dir`, as paths relative to the repository root, sorted. */
function tsFiles(dir: string): string[] {
  const found: string[] = []
  const walk = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.name.endsWith(".ts")) found.push(relative(ROOT, full))
    }
  }
  walk(join(ROOT, dir))
  return found.sort()
}

function report(violations: readonly Violation[]): string {
  return violations.map((violation) => violation.message).join("\n")
}

/** The class-name violations followed, once, by the reason for the rule. */
function classReport(violations: readonly Violation[]): string {
  return violations.length === 0 ? "" : `${report(violations)}\n${NAME_RULE_WHY}`
}

describe("tidy scanner (on fixtures)", () => {
  const fixtures: Record<string, string> = {
    "Math.random": "const x = Math.random()",
    "Date.now": "const started = Date.now()",
    "performance.now": "const t0 = performance.now()",
    "new Date(": "const stamp = new Date().toISOString()",
    "process.hrtime": "const [s] = process.hrtime()",
    setTimeout: "setTimeout(() => tick(), 10)",
    setInterval: "const handle = setInterval(poll, 100)",
    setImmediate: "globalThis.setImmediate(run)",
    await: "const body = await fetchIt()",
  }

  for (const rule of BANNED) {
    it(`flags ${rule.banned} with its file, line and replacement`, () => {
      const source = `// line 1\nconst ok = 1\n${fixtures[rule.banned]}\n`

      const violations = findBannedCalls("src/fixture.ts", source)

      expect(violations.map((v) => v.line)).toEqual([3])
      expect(violations[0]!.message).toContain(`src/fixture.ts:3: ${rule.banned} is banned; use ${rule.replacement}`)
    })
  }

  it("ignores banned names in comments, strings, template text and regular expressions", () => {
    const source = [
      "// never call Math.random() here",
      "/* Date.now() is banned,",
      "   and so is setTimeout */",
      'const hint = "use sim.now, not performance.now()"',
      "const quoted = 'await is banned too'",
      "const template = `no process.hrtime() in ${name} either`",
      "const pattern = /await|setInterval/g",
      "const half = total / 2 // new Date() in a comment",
    ].join("\n")

    expect(findBannedCalls("src/fixture.ts", source)).toEqual([])
  })

  it("flags code inside a template literal's ${...} and after a division", () => {
    const source = [
      "const label = `at ${Date.now()} ms`",
      "const ratio = a / b / Math.random()",
      "const nested = `${`${await x}`}`",
      "const parenthesised = await (fetchIt())",
      "await(ready)",
    ].join("\n")

    expect(
      findBannedCalls("src/fixture.ts", source).map((v) => `${v.line} ${v.message.split(" is banned")[0]}`),
    ).toEqual([
      "1 src/fixture.ts:1: Date.now",
      "2 src/fixture.ts:2: Math.random",
      "3 src/fixture.ts:3: await",
      "4 src/fixture.ts:4: await",
      "5 src/fixture.ts:5: await",
    ])
  })

  it("does not mistake a property or method named like a banned call for it", () => {
    const source = [
      "const a = sim.await",
      "const b = clock.setTimeoutMs",
      "const c = mySetTimeout(1)",
      "  private await(worker: Worker): void {",
      "  await() {",
      "const options = { await: true }",
    ].join("\n")

    expect(findBannedCalls("src/fixture.ts", source)).toEqual([])
  })

  it("flags a derived class without the static name getter, explaining why", () => {
    const source = ["class Base {}", "export class Derived<T> extends Base {", "  x = 1", "}"].join("\n")

    const violations = findUnnamedDerivedClasses("src/kernel/fixture.ts", source)

    expect(violations).toHaveLength(1)
    expect(classReport(violations)).toContain(
      'src/kernel/fixture.ts:2: class Derived extends Base lacks `static override get name(): string { return "Derived" }`\nWhy: ',
    )
    expect(classReport(violations)).toContain("see docs/kernel-performance.md#class-name-getter")
  })

  it("requires the getter only under src/kernel/ and not on Error subclasses", () => {
    const source = ["class Failure extends Error {}", "class Timer extends Event<void> {}"].join("\n")

    expect(report(findUnnamedDerivedClasses("src/kernel/fixture.ts", source))).toBe(
      'src/kernel/fixture.ts:2: class Timer extends Event lacks `static override get name(): string { return "Timer" }`',
    )
    expect(findUnnamedDerivedClasses("src/net/fixture.ts", source)).toEqual([])
    expect(findUnnamedDerivedClasses("src/check/fixture.ts", source)).toEqual([])
  })

  it("flags a static name getter that returns another class's name", () => {
    const source = 'class A extends B {\n  static override get name(): string {\n    return "B"\n  }\n}'

    expect(report(findUnnamedDerivedClasses("src/kernel/fixture.ts", source))).toContain(
      'class A\'s static name getter returns "B"',
    )
  })

  it("accepts derived classes with the getter, including abstract and generic ones, and ignores generic constraints", () => {
    const source = [
      "abstract class Condition<T> extends Event<T> implements Waiter {",
      '  static override get name(): string { return "Condition" }',
      "  m(): void { if (x) { y() } }",
      "}",
      "export class WaitQueue<T extends Withdrawable> {",
      "  items: T[] = []",
      "}",
      "export class Mapper<F extends (x: number) => string> {}",
      "class Wrapped extends Base<{ a: number }> {",
      "  static override get name() {",
      "    return 'Wrapped'",
      "  }",
      "}",
    ].join("\n")

    expect(findUnnamedDerivedClasses("src/kernel/fixture.ts", source)).toEqual([])
  })
  it("flags a kernel constant imported by name or exported outside constants.ts, explaining why", () => {
    const source = [
      'import { Event, FAILED, type Waiter } from "./event.ts"',
      "import {",
      "  STATE as LIFECYCLE,",
      '} from "./event.ts"',
      "export const LIMIT = 5",
      "export const SPACE: number = 2 ** 40",
      "export const FIRST = LIMIT - 0x1f",
      "export const DEFAULTS: readonly number[] = Object.freeze([1, 2])",
    ].join("\n")

    const violations = findSharedConstants(join("src", "kernel", "fixture.ts"), source)

    expect(violations.map((v) => v.line)).toEqual([1, 2, 5, 6, 7])
    expect(constantReport(violations)).toContain(
      'imports the constant FAILED by name; write `import * as constants from "./constants.ts"` and `const { FAILED } = constants`',
    )
    expect(constantReport(violations)).toContain("imports the constant STATE as LIFECYCLE by name")
    expect(constantReport(violations)).toContain("exports the constant LIMIT; move it to src/kernel/constants.ts")
    expect(constantReport(violations)).toContain("\nWhy: under tsx every file is its own ES module")
  })

  it("accepts local copies of the constants, type-only imports, and constants.ts itself", () => {
    const source = [
      'import * as constants from "./constants.ts"',
      'import type { STATE } from "./constants.ts"',
      'import { Event, type Waiter } from "./event.ts"',
      "const { FAILED, STATE: LIFECYCLE } = constants // local copies",
      "const NORMAL_KEY = 1",
      '// import { FAILED } from "./event.ts" in a comment',
    ].join("\n")

    expect(findSharedConstants(join("src", "kernel", "fixture.ts"), source)).toEqual([])
    expect(findSharedConstants(join("src", "kernel", "constants.ts"), "export const URGENT = 0")).toEqual([])
  })
})

describe("tidy: src/", () => {
  const scanned = tsFiles("src").filter((file) => !file.startsWith(join("src", "cli")))
  const sources = new Map(scanned.map((file) => [file, readFileSync(join(ROOT, file), "utf8")]))

  it("finds the kernel's files to scan, and masks each one without losing its structure", () => {
    expect(scanned).toContain(join("src", "kernel", "simulation.ts"))
    for (const [file, source] of sources) {
      const masked = maskSource(source)
      // a masker that misread a regex or a string would blank real code and unbalance the braces
      expect([file, masked.length, masked.split("\n").length]).toEqual([file, source.length, source.split("\n").length])
      expect([file, masked.split("{").length]).toEqual([file, masked.split("}").length])
    }
  })

  for (const rule of BANNED) {
    it(`has no ${rule.banned} outside src/cli`, () => {
      const violations = [...sources].flatMap(([file, source]) => findBannedCalls(file, source, [rule]))

      expect(report(violations)).toBe("")
    })
  }

  it("declares static override get name() in every derived class under src/kernel/ but errors, returning its own name", () => {
    const kernel = [...sources].filter(([file]) => file.startsWith(join("src", "kernel")))
    const violations = kernel.flatMap(([file, source]) => findUnnamedDerivedClasses(file, source))

    expect(kernel.length).toBeGreaterThan(10)
    expect(classReport(violations)).toBe("")
  })

  it("keeps the kernel's shared constants in src/kernel/constants.ts, with module-local copies everywhere else", () => {
    const kernel = [...sources].filter(([file]) => file.startsWith(join("src", "kernel")))
    const violations = kernel.flatMap(([file, source]) => findSharedConstants(file, source))

    expect(kernel.length).toBeGreaterThan(10)
    expect(constantReport(violations)).toBe("")
  })
})
