import { describe, expect, it } from "vitest"
import hpack, { parseRequests } from "../../sims/hpack.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("hpack", {
  jsonArgs: ["--random-requests", "5"],
  badInputs: [
    { args: ["--requests", ":method:GET,nocolon"], stderr: `request 1: field "nocolon" has no ':' after its name` },
    { args: ["--requests", "Host:x"], stderr: `header name "Host" has upper case letters, which HTTP/2 forbids` },
    { args: ["--table-size", "-1"], stderr: "bad value for --table-size: -1" },
    { args: ["--never-index", "a,,b"], stderr: "empty name in the list" },
  ],
})

interface Report {
  metrics: {
    blocks: { hex: string; bytes: number; plainBytes: number; tableSize: number; table: [string, string][] }[]
    totalBytes: number
    totalPlainBytes: number
  }
  checks: { name: string; held: boolean }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(hpack, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

const RESPONSES = [
  ":status:302,cache-control:private,date:Mon; 21 Oct 2013 20:13:21 GMT,location:https://www.example.com",
].join("|")

describe("sim hpack reproduces RFC 7541 Appendix C", () => {
  it("bare: C.4's three blocks (Huffman), with C.4's tables", async () => {
    const { metrics, checks } = await report([])
    expect(metrics.blocks.map((b) => b.hex)).toEqual([
      "828684418cf1e3c2e5f23a6ba0ab90f4ff",
      "828684be5886a8eb10649cbf",
      "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf",
    ])
    expect(metrics.blocks.map((b) => b.tableSize)).toEqual([57, 110, 164])
    expect(metrics.blocks[2]!.table).toEqual([
      ["custom-key", "custom-value"],
      ["cache-control", "no-cache"],
      [":authority", "www.example.com"],
    ])
    expect(metrics.blocks.map((b) => b.plainBytes)).toEqual([52, 73, 85])
    expect(metrics.totalBytes).toBe(17 + 12 + 24)
    expect(checks.map((c) => [c.name, c.held])).toEqual([
      ["hpack-roundtrip", true],
      ["table-within-limit", true],
    ])
  })

  it("--huffman false: C.3's blocks", async () => {
    const { metrics } = await report(["--huffman", "false"])
    expect(metrics.blocks.map((b) => b.hex)).toEqual([
      "828684410f7777772e6578616d706c652e636f6d",
      "828684be58086e6f2d6361636865",
      "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565",
    ])
  })

  it("--table-size 0: nothing is added; the authority is sent in full each time", async () => {
    const { metrics } = await report(["--table-size", "0", "--huffman", "false"])
    expect(metrics.blocks.map((b) => b.tableSize)).toEqual([0, 0, 0])
    for (const block of metrics.blocks) expect(block.hex).toContain("010f7777772e6578616d706c652e636f6d")
  })

  it("parses fields at the first ':' after the name's first character", () => {
    expect(parseRequests(":path:/a:b,x-y:1:2|")).toEqual([
      [
        { name: ":path", value: "/a:b" },
        { name: "x-y", value: "1:2" },
      ],
      [],
    ])
    expect(RESPONSES).toContain("date:")
  })
})
