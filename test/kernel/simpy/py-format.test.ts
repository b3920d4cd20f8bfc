/** The Python formatting helpers print what CPython 3.11 prints (values taken from `python3 -c`). */
import { describe, expect, it } from "vitest"
import { fixed, fixedWidth, floatRepr, percentD } from "./py-format.ts"

describe("Python number formatting", () => {
  it("rounds an exact tie to even, as format(x, '.Nf') does, where toFixed rounds up", () => {
    expect([0.5, 1.5, 2.5].map((x) => fixed(x, 0))).toEqual(["0", "2", "2"])
    expect([0.125, 0.375].map((x) => fixed(x, 2))).toEqual(["0.12", "0.38"])
    expect(fixed(-2.5, 0)).toBe("-2")
    expect((2.5).toFixed(0)).toBe("3") // why the helper exists
  })

  it("rounds the binary value, not the decimal literal: 2.675 and 1.005 are below their ties", () => {
    expect([fixed(2.675, 2), fixed(1.005, 2)]).toEqual(["2.67", "1.00"])
  })

  it("pads to the width, truncates %d toward zero, and prints floats as str() does", () => {
    expect(fixedWidth(3.14159, 7, 4)).toBe(" 3.1416")
    expect(percentD(-5.7)).toBe("-5")
    const floats = [1e-5, 1e16, 123.0, 0.1, -0.0, 3.14159]
    expect(floats.map(floatRepr)).toEqual(["1e-05", "1e+16", "123.0", "0.1", "-0.0", "3.14159"])
  })
})
