/**
 * Fixed-width tables for text reports.
 *
 * Each column is as wide as its widest cell (header included); columns are separated by two
 * spaces; a dashed rule sits under the header. Numbers should be right-aligned and formatted with
 * one precision per column (see `format-number.ts`), so their points line up. Widths count
 * terminal columns (see `textWidth`): `λ` and `·` count one, a combining hat none; avoid wide (CJK,
 * emoji) characters in cells.
 *
 * A table wider than `maxWidth` (default: the report's `--width` less the two-space indent of a
 * section while a sim runs, see {@link withTableWidth}; else {@link TABLE_MAX_WIDTH}) narrows its widest columns, and their cells wrap at word boundaries
 * onto continuation lines of the same row; numbers are short and never need it. A column never
 * narrows below its longest word (or 12 columns) unless nothing else fits. A table that does not
 * fit even then (six columns at `--width 40`) is printed as a list instead: each cell as
 * `header: cell`, a row's first at the margin and its others indented under it, wrapped, since
 * a table cut into columns of a letter or two would be unreadable and still overflow.
 *
 * With `ascii` (default: the report's `--ascii` while a sim runs, see {@link withTableStyle}) the
 * cells and headers are spelled in ASCII (see `ascii-text.ts`) before the columns are measured, so
 * a widened `λ` → `lambda` widens its column instead of pushing the next ones out of line.
 */
import { asciiLine } from "./ascii-text.ts"
import { textWidth, wrapWords } from "./wrap-text.ts"

/** The widest table by default, in columns: a 100-column report less the two-space indent of a section. */
export const TABLE_MAX_WIDTH = 98

/** The defaults of every table rendered during a run (see {@link withTableStyle}). */
export interface TableStyle {
  /** The widest line, in columns. */
  readonly maxWidth: number
  /** Spell cells in ASCII (`--ascii`). */
  readonly ascii: boolean
}

let defaultStyle: TableStyle = { maxWidth: TABLE_MAX_WIDTH, ascii: false }

/**
 * Runs `body` with `style` as the defaults of every table it renders, then restores the previous
 * defaults: the runner wraps a sim's (synchronous) run in it, so the tables a sim lays out follow
 * `--width` and `--ascii` without each sim passing them along.
 */
export function withTableStyle<T>(style: TableStyle, body: () => T): T {
  const previous = defaultStyle
  defaultStyle = style
  try {
    return body()
  } finally {
    defaultStyle = previous
  }
}

/** {@link withTableStyle} with `maxWidth` and the current `ascii`. */
export function withTableWidth<T>(maxWidth: number, body: () => T): T {
  return withTableStyle({ ...defaultStyle, maxWidth }, body)
}

/** One column of a {@link renderTable} table. */
export interface TableColumn {
  /** The header text. */
  readonly header: string
  /** Alignment of the cells (and the header). Default `"left"`. */
  readonly align?: "left" | "right"
}

/** Options of {@link renderTable}. */
export interface TableOptions {
  /** The widest line, in columns. Default: see {@link withTableStyle} ({@link TABLE_MAX_WIDTH} outside a run). */
  readonly maxWidth?: number
  /** Print the header and its rule. Default true. */
  readonly header?: boolean
  /**
   * Spell headers and cells in ASCII before measuring them.
   * Default: see {@link withTableStyle} (false outside a run).
   */
  readonly ascii?: boolean
}

const GAP = 2
const NARROWEST = 12

function pad(text: string, size: number, align: "left" | "right"): string {
  const fill = " ".repeat(Math.max(0, size - textWidth(text)))
  return align === "right" ? fill + text : text + fill
}

function longestWord(text: string): number {
  return text.split(/\s+/).reduce((longest, word) => Math.max(longest, textWidth(word)), 0)
}

/** Narrows the widest columns, one column at a time, down to each column's floor, until `total` fits. */
function narrow(sizes: number[], floors: readonly number[], maxWidth: number): void {
  let total = sizes.reduce((sum, size) => sum + size, 0) + GAP * (sizes.length - 1)
  while (total > maxWidth) {
    let widest = -1
    sizes.forEach((size, i) => {
      if (size > floors[i]! && (widest < 0 || size > sizes[widest]!)) widest = i
    })
    if (widest < 0) return
    sizes[widest]!--
    total--
  }
}

