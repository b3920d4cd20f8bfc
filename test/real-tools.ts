/**
 * What the differential tests against real tools (redis-server, etcd, promtool) share: finding a
 * binary on PATH (a test is skipped, saying so, only when it is missing) and a free loopback port
 * to start a server on.
 */
import { spawnSync } from "node:child_process"
import { createServer } from "node:net"

/** The path of the binary `name` on PATH, or undefined when it is not installed. */
export function binaryOnPath(name: string): string | undefined {
  const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" })
  const path = found.stdout.trim()
  return found.status === 0 && path !== "" ? path : undefined
}

/** A loopback TCP port free right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0))
    })
  })
}
