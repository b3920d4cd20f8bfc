/**
 * Every reference in the code resolves inside the repository: a comment that cites `docs/x.md`
 * names a file that exists, and nothing cites the notes kept outside the repository (the reference
 * semantics, the design and style notes, the benchmark contract), which a reader of a clone cannot
 * open. Each rule is first shown to fail on a fixture.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { describe, expect, it } from "vitest"

const ROOT = join(import.meta.dirname, "..")
const SCANNED_DIRS = ["src", "sims", "test", "bench", "docs"]
const SCANNED_EXTENSIONS = /\.(ts|py|md)$/
/** Files outside the repository that code once cited. */
const OUTSIDE =
  /\b(semantics\.md|DESIGN\.md|STYLE\.md|bench-contract\.md|ostep-compat\.md|ostep-vm-compat\.md|effect4\.md)\b|\.\.\/shared\//

/** A reference that does not resolve: where, and what it names. */
interface DanglingReference {
  readonly file: string
  readonly line: number
  readonly reference: string
}

/** The dangling references in one file's text. */
function findDanglingReferences(file: string, text: string, exists: (path: string) => boolean): DanglingReference[] {
  const found: DanglingReference[] = []
  text.split("\n").forEach((lineText, index) => {
    const outside = OUTSIDE.exec(lineText)
    if (outside) found.push({ file, line: index + 1, reference: outside[0] })
    for (const match of lineText.matchAll(/\bdocs\/([\w.-]+\.md)\b/g)) {
      if (!exists(join("docs", match[1]!))) found.push({ file, line: index + 1, reference: match[0] })
    }
  })
  return found
}

function listFiles(dir: string): string[] {
  const absolute = join(ROOT, dir)
  if (!existsSync(absolute)) return []
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && SCANNED_EXTENSIONS.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .filter((file) => !file.includes("golden") && file !== relative(ROOT, import.meta.filename))
}

describe("docs references (on fixtures)", () => {
  const exists = (path: string) => path === "docs/checks.md"

  it("flags a citation of a note kept outside the repository, with its line", () => {
    const text = "/**\n * Defaults from semantics.md 1.2.\n * See ../shared/x for more.\n */"

    expect(findDanglingReferences("src/x.ts", text, exists)).toEqual([
      { file: "src/x.ts", line: 2, reference: "semantics.md" },
      { file: "src/x.ts", line: 3, reference: "../shared/" },
    ])
  })

  it("flags a docs/ file that does not exist and accepts one that does", () => {
    const text = "// see docs/checks.md and docs/missing.md"

    expect(findDanglingReferences("src/x.ts", text, exists)).toEqual([
      { file: "src/x.ts", line: 1, reference: "docs/missing.md" },
    ])
  })
})

describe("docs references: the repository", () => {
  const files = [...SCANNED_DIRS.flatMap(listFiles), "README.md"]

  it("scans the code, the tests, the benchmarks and the docs", () => {
    expect(files).toContain("src/models/kafka/partitioner.ts")
    expect(files).toContain("docs/kafka-replication.md")
  })

  it("cites only files inside the repository", () => {
    const dangling = files.flatMap((file) =>
      findDanglingReferences(file, readFileSync(join(ROOT, file), "utf8"), (path) => existsSync(join(ROOT, path))),
    )

    expect(dangling).toEqual([])
  })
})
