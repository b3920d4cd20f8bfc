import { describe, expect, it } from "vitest"
import { parseRedisScript } from "../../../src/models/redis/index.ts"

describe("parseRedisScript", () => {
  it("splits at ';' outside quotes and reads redis-cli's quotes and escapes", () => {
    const parsed = parseRedisScript(`SET "a;b" 'it\\'s' ; GET "tab\\there\\x41" ; sleep 12.5`, ";")

    expect(parsed).toEqual({
      ok: true,
      steps: [
        { kind: "command", argv: ["SET", "a;b", "it's"] },
        { kind: "command", argv: ["GET", "tab\thereA"] },
        { kind: "sleep", ms: 12.5 },
      ],
    })
  })

  it("reads a file one command per line, skipping blank lines and # comments", () => {
    const parsed = parseRedisScript("# setup\nSET k v\n\n  GET k  \n", "\n")

    expect(parsed).toEqual({
      ok: true,
      steps: [
        { kind: "command", argv: ["SET", "k", "v"] },
        { kind: "command", argv: ["GET", "k"] },
      ],
    })
  })

  it("names the command and the problem: unbalanced quotes, a bad sleep, nothing to run", () => {
    expect(parseRedisScript('GET k; SET k "v', ";")).toEqual({
      ok: false,
      error: 'command 2 (SET k "v): unbalanced double quotes',
    })
    expect(parseRedisScript("sleep -1; GET k", ";")).toEqual({
      ok: false,
      error: "command 1 (sleep -1): sleep takes one number of ms from 0 to 86400000",
    })
    expect(parseRedisScript('GET "k"x', ";")).toEqual({
      ok: false,
      error: 'command 1 (GET "k"x): a closing quote must be followed by a space',
    })
    expect(parseRedisScript("sleep 5", ";")).toEqual({ ok: false, error: "no command to run" })
  })
})
