/**
 * A real etcd for differential tests: one member started on free loopback ports with a temporary
 * data directory, spoken to through its JSON gateway (`/v3/kv/*`, `/v3/lease/*`; keys and values
 * base64, 64-bit numbers as strings).
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { binaryOnPath, freePort } from "../../real-tools.ts"

/** The etcd binary on PATH, or undefined when it is not installed. */
export function etcdBinary(): string | undefined {
  return binaryOnPath("etcd")
}

/** Base64 of a UTF-8 string, as the gateway wants keys and values. */
export function b64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64")
}

/** A running etcd member. */
export class RealEtcd {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dataDir: string,
    private readonly url: string,
  ) {}

  /** Starts etcd and waits until it answers (at most 10 s). */
  static async start(binary: string): Promise<RealEtcd> {
    const [client, peer] = [await freePort(), await freePort()]
    const dataDir = mkdtempSync(join(tmpdir(), "etcd-differential-"))
    const peerUrl = `http://127.0.0.1:${peer}`
    const url = `http://127.0.0.1:${client}`
    const child = spawn(
      binary,
      [
        ...["--name", "default", "--data-dir", join(dataDir, "data")],
        ...["--listen-client-urls", url, "--advertise-client-urls", url],
        ...["--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl],
        ...["--initial-cluster", `default=${peerUrl}`],
      ],
      { stdio: "ignore" },
    )
    const etcd = new RealEtcd(child, dataDir, url)
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        await etcd.call("/v3/kv/range", { key: b64("ping") })
        return etcd
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    etcd.stop()
    throw new Error(`etcd did not answer on ${url} within 10 s`)
  }

  /** Posts `body` to the gateway path and returns the parsed answer. */
  async call(path: string, body: unknown): Promise<any> {
    const response = await fetch(`${this.url}${path}`, { method: "POST", body: JSON.stringify(body) })
    if (!response.ok) throw new Error(`etcd ${path}: HTTP ${response.status} ${await response.text()}`)
    return response.json()
  }

  /** Stops the member and removes its data. */
  stop(): void {
    this.child.kill("SIGKILL")
    rmSync(this.dataDir, { recursive: true, force: true })
  }
}