/** Column sizes that fit `maxWidth` when possible (see the file header). */
function columnSizes(cells: readonly (readonly string[])[], columnCount: number, maxWidth: number): number[] {
  const natural = Array.from({ length: columnCount }, (_, i) =>
    cells.reduce((widest, row) => Math.max(widest, textWidth(row[i] ?? "")), 0),
  )
  const sizes = [...natural]
  const wordFloors = natural.map((size, i) =>
    Math.min(
      size,
      Math.max(
        NARROWEST,
        cells.reduce((longest, row) => Math.max(longest, longestWord(row[i] ?? "")), 0),
      ),
    ),
  )
  narrow(sizes, wordFloors, maxWidth)
  narrow(
    sizes,
    natural.map((size) => Math.min(size, NARROWEST)),
    maxWidth,
  )
  return sizes
}

/**
 * The table as lines: the header, a rule of dashes, then one line per row (more when a cell
 * wraps, see the file header). Trailing spaces are trimmed. A row with fewer cells than columns is
 * padded with empty cells.
 *
 * @throws Error when a row has more cells than there are columns.
 */
export function renderTable(
  columns: readonly TableColumn[],
  givenRows: readonly (readonly string[])[],
  options: TableOptions = {},
): string[] {
  for (const row of givenRows) {
    if (row.length > columns.length)
      throw new Error(`a table row has ${row.length} cells but there are ${columns.length} columns`)
  }
  const ascii = options.ascii ?? defaultStyle.ascii
  const spelled = (cell: string): string => (ascii ? asciiLine(cell) : cell)
  const rows = ascii ? givenRows.map((row) => row.map(spelled)) : givenRows
  const withHeader = options.header ?? true
  const headers = columns.map((column) => spelled(column.header))
  const maxWidth = options.maxWidth ?? defaultStyle.maxWidth
  const sizes = columnSizes(withHeader ? [headers, ...rows] : rows, columns.length, maxWidth)
  if (sizes.reduce((sum, size) => sum + size, 0) + GAP * (sizes.length - 1) > maxWidth)
    return stackedRows(withHeader ? headers : [], rows, maxWidth)
  const lines: string[] = []
  const addRow = (cells: readonly string[]): void => {
    const wrapped = columns.map((_, i) => {
      const cell = cells[i] ?? ""
      return textWidth(cell) <= sizes[i]! ? [cell] : wrapWords(cell, sizes[i]!)
    })
    const height = wrapped.reduce((most, parts) => Math.max(most, parts.length), 1)
    for (let k = 0; k < height; k++) {
      lines.push(
        columns
          .map((column, i) => pad(wrapped[i]![k] ?? "", sizes[i]!, column.align ?? "left"))
          .join(" ".repeat(GAP))
          .trimEnd(),
      )
    }
  }
  if (withHeader) {
    addRow(headers)
    lines.push(sizes.map((size) => "-".repeat(size)).join(" ".repeat(GAP)))
  }
  for (const row of rows) addRow(row)
  return lines
}

/**
 * The rows as a list, for a table too wide to fit `maxWidth` at any column sizes: each row's first
 * cell as `header: cell`, then its other non-empty cells the same way indented two columns (just
 * the cell where there is no header); a long line wraps at word boundaries, four columns further in.
 */
function stackedRows(headers: readonly string[], rows: readonly (readonly string[])[], maxWidth: number): string[] {
  const lines: string[] = []
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (i > 0 && cell === "") return
      const header = headers[i] ?? ""
      const indent = i === 0 ? 0 : 2
      const parts = wrapWords(header === "" ? cell : `${header}: ${cell}`, Math.max(1, maxWidth - indent - 2))
      parts.forEach((part, k) => lines.push(" ".repeat(indent + (k === 0 ? 0 : 2)) + part))
    })
  }
  return lines
}
