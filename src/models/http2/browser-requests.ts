/**
 * A browser-like sequence of requests on one connection, drawn from a random stream: the same
 * authority, user agent and session cookie on every request, a path among a page's usual
 * resources (some with an id), an `accept` that fits the path, and a fresh `x-request-id` on each
 * request — a value that never repeats, so indexing it only pushes useful entries out of the table.
 */
import type { RandomStream } from "../../kernel/index.ts"
import type { HeaderField } from "./hpack-table.ts"

const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

function hex(random: RandomStream, digits: number): string {
  let out = ""
  for (let i = 0; i < digits; i++) out += random.integer(0, 15).toString(16)
  return out
}

/** `[path, accept]` of one resource of the page. */
function resource(random: RandomStream): [string, string] {
  switch (random.integer(0, 5)) {
    case 0:
      return ["/", "text/html,application/xhtml+xml"]
    case 1:
      return ["/app.js", "*/*"]
    case 2:
      return ["/style.css", "text/css,*/*;q=0.1"]
    case 3:
      return [`/img/${random.integer(1, 50)}.png`, "image/avif,image/webp,*/*"]
    default:
      return [`/api/items/${random.integer(1, 999)}`, "application/json"]
  }
}

/** `count` requests' header lists, drawn from `random`. */
export function browserRequests(random: RandomStream, count: number): HeaderField[][] {
  const cookie = `session=${hex(random, 16)}`
  const requests: HeaderField[][] = []
  for (let i = 0; i < count; i++) {
    const [path, accept] = resource(random)
    const method = path.startsWith("/api/") && random.bernoulli(0.25) ? "POST" : "GET"
    requests.push([
      { name: ":method", value: method },
      { name: ":scheme", value: "https" },
      { name: ":path", value: path },
      { name: ":authority", value: "shop.example.com" },
      { name: "user-agent", value: USER_AGENT },
      { name: "accept", value: accept },
      { name: "cookie", value: cookie },
      { name: "x-request-id", value: hex(random, 8) },
    ])
  }
  return requests
}
