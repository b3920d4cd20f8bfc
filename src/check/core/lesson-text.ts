/**
 * The shapes of the text a model's lesson file (`src/models/<x>/<x>-lesson.ts`) builds for its sim:
 * a titled block of lines and a table layout. They match the runner's `TextSection` and
 * `renderTable`, which the models may not import (they sit above them), so a lesson file returns
 * plain sections and takes the runner's `renderTable` as an argument (docs/adding-a-model.md).
 */

/** A titled block of text lines (a table, a lesson), as the runner's `TextSection`. */
export interface LessonSection {
  /** The heading, e.g. `"Lesson"`. */
  readonly title: string
  /** The lines, already laid out. */
  readonly lines: readonly string[]
}

/** A column of a table, as the runner's `renderTable` takes it. */
export interface TableColumn {
  /** The header text. */
  readonly header: string
  /** Alignment of the cells; numbers go right. Default left. */
  readonly align?: "left" | "right"
}

/** Lays out a table, one string per line: the runner's `renderTable`, passed down to a lesson file. */
export type RenderTable = (columns: readonly TableColumn[], rows: readonly (readonly string[])[]) => string[]
