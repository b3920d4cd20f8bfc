/** A few helpers for building SVG in the page: elements with attributes, and text. */

const SVG_NS = "http://www.w3.org/2000/svg"

/** Attribute values: numbers are written as they are, undefined leaves the attribute out. */
export type Attributes = Readonly<Record<string, string | number | undefined>>

/** An SVG element `tag` with `attributes` and `children` appended. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Node | string)[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag)
  for (const [name, value] of Object.entries(attributes))
    if (value !== undefined) element.setAttribute(name, String(value))
  element.append(...children)
  return element
}

/** A `<text>` at (x, y) with a CSS class. */
export function text(x: number, y: number, content: string, className = "", anchor = "start"): SVGTextElement {
  return svg("text", { x, y, class: className || undefined, "text-anchor": anchor }, content)
}

/** A `<title>` (a hover tooltip) holding `content`. */
export function tooltip(content: string): SVGTitleElement {
  return svg("title", {}, content)
}
