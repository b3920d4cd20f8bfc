/**
 * A web page for the HTTP/1.1-vs-HTTP/2 comparison (docs/http2.md, "A page over HTTP/1.1 and
 * HTTP/2"): one HTML document, then `count - 1` subresources. Body sizes are log-normal with a
 * median of `medianBytes` (default 8,000: mu = ln 8000, sigma 1), clamped to [200, 400,000] and rounded, drawn from
 * the stream `page/sizes`; the HTML's own size is drawn the same way. Paths are distinct: a path
 * drawn again gets the resource's index before its extension (`/style-3.css`). Request header lists are
 * browser-like ({@link browserRequests}, stream `page/headers`); responses carry a status, a content
 * type, the content length, a cache policy, a date and a server name.
 */
import type { RandomStream } from "../../kernel/index.ts"
import { browserRequests } from "./browser-requests.ts"
import { HpackEncoder } from "./hpack.ts"
import { type HeaderField, octets } from "./hpack-table.ts"

/** One resource of the page. */
export interface PageResource {
  readonly index: number
  readonly path: string
  readonly bodyBytes: number
  readonly request: readonly HeaderField[]
  readonly response: readonly HeaderField[]
}

const MEDIAN_BYTES = 8000
const MIN_BYTES = 200
const MAX_BYTES = 400_000

function contentType(path: string): string {
  if (path === "/") return "text/html; charset=utf-8"
  if (path.endsWith(".js")) return "text/javascript"
  if (path.endsWith(".css")) return "text/css"
  if (path.endsWith(".png")) return "image/png"
  return "application/json"
}

/** The page's `count` resources, body sizes log-normal around `medianBytes` (the HTML first), drawn from `sizes` and `headers`. */
export function pageResources(
  sizes: RandomStream,
  headers: RandomStream,
  count: number,
  medianBytes = MEDIAN_BYTES,
): PageResource[] {
  const requests = browserRequests(headers, count)
  const used = new Set<string>()
  return requests.map((fields, index) => {
    const bodyBytes = Math.round(Math.min(MAX_BYTES, Math.max(MIN_BYTES, sizes.logNormal(Math.log(medianBytes), 1))))
    const drawn = fields.find((f) => f.name === ":path")!.value
    const path = index === 0 ? "/" : distinctPath(drawn === "/" ? `/page-${index}.html` : drawn, index, used)
    used.add(path)
    const request = fields.map((f) =>
      f.name === ":path" ? { name: f.name, value: path } : f.name === ":method" ? { name: f.name, value: "GET" } : f,
    )
    const response: HeaderField[] = [
      { name: ":status", value: "200" },
      { name: "content-type", value: contentType(path) },
      { name: "content-length", value: String(bodyBytes) },
      { name: "cache-control", value: "max-age=3600" },
      { name: "date", value: "Mon, 07 Dec 2026 18:00:00 GMT" },
      { name: "server", value: "simsys" },
    ]
    return { index, path, bodyBytes, request, response }
  })
}

/**
 * `path`, or when the page already has it, the same name with `-index` before its extension
 * (`/style.css` → `/style-3.css`, `/api/items/7` → `/api/items/7-12`): a browser fetches a URL once.
 */
function distinctPath(path: string, index: number, used: ReadonlySet<string>): string {
  if (!used.has(path)) return path
  const dot = path.lastIndexOf(".")
  return dot > path.lastIndexOf("/") ? `${path.slice(0, dot)}-${index}${path.slice(dot)}` : `${path}-${index}`
}

/** HTTP/1.1's text form of a header list: the request or status line, `name: value` lines, a blank line. */
export function http1HeaderBytes(fields: readonly HeaderField[]): number {
  const value = (name: string): string => fields.find((f) => f.name === name)?.value ?? ""
  const status = value(":status")
  const start = status === "" ? `${value(":method")} ${value(":path")} HTTP/1.1` : `HTTP/1.1 ${status} OK`
  let text = `${start}\r\n`
  if (status === "") text += `host: ${value(":authority")}\r\n`
  for (const field of fields) if (!field.name.startsWith(":")) text += `${field.name}: ${field.value}\r\n`
  return octets(`${text}\r\n`).length
}

/** Header bytes of the whole page both ways: HPACK on one connection (one encoder per direction) and HTTP/1.1 text. */
export function pageHeaderBytes(resources: readonly PageResource[]): { hpack: number; text: number } {
  const requests = new HpackEncoder()
  const responses = new HpackEncoder()
  let hpack = 0
  let text = 0
  for (const resource of resources) {
    hpack += requests.encode(resource.request).bytes.length + responses.encode(resource.response).bytes.length
    text += http1HeaderBytes(resource.request) + http1HeaderBytes(resource.response)
  }
  return { hpack, text }
}
