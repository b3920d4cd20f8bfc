/**
 * Fixed-width tables for text reports.
 *
 * Each column is as wide as its widest cell (header included); columns are separated by two
 * spaces; a dashed rule sits under the header. Numbers should be right-aligned and formatted with
 * one precision per column (see `format-number.ts`), so their points line up. Widths count code
 * points, so `λ` and `·` count as one character each; avoid wide (CJK, emoji) characters in cells.
 *
 * Left out on purpose: wrapping and truncation. A sim keeps its cells short.
 */

/** One column of a {@link renderTable} table. */
export interface TableColumn {
  /** The header text. */
  readonly header: string
  /** Alignment of the cells (and the header). Default `"left"`. */
  readonly align?: "left" | "right"
}

function width(text: string): number {
  return [...text].length
}

function pad(text: string, size: number, align: "left" | "right"): string {
  const fill = " ".repeat(Math.max(0, size - width(text)))
  return align === "right" ? fill + text : text + fill
}

/**
 * The table as lines: the header, a rule of dashes, then one line per row. Trailing spaces are
 * trimmed. A row with fewer cells than columns is padded with empty cells.
 *
 * @throws Error when a row has more cells than there are columns.
 */
export function renderTable(columns: readonly TableColumn[], rows: readonly (readonly string[])[]): string[] {
  for (const row of rows) {
    if (row.length > columns.length) throw new Error(`a table row has ${row.length} cells but there are ${columns.length} columns`)
  }
  const sizes = columns.map((column, i) => rows.reduce((widest, row) => Math.max(widest, width(row[i] ?? "")), width(column.header)))
  const line = (cells: readonly string[]): string =>
    columns.map((column, i) => pad(cells[i] ?? "", sizes[i]!, column.align ?? "left")).join("  ").trimEnd()
  return [line(columns.map((column) => column.header)), sizes.map((size) => "-".repeat(size)).join("  "), ...rows.map(line)]
}
