import fc from "fast-check"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import { admits, flag, type FlagSpec, kebabCase } from "../../src/cli/index.ts"
import { flagSchema } from "../../src/cli/parse-command-line.ts"
import { FC_SEED } from "../laws/index.ts"

function schemaAccepts(spec: FlagSpec<unknown>, value: unknown): boolean {
  return Result.isSuccess(Schema.decodeUnknownResult(flagSchema(spec))(value))
}

const bound = fc.option(fc.integer({ min: -5, max: 5 }), { nil: undefined })
const value = fc.oneof(
  fc.integer({ min: -7, max: 7 }),
  fc.double({ min: -7, max: 7, noNaN: true }),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 2 ** 53, 0.5),
  fc.constantFrom("1", true, null, undefined),
)

describe(`flag bounds (FC_SEED=${FC_SEED})`, () => {
  it("admits exactly the values the flag's Schema accepts, for numbers and integers with any bounds", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        bound,
        bound,
        bound,
        bound,
        value,
        (integer, min, max, greaterThan, lessThan, candidate) => {
          const bounds = {
            ...(min === undefined ? {} : { min }),
            ...(max === undefined ? {} : { max }),
            ...(greaterThan === undefined ? {} : { greaterThan }),
            ...(lessThan === undefined ? {} : { lessThan }),
          }
          const spec = (integer ? flag.integer : flag.number)({ description: "x", unit: "n", default: 0, ...bounds })
          expect(admits(spec, candidate), `value ${String(candidate)} with ${JSON.stringify(bounds)}`).toBe(
            schemaAccepts(spec, candidate),
          )
        },
      ),
      { seed: FC_SEED },
    )
  })

  it("admits exactly the values the Schema accepts for choices and booleans", () => {
    const choice = flag.choice({ description: "x", choices: ["0", "1", "all"], default: "all" })
    const toggle = flag.boolean({ description: "x", default: false })
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom("0", "1", "all", "ALL", "", 1, true, false), fc.string()), (candidate) => {
        expect(admits(choice, candidate)).toBe(schemaAccepts(choice, candidate))
        expect(admits(toggle, candidate)).toBe(schemaAccepts(toggle, candidate))
      }),
      { seed: FC_SEED },
    )
  })

  it("describes the bounds in the same words --help shows", () => {
    expect(flag.number({ description: "x", unit: "n", default: 1, greaterThan: 0, max: 1 }).allowed).toBe(
      "a number > 0 and <= 1",
    )
    expect(flag.integer({ description: "x", unit: "n", default: 1, min: 1 }).allowed).toBe("an integer >= 1")
    expect(flag.choice({ description: "x", choices: ["a", "b"], default: "a" }).allowed).toBe("one of a, b")
  })

  it("turns camelCase keys into kebab-case flags", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,5}$/), { minLength: 1, maxLength: 4 }), (words) => {
        const key = words.map((word, i) => (i === 0 ? word : word[0]!.toUpperCase() + word.slice(1))).join("")
        expect(kebabCase(key)).toBe(words.join("-"))
      }),
      { seed: FC_SEED },
    )
  })
})
