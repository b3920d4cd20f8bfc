/**
 * Address spaces and physical memory drawn as bars of characters, for the text reports: each
 * column stands for an equal slice of the range, and shows the glyph of the last region that
 * touches that slice (so a mapping of one byte still shows), else the background. A row of marks
 * under a bar puts each translated address in its column: `v` valid, `x` a fault, `*` both.
 */

/** A half-open range [start, end) drawn with `glyph`. */
export interface MapRegion {
  readonly start: number
  readonly end: number
  readonly glyph: string
}

/** The columns a bar of a range of `size` bytes takes: `maxColumns`, or fewer for a small range. */
export function columnsFor(size: number, maxColumns: number): number {
  return Math.max(1, Math.min(maxColumns, size))
}

/** The bar of `columns` characters for [0, size) with the regions drawn over `background`. */
export function renderBar(size: number, columns: number, regions: readonly MapRegion[], background = "."): string {
  const cells = Array.from({ length: columns }, () => background)
  for (const region of regions) {
    if (region.end <= region.start) continue
    const first = Math.floor((region.start * columns) / size)
    const last = Math.min(columns - 1, Math.ceil((region.end * columns) / size) - 1)
    for (let c = Math.max(0, first); c <= last; c++) cells[c] = region.glyph
  }
  return cells.join("")
}

/** The row of marks for addresses in [0, size): `v` valid, `x` fault, `*` both in one column. */
export function renderMarks(
  size: number,
  columns: number,
  marks: readonly { readonly address: number; readonly valid: boolean }[],
): string {
  const cells = Array.from({ length: columns }, () => " ")
  for (const { address, valid } of marks) {
    const c = Math.min(columns - 1, Math.floor((address * columns) / size))
    const glyph = valid ? "v" : "x"
    cells[c] = cells[c] === " " || cells[c] === glyph ? glyph : "*"
  }
  return cells.join("").trimEnd()
}
