/**
 * The register checker: a final value may come from any write that could have been the last one.
 */
import { describe, expect, it } from "vitest"
import { checkRegister } from "../../src/check/core/register-checker.ts"
import { lawCheckerRejectsKnownBadRun } from "../laws/index.ts"

describe("checkRegister", () => {
  it("accepts the last of three sequential acknowledged writes as the final value", () => {
    const result = checkRegister({
      writes: [
        { value: 1, invokedAt: 0, acknowledgedAt: 5 },
        { value: 2, invokedAt: 10, acknowledgedAt: 15 },
        { value: 3, invokedAt: 20, acknowledgedAt: 25 },
      ],
      final: 3,
    })

    expect(result).toEqual({
      name: "no-acked-write-lost",
      held: true,
      detail: "the final value 3 comes from a write acknowledged at t=25; no acknowledged write (of 3) began after it",
    })
  })

  it("rejects an earlier write's value as final, naming the first write it overwrote back in time", () => {
    const result = checkRegister({
      writes: [
        { value: 1, invokedAt: 0, acknowledgedAt: 5 },
        { value: 2, invokedAt: 10, acknowledgedAt: 15 },
        { value: 3, invokedAt: 20, acknowledgedAt: 25 },
      ],
      final: 1,
    })

    expect(result).toEqual({
      name: "no-acked-write-lost",
      held: false,
      detail:
        "the write of 2 (invoked t=10, acknowledged t=15) was lost: the final value 1 comes from a write acknowledged at t=5, " +
        "before it began; 2 of 3 acknowledged writes lost",
    })
  })

  it("accepts either of two overlapping writes as the final value", () => {
    const writes = [
      { value: "a", invokedAt: 0, acknowledgedAt: 20 },
      { value: "b", invokedAt: 10, acknowledgedAt: 15 },
    ]

    expect(checkRegister({ writes, final: "a" }).held).toBe(true)
    expect(checkRegister({ writes, final: "b" }).held).toBe(true)
  })

  it("accepts a final value from a write that was never acknowledged, and a lost unacknowledged write", () => {
    const writes = [
      { value: 1, invokedAt: 0, acknowledgedAt: 5 },
      { value: 2, invokedAt: 10 },
    ]

    expect(checkRegister({ writes, final: 2 }).detail).toBe(
      "the final value 2 comes from a write that was never acknowledged; no acknowledged write (of 1) began after it",
    )
    expect(checkRegister({ writes, final: 1 }).held).toBe(true)
  })

  it("rejects the initial value once any write was acknowledged (law: checker rejects a known-bad run)", () => {
    lawCheckerRejectsKnownBadRun(
      { writes: [{ value: 1, invokedAt: 0, acknowledgedAt: 5 }], final: null },
      checkRegister,
      {
        detail: /the final value null comes from the initial value, before it began; 1 of 1/,
      },
    )
  })

  it("rejects a final value nobody wrote", () => {
    expect(
      checkRegister({ writes: [{ value: 1, invokedAt: 0, acknowledgedAt: 1 }], final: 9 }, { name: "config-kept" }),
    ).toEqual({
      name: "config-kept",
      held: false,
      detail: "the final value 9 was never written",
    })
  })

  it("treats a write invoked at the very instant another was acknowledged as concurrent", () => {
    const writes = [
      { value: 1, invokedAt: 0, acknowledgedAt: 10 },
      { value: 2, invokedAt: 10, acknowledgedAt: 12 },
    ]

    expect(checkRegister({ writes, final: 1 }).held).toBe(true)
  })
})
