/**
 * A real redis-server for differential tests: started on a free loopback port with no persistence,
 * spoken to in RESP2 by a minimal client that turns replies into the simulator's reply type.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { Socket } from "node:net"
import type { RedisReply } from "../../../src/models/redis/index.ts"
import { binaryOnPath, freePort } from "../../real-tools.ts"

/** The redis-server binary on PATH, or undefined when it is not installed. */
export function redisServerBinary(): string | undefined {
  return binaryOnPath("redis-server")
}

/** Parses one RESP2 reply from `buffer` at `offset`; undefined when incomplete. */
function parseReply(buffer: Buffer, offset: number): { reply: RedisReply; next: number } | undefined {
  const lineEnd = buffer.indexOf("\r\n", offset)
  if (lineEnd < 0) return undefined
  const kind = String.fromCharCode(buffer[offset]!)
  const line = buffer.toString("utf8", offset + 1, lineEnd)
  const next = lineEnd + 2
  if (kind === "+") return { reply: { status: line }, next }
  if (kind === "-") return { reply: { error: line }, next }
  if (kind === ":") {
    const big = BigInt(line)
    const safe = big <= 9007199254740991n && big >= -9007199254740991n
    return { reply: { integer: safe ? Number(big) : big }, next }
  }
  if (kind === "$") {
    const length = Number(line)
    if (length < 0) return { reply: { bulk: null }, next }
    if (buffer.length < next + length + 2) return undefined
    return { reply: { bulk: buffer.toString("utf8", next, next + length) }, next: next + length + 2 }
  }
  if (kind === "*") {
    const count = Number(line)
    const items: RedisReply[] = []
    let at = next
    for (let i = 0; i < count; i++) {
      const item = parseReply(buffer, at)
      if (item === undefined) return undefined
      items.push(item.reply)
      at = item.next
    }
    return { reply: { array: items }, next: at }
  }
  throw new Error(`unexpected RESP type ${kind}`)
}

/** A running redis-server and a connection to it. */
export class RealRedis {
  private buffer = Buffer.alloc(0)
  private waiting: ((reply: RedisReply) => void)[] = []

  private constructor(
    private readonly child: ChildProcess,
    private readonly socket: Socket,
  ) {
    socket.on("data", (data) => {
      this.buffer = Buffer.concat([this.buffer, data])
      for (;;) {
        const parsed = parseReply(this.buffer, 0)
        if (parsed === undefined) return
        this.buffer = this.buffer.subarray(parsed.next)
        this.waiting.shift()!(parsed.reply)
      }
    })
  }

  /** Starts `binary` on a free port (`--save '' --appendonly no`, loopback only) and connects. */
  static async start(binary: string): Promise<RealRedis> {
    const port = await freePort()
    const child = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    })
    for (let attempt = 0; attempt < 100; attempt++) {
      const socket = await new Promise<Socket | undefined>((resolve) => {
        const s = new Socket()
        s.once("error", () => resolve(undefined))
        s.connect(port, "127.0.0.1", () => resolve(s))
      })
      if (socket !== undefined) return new RealRedis(child, socket)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    child.kill()
    throw new Error(`redis-server did not accept connections on port ${port}`)
  }

  /** Sends one command and waits for its reply. */
  async call(argv: readonly string[]): Promise<RedisReply> {
    let frame = `*${argv.length}\r\n`
    for (const word of argv) frame += `$${Buffer.byteLength(word)}\r\n${word}\r\n`
    const reply = new Promise<RedisReply>((resolve) => this.waiting.push(resolve))
    this.socket.write(frame)
    return reply
  }

  /** Closes the connection and stops the server. */
  async stop(): Promise<void> {
    this.socket.destroy()
    const exited = new Promise((resolve) => this.child.once("exit", resolve))
    this.child.kill("SIGTERM")
    await exited
  }
}
