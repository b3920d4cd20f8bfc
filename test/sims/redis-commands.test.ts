import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import redisCommands from "../../sims/redis-commands.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("redis-commands", {
  jsonArgs: ["--latency-ms", "5"],
  badInputs: [
    { args: ["--commands", 'SET k "v'], stderr: "bad value for --commands" },
    { args: ["--commands", 'SET k "v'], stderr: "unbalanced double quotes" },
    { args: ["--commands", "GET k; sleep soon"], stderr: "command 2 (sleep soon): sleep takes one number of ms" },
    { args: ["--commands", " ; "], stderr: "no command to run" },
    { args: ["--script", "/nonexistent/redis-script.txt"], stderr: "bad value for --script" },
    { args: ["--latency-ms", "-1"], stderr: "bad value for --latency-ms: -1" },
  ],
})

interface Report {
  metrics: { replies: { t: number; argv: string[]; reply: unknown }[] }
  checks: { name: string; held: boolean; detail: string }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(redisCommands, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim redis-commands", () => {
  it("lets a PX 500 lock answer at t=500 and vanish at t=501, then refuses the late release", async () => {
    const result = await report([])

    const replies = result.metrics.replies.map(({ t, reply }) => ({ t, reply }))
    expect(replies.slice(0, 7)).toEqual([
      { t: 0, reply: { status: "OK" } },
      { t: 0, reply: { bulk: null } },
      { t: 500, reply: { integer: 0 } },
      { t: 501, reply: { status: "OK" } },
      { t: 501, reply: { integer: 0 } },
      { t: 501, reply: { bulk: "client-2" } },
      { t: 501, reply: { integer: 1 } },
    ])
    expect(result.metrics.replies.at(-2)!.reply).toEqual({
      array: [
        { bulk: "post:9" },
        { bulk: "40" },
        { bulk: "post:7" },
        { bulk: "40" },
        { bulk: "post:3" },
        { bulk: "14.5" },
      ],
    })
    expect(result.metrics.replies.at(-1)!.reply).toEqual({ error: "ERR value is not an integer or out of range" })
    expect(result.checks).toEqual([
      { name: "every-command-answered", held: true, detail: "every command got its reply" },
    ])
  })

  it("types every kind of reply in JSON, and prints them as redis-cli does", async () => {
    const commands = "SET k v; GET nope; INCR n; HGETALL nope; FOO bar; ZADD z 1 a; ZREVRANGE z 0 -1 WITHSCORES"
    const json = await report(["--commands", commands])
    const text = await runCaptured(redisCommands, ["--commands", commands])

    expect(json.metrics.replies.map((entry) => entry.reply)).toEqual([
      { status: "OK" },
      { bulk: null },
      { integer: 1 },
      { array: [] },
      { error: "ERR unknown command 'FOO', with args beginning with: 'bar' " },
      { integer: 1 },
      { array: [{ bulk: "a" }, { bulk: "1" }] },
    ])
    expect(text.stdout).toContain("redis> GET nope\n  (nil)\n")
    expect(text.stdout).toContain("redis> INCR n\n  (integer) 1\n")
    expect(text.stdout).toContain("redis> HGETALL nope\n  (empty array)\n")
    expect(text.stdout).toContain(
      "redis> FOO bar\n  (error) ERR unknown command 'FOO', with args beginning with: 'bar' \n",
    )
    expect(text.stdout).toContain('redis> ZREVRANGE z 0 -1 WITHSCORES\n  1) "a"\n  2) "1"\n')
  })

  it("reads --script FILE one command per line, skipping comments, with quoted words", async () => {
    const dir = mkdtempSync(join(tmpdir(), "redis-commands-"))
    const path = join(dir, "script.txt")
    writeFileSync(path, '# a comment\nSET "a key" "two words"\n\nsleep 10\nGET "a key"\nPTTL "a key"\n')

    const result = await report(["--script", path])

    expect(result.metrics.replies).toEqual([
      { t: 0, argv: ["SET", "a key", "two words"], reply: { status: "OK" } },
      { t: 10, argv: ["GET", "a key"], reply: { bulk: "two words" } },
      { t: 10, argv: ["PTTL", "a key"], reply: { integer: -1 } },
    ])
  })

  it("refuses --commands and --script together, naming both flags", async () => {
    const run = await runCaptured(redisCommands, ["--commands", "GET k", "--script", "/etc/hostname"])

    expect(run.code).toBe(2)
    expect(run.stderr).toContain("--commands")
    expect(run.stderr).toContain("--script")
    expect(run.stdout).toBe("")
  })

  it("runs the commands over the network: with --latency-ms 5 each reply follows the server's time", async () => {
    const result = await report(["--commands", "SET k v PX 20; sleep 10; PTTL k; sleep 10; GET k", "--latency-ms", "5"])

    const [set, pttl, get] = result.metrics.replies
    expect(set!.t).toBeGreaterThanOrEqual(2.5)
    expect(set!.t).toBeLessThanOrEqual(7.5)
    expect(pttl!.t - set!.t).toBeGreaterThanOrEqual(15)
    expect(pttl!.t - set!.t).toBeLessThanOrEqual(25)
    expect(pttl!.reply).toEqual({ integer: Math.max(0, Math.floor(set!.t) + 20 - Math.floor(pttl!.t)) })
    expect(get!.reply).toEqual(Math.floor(get!.t) > Math.floor(set!.t) + 20 ? { bulk: null } : { bulk: "v" })
  })
})
