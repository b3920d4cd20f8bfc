/**
 * Where a long message diagram opens: on the span of its first {@link FIRST_VIEW_MESSAGES}
 * messages, where arrows are far enough apart to read; the slider shows the rest. Shared by the
 * page (which says so under the chart) and its client script (which zooms), so the note is true.
 */
import { FIRST_VIEW_MESSAGES, type MessageDiagram } from "./run-view.ts"

/** `[0, end]` to open on, or undefined to open on the whole run. */
export function firstView(diagram: MessageDiagram): readonly [number, number] | undefined {
  if (diagram.messages.length <= FIRST_VIEW_MESSAGES) return undefined
  const first = diagram.messages.slice(0, FIRST_VIEW_MESSAGES)
  const end = Math.max(...first.map((m) => m.endAt ?? m.sentAt))
  return end > 0 && end < diagram.endAt ? [0, end] : undefined
}
