/**
 * Models simulate; they do not inject faults or peek at what only an observer may know. Under
 * `src/models/`:
 *
 * - no code calls the fault-injection controls of a node, a process or the network (`crash`,
 *   `restart`, `loseDisk`, `pause`, `resume`, `unpause`, `kill`, `skewClock`, `setDrift`,
 *   `setLink`, `setDefaultLink`): faults come from a fault plan, applied by `applyFaultPlan`;
 * - only observers — a scenario's judge (`*-scenario.ts`) — read the observer's view (`isUp`, `isPaused`, `lastResumedAt`, `isCut`,
 *   `activePartitions`): an actor that read them would know what a real process cannot (that a
 *   remote host is down, or that it was itself paused). The exceptions are listed below with why;
 * - only observers import the `Node` and `Network` classes: actors hold a `NodeContext` or a
 *   `NetworkContext` (`src/net/context.ts`), which have no controls and no observer's view.
 *
 * Accesses are resolved with TypeScript's type checker: only members declared by the kernel's
 * `Process`, the network's `Node` or `Network` count, so a model's own `pause()` (a Kafka
 * consumer's, say) is not mistaken for one, and comments and strings never count. The rule is
 * first shown to fail on a fixture. (Issue 15 plans the type-level split into a
 * model's NodeContext and an observer's or injector's NodeControl; this test holds the line until
 * then.)
 */
import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import ts from "typescript"
import { describe, expect, it } from "vitest"

const ROOT = join(import.meta.dirname, "..")

const CONTROLS = new Set([
  "crash",
  "restart",
  "loseDisk",
  "pause",
  "resume",
  "unpause",
  "kill",
  "skewClock",
  "setDrift",
  "setLink",
  "setDefaultLink",
])
const OBSERVER_READS = new Set(["isUp", "isPaused", "lastResumedAt", "isCut", "activePartitions"])

/** Files that are observers: a scenario wires the model and judges it. */
function isObserver(file: string): boolean {
  return file.endsWith("-scenario.ts")
}

/** Reads of the observer's view by actors, each with why it is tolerated for now. */
const EXCEPTIONS: ReadonlyMap<string, string> = new Map([])

/** Actors that still import `Node` or `Network`, each with why it is tolerated for now. */
const IMPORT_EXCEPTIONS: ReadonlyMap<string, string> = new Map([])

/** The classes actors may not import: the control and observer side of the network. */
const OBSERVER_CLASSES = new Map([
  ["src/net/node.ts", "Node"],
  ["src/net/network.ts", "Network"],
])

/** Where the guarded members are declared: the classes whose controls and view are guarded. */
const GUARDED_CLASSES = new Map([
  ["src/kernel/process.ts", "Process"],
  ["src/net/node.ts", "Node"],
  ["src/net/network.ts", "Network"],
])

/** The `file:line ...` violations of every file in `files` (repository-relative), type-checked together. */
export function boundaryViolations(
  files: readonly string[],
  host?: ts.CompilerHost,
  exceptions: ReadonlyMap<string, string> = EXCEPTIONS,
): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  }
  const program = ts.createProgram(
    files.map((file) => join(ROOT, file)),
    options,
    host,
  )
  const checker = program.getTypeChecker()
  const found: string[] = []
  for (const file of files) {
    const tree = program.getSourceFile(join(ROOT, file))
    if (tree === undefined) throw new Error(`${file} was not read`)
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node)) {
        const name = node.name.text
        if ((CONTROLS.has(name) || OBSERVER_READS.has(name)) && isGuarded(checker.getSymbolAtLocation(node.name))) {
          const line = tree.getLineAndCharacterOfPosition(node.name.getStart()).line + 1
          const isCall = ts.isCallExpression(node.parent) && node.parent.expression === node
          if (CONTROLS.has(name) && isCall) found.push(`${file}:${line} calls ${name}() (a fault-injection control)`)
          if (OBSERVER_READS.has(name) && !isObserver(file) && !exceptions.has(`${file} ${name}`)) {
            found.push(`${file}:${line} reads ${name} (the observer's view)`)
          }
        }
      }
      ts.forEachChild(node, visit)
    }
    visit(tree)
  }
  return found
}

/**
 * The `file:line imports X` violations of every file in `files`: an actor (not an observer) that
 * imports a class of {@link OBSERVER_CLASSES}, resolved through re-exports by the type checker.
 */
export function importViolations(
  files: readonly string[],
  host?: ts.CompilerHost,
  exceptions: ReadonlyMap<string, string> = IMPORT_EXCEPTIONS,
): string[] {
  const program = ts.createProgram(
    files.map((file) => join(ROOT, file)),
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      allowImportingTsExtensions: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    },
    host,
  )
  const checker = program.getTypeChecker()
  const found: string[] = []
  for (const file of files) {
    if (isObserver(file) || exceptions.has(file)) continue
    const tree = program.getSourceFile(join(ROOT, file))
    if (tree === undefined) throw new Error(`${file} was not read`)
    for (const statement of tree.statements) {
      const bindings = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : undefined
      if (bindings === undefined || !ts.isNamedImports(bindings)) continue
      for (const element of bindings.elements) {
        const symbol = checker.getSymbolAtLocation(element.name)
        const target =
          symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
        const declaration = target?.declarations?.[0]
        if (declaration === undefined || !ts.isClassDeclaration(declaration) || declaration.name === undefined) continue
        const declaredIn = relative(ROOT, declaration.getSourceFile().fileName).split("\\").join("/")
        if (OBSERVER_CLASSES.get(declaredIn) !== declaration.name.text) continue
        const line = tree.getLineAndCharacterOfPosition(element.getStart()).line + 1
        found.push(
          `${file}:${line} imports ${declaration.name.text} (an observer's class; actors take NodeContext or NetworkContext)`,
        )
      }
    }
  }
  return found
}

