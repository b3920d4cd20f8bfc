/**
 * A snapshot of resources and processes, as the deadlock lessons read it: vectors of counts (one
 * per resource type A, B, C, ...) and matrices of them (one row per process P0, P1, ...).
 *
 * The text formats are the ones a learner types: a vector is counts separated by `,` (`3,3,2`), a
 * matrix is rows separated by `:` (`7,5,3:3,2,2:9,0,2`), and a list of requests is
 * `P1=1,0,2;P4=3,3,0` (or `none`). Every reader returns a {@link Parsed} value, never throws, and
 * names what is wrong: a count that is not a whole number, a negative count, rows of different
 * lengths, an unknown process name.
 *
 * Invariant kept by the readers: every count is an integer from 0 to {@link MAX_COUNT}; every row
 * of a matrix has the same length.
 */

/** Counts of each resource type, in resource order (A, B, C, ...). */
export type Vector = readonly number[]

/** One {@link Vector} per process, in process order (P0, P1, ...). */
export type Matrix = readonly Vector[]

/** The result of reading an input: the value, or one sentence that explains the problem. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string }

/** One request of a process: `P1=1,0,2`. */
export interface ProcessRequest {
  /** The process's index (1 for P1). */
  readonly process: number
  /** The instances of each resource type it asks for. */
  readonly request: Vector
}

/** The largest count accepted for one resource in one cell. */
export const MAX_COUNT = 1_000_000
/** The most processes a snapshot may have (the safe-sequence count visits every subset of them). */
export const MAX_PROCESSES = 16
/** The most resource types a snapshot may have. */
export const MAX_RESOURCES = 10

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value })
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error })

/** The name of process `index`: `P0`, `P1`, ... */
export function processName(index: number): string {
  return `P${index}`
}

/** The name of resource type `index`: `A`, `B`, ..., `J`. */
export function resourceName(index: number): string {
  return String.fromCharCode(65 + index)
}

/** A vector as the textbook prints it: `(3,3,2)`. */
export function formatVector(vector: Vector): string {
  return `(${vector.join(",")})`
}

/** A vector as the command line takes it: `3,3,2`. */
export function vectorText(vector: Vector): string {
  return vector.join(",")
}

/** A matrix as the command line takes it: `7,5,3:3,2,2`. */
export function matrixText(matrix: Matrix): string {
  return matrix.map(vectorText).join(":")
}

/** Requests as the command line takes them: `P1=1,0,2;P4=3,3,0`, or `none`. */
export function requestsText(requests: readonly ProcessRequest[]): string {
  return requests.length === 0
    ? "none"
    : requests.map((r) => `${processName(r.process)}=${vectorText(r.request)}`).join(";")
}

/** True when `a[j] <= b[j]` for every resource j. */
export function fitsWithin(a: Vector, b: Vector): boolean {
  return a.every((count, j) => count <= b[j]!)
}

/** `a + b`, resource by resource. */
export function addVectors(a: Vector, b: Vector): number[] {
  return a.map((count, j) => count + b[j]!)
}

/** `a − b`, resource by resource. */
export function subtractVectors(a: Vector, b: Vector): number[] {
  return a.map((count, j) => count - b[j]!)
}

/** The column sums of `matrix` (a vector of `width` zeros for no rows). */
export function sumRows(matrix: Matrix, width: number): number[] {
  return matrix.reduce<number[]>((sum, row) => addVectors(sum, row), new Array<number>(width).fill(0))
}

/** The sum of a vector's counts. */
export function vectorTotal(vector: Vector): number {
  return vector.reduce((sum, count) => sum + count, 0)
}

/** The first resource where `a` exceeds `b`, as `C: 3 > 2`, or undefined. */
export function firstExcess(a: Vector, b: Vector): string | undefined {
  const j = a.findIndex((count, k) => count > b[k]!)
  return j < 0 ? undefined : `${resourceName(j)}: ${a[j]} > ${b[j]}`
}

/** Reads `3,3,2`; `what` names the vector in the error (`--available`, `row P2`). */
export function parseVector(text: string, what: string): Parsed<number[]> {
  const cells = text.split(",").map((cell) => cell.trim())
  if (cells.length > MAX_RESOURCES)
    return fail(`${what} has ${cells.length} counts: at most ${MAX_RESOURCES} resource types`)
  const counts: number[] = []
  for (const cell of cells) {
    if (/^-\s*\d+$/.test(cell)) return fail(`${what}: counts must not be negative, got ${cell}`)
    if (!/^\d+$/.test(cell) || Number(cell) > MAX_COUNT)
      return fail(`${what}: "${cell}" is not a count (a whole number from 0 to ${MAX_COUNT})`)
    counts.push(Number(cell))
  }
  return ok(counts)
}

/** Reads `7,5,3:3,2,2`: one row per process, every row as long as the first. */
export function parseMatrix(text: string, what: string): Parsed<number[][]> {
  const parts = text.split(":")
  if (parts.length > MAX_PROCESSES) return fail(`${what} has ${parts.length} rows: at most ${MAX_PROCESSES} processes`)
  const rows: number[][] = []
  for (const [i, part] of parts.entries()) {
    const row = parseVector(part, `${what} row ${processName(i)}`)
    if (!row.ok) return row
    if (i > 0 && row.value.length !== rows[0]!.length)
      return fail(
        `${what}: rows of different lengths: row ${processName(i)} has ${row.value.length} counts, row P0 has ${rows[0]!.length} (one count per resource type in every row)`,
      )
    rows.push(row.value)
  }
  return ok(rows)
}

/** Reads `P1=1,0,2;P4=3,3,0` (or `none`); process names are checked against the snapshot later. */
export function parseRequests(text: string): Parsed<ProcessRequest[]> {
  if (text.trim() === "none") return ok([])
  const requests: ProcessRequest[] = []
  for (const part of text.split(";")) {
    const match = /^\s*(P\d+)\s*=(.*)$/.exec(part)
    if (match === null)
      return fail(`"${part.trim()}" is not a request (write P<number>=counts, e.g. P1=1,0,2; requests separated by ;)`)
    const request = parseVector(match[2]!, `request of ${match[1]}`)
    if (!request.ok) return request
    requests.push({ process: Number(match[1]!.slice(1)), request: request.value })
  }
  return ok(requests)
}

/**
 * What is wrong with a matrix's shape against the snapshot: a row count other than `processes`, or
 * rows of another length than `resources`; undefined when it fits.
 */
export function shapeProblem(matrix: Matrix, what: string, processes: number, resources: number): string | undefined {
  if (matrix.length !== processes)
    return `${what} has ${matrix.length} rows, --allocation has ${processes}: one row per process in each`
  const row = matrix.findIndex((counts) => counts.length !== resources)
  return row < 0
    ? undefined
    : `rows of different lengths: row ${processName(row)} of ${what} has ${matrix[row]!.length} counts, --available has ${resources} (one count per resource type)`
}

/** What is wrong with the requests against a snapshot of `processes` × `resources`; undefined when nothing. */
export function requestsProblem(
  requests: readonly ProcessRequest[],
  processes: number,
  resources: number,
  what: string,
): string | undefined {
  for (const { process, request } of requests) {
    if (process >= processes)
      return `unknown process ${processName(process)} in ${what} (the snapshot has P0 to ${processName(processes - 1)})`
    if (request.length !== resources)
      return `the request of ${processName(process)} in ${what} has ${request.length} counts, --available has ${resources}`
  }
  return undefined
}