/** True when `symbol` is a member of one of {@link GUARDED_CLASSES}. */
function isGuarded(symbol: ts.Symbol | undefined): boolean {
  for (const declaration of symbol?.declarations ?? []) {
    const owner = declaration.parent
    if (!ts.isClassDeclaration(owner) || owner.name === undefined) continue
    const file = relative(ROOT, declaration.getSourceFile().fileName).split("\\").join("/")
    if (GUARDED_CLASSES.get(file) === owner.name.text) return true
  }
  return false
}

/** A compiler host that reads `fixtures` (repository-relative paths) from memory and the rest from disk. */
function hostWith(fixtures: Readonly<Record<string, string>>): ts.CompilerHost {
  const host = ts.createCompilerHost({})
  const read = host.getSourceFile.bind(host)
  host.getSourceFile = (fileName, language) => {
    const text = fixtures[relative(ROOT, fileName).split("\\").join("/")]
    return text === undefined ? read(fileName, language) : ts.createSourceFile(fileName, text, language, true)
  }
  const exists = host.fileExists.bind(host)
  host.fileExists = (fileName) =>
    fixtures[relative(ROOT, fileName).split("\\").join("/")] !== undefined || exists(fileName)
  return host
}

describe("model boundary (on fixtures)", () => {
  const imports = [
    'import type { Network } from "../../net/network.ts"',
    'import type { Process } from "../../kernel/process.ts"',
    "declare const network: Network",
    "declare const worker: Process<void>",
    "declare const consumer: { pause(partitions: number[]): void; isPaused: boolean }",
  ]

  it("flags a control call and an observer read in an actor, with their lines, and ignores comments, strings and a model's own pause()", () => {
    const source = [
      ...imports,
      "// network.node('b').crash() in a comment",
      'export const s = "peer.isPaused"',
      'if (network.node("b").isPaused) network.node("b").crash()',
      "worker.kill()",
      "if (!consumer.isPaused) consumer.pause([0])",
    ].join("\n")

    expect(boundaryViolations(["src/models/x/x-server.ts"], hostWith({ "src/models/x/x-server.ts": source }))).toEqual([
      "src/models/x/x-server.ts:8 reads isPaused (the observer's view)",
      "src/models/x/x-server.ts:8 calls crash() (a fault-injection control)",
      "src/models/x/x-server.ts:9 calls kill() (a fault-injection control)",
    ])
  })

  it("flags an actor that imports Node or Network (also through the net index), not one that imports NodeContext, nor a scenario", () => {
    const actor = [
      'import type { Node, NodeContext } from "../../net/index.ts"',
      'import { Network } from "../../net/network.ts"',
      "export type X = [Node, NodeContext, Network]",
    ].join("\n")
    const fixtures = { "src/models/x/x-server.ts": actor, "src/models/x/x-scenario.ts": actor }

    expect(importViolations(["src/models/x/x-server.ts", "src/models/x/x-scenario.ts"], hostWith(fixtures))).toEqual([
      "src/models/x/x-server.ts:1 imports Node (an observer's class; actors take NodeContext or NetworkContext)",
      "src/models/x/x-server.ts:2 imports Network (an observer's class; actors take NodeContext or NetworkContext)",
    ])
  })

  it("lets a scenario read the observer's view but not call a control", () => {
    const source = [
      ...imports,
      'if (network.node("a").isUp && network.isCut("a", "b")) network.node("a").pause(10)',
    ].join("\n")

    expect(
      boundaryViolations(["src/models/x/x-scenario.ts"], hostWith({ "src/models/x/x-scenario.ts": source })),
    ).toEqual(["src/models/x/x-scenario.ts:6 calls pause() (a fault-injection control)"])
  })
})

describe("model boundary: src/models", () => {
  const files = readdirSync(join(ROOT, "src/models"), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split("\\").join("/"))

  it("never injects faults, and only observers read the observer's view", () => {
    const violations = boundaryViolations(files)

    expect(violations).toEqual([])
  })

  it("resolves the real files' types: the failure-detector scenario's reads of isUp, were it an actor, are flagged", () => {
    // The scenario is an observer, so its reads are allowed; moved to an actor's path, the same code
    // (with its real imports resolved from its real folder) is flagged line by line.
    const source = readFileSync(join(ROOT, "src/models/failure-detector/failure-detector-scenario.ts"), "utf8")
    const actor = "src/models/failure-detector/moved-actor.ts"
    const violations = boundaryViolations([actor], hostWith({ [actor]: source }), new Map())

    expect(violations.length).toBeGreaterThanOrEqual(2)
    for (const violation of violations)
      expect(violation).toMatch(
        /^src\/models\/failure-detector\/moved-actor\.ts:\d+ reads (isUp|isPaused|lastResumedAt|isCut) \(the observer's view\)$/,
      )
  })

  it("gives actors only NodeContext and NetworkContext: no actor imports the Node or Network class", () => {
    expect(importViolations(files)).toEqual([])
  })

  it("lists no import exception that is no longer needed", () => {
    const needed = [...IMPORT_EXCEPTIONS.keys()].filter(
      (file) => importViolations([file], undefined, new Map()).length > 0,
    )

    expect(needed).toEqual([...IMPORT_EXCEPTIONS.keys()])
  })

  it("lists no exception that is no longer needed", () => {
    const used = [...EXCEPTIONS.keys()].filter((key) => {
      const [file, name] = key.split(" ") as [string, string]
      return new RegExp(`\\.${name}\\b`).test(readFileSync(join(ROOT, file), "utf8"))
    })

    expect(used).toEqual([...EXCEPTIONS.keys()])
  })
})
