/**
 * Sim flags: what a sim declares about each of its inputs, in one place.
 *
 * A sim lists its inputs as a record of {@link FlagSpec}s built with {@link flag}: the key is the
 * param's name in code and in the JSON report (`arrivalRate`), the flag is its kebab-case form on
 * the command line (`--arrival-rate`). Each spec carries everything the runner needs to treat every
 * sim the same way: the description and unit for `--help` and the echoed inputs, the default (so a
 * bare run is a complete demo), the bounds or choices that say which values are allowed, and a
 * sentence saying the same thing to a human (`"a number > 0"`) for error messages.
 *
 * Specs are plain data (kind, bounds, choices): the effect `Schema` that validates a command line
 * is built from them by `parse-command-line.ts`, which is only loaded when there is a command line
 * to parse. A bare run (`npx tsx sims/x.ts`, all defaults) thus never loads effect, which is most of
 * a sim's start-up time; {@link admits} checks the defaults with the same bounds instead.
 *
 * Invariants: a spec's default is admitted by its own bounds (the runner treats a violation as a
 * bug); the `allowed` sentence, {@link admits} and the Schema are built from the same bounds, and a
 * property test checks that {@link admits} and the Schema agree.
 *
 * Left out on purpose: repeated flags, lists and positional arguments. Every sim input is a single
 * `--flag value`, which keeps the rerun line and the JSON `params` one-to-one with the flags.
 */
import type * as Schema from "effect/Schema"

/** The value types a sim flag can have. */
export type FlagKind = "number" | "integer" | "boolean" | "choice" | "string"

/** Everything the runner knows about one sim input. Build it with {@link flag}. */
export interface FlagSpec<T> {
  /** How the command line parses the value. */
  readonly kind: FlagKind
  /** The flag's name without dashes; `undefined` means the kebab-case form of the param's key. */
  readonly name: string | undefined
  /** What the input means, as a noun phrase (`"mean arrival rate λ"`). */
  readonly description: string
  /** The unit of the value (`"per second"`, `"ms"`), or `undefined` for a unitless input. */
  readonly unit: string | undefined
  /** The value used when the flag is absent. */
  readonly default: T
  /** Which values are allowed, in words (`"a number > 0"`), for `--help` and error messages. */
  readonly allowed: string
  /** For `number` and `integer` flags: the bounds. */
  readonly bounds: NumberBounds
  /** For `choice` flags: the allowed values, in the order `--help` lists them. */
  readonly choices: readonly string[] | undefined
  /** For `string` flags: a schema restricting the text, if any. */
  readonly schema: Schema.Codec<string> | undefined
  /** For string flags: returns why a value is not allowed, or undefined when it is. */
  readonly check: ((value: string) => string | undefined) | undefined
  /** Extra lines `--help` prints after the flag list (a format reference), or undefined. */
  readonly help: readonly string[] | undefined
  /**
   * True for a file the run writes ({@link flag.outputFile}): its value is a path, or `""` for no
   * file; the runner opens it before the run and writes what the sim's outcome holds for it.
   */
  readonly writesFile: boolean
}

/** Options shared by every kind of flag. */
export interface CommonFlagOptions<T> {
  /** What the input means, as a noun phrase. Required: `--help` shows it. */
  readonly description: string
  /** The value used when the flag is absent. Required: every sim flag has a default. */
  readonly default: T
  /**
   * The unit, shown after values in `--help` and in the echoed inputs. Required for numeric flags;
   * for text flags that hold numbers (`--bursts 5,10`), give the unit of those numbers. Default:
   * none (a word, a switch, or text without a unit).
   */
  readonly unit?: string
  /** The flag's name on the command line, without dashes. Default: the kebab-case param key. */
  readonly name?: string
  /** Lines `--help` prints after the flag list, e.g. the format of a JSON value. Default: none. */
  readonly help?: readonly string[]
}

/** Bounds of a numeric flag; every bound is optional and inclusive unless named `...Than`. */
export interface NumberBounds {
  /** Smallest allowed value (inclusive). Default: no bound. */
  readonly min?: number
  /** Largest allowed value (inclusive). Default: no bound. */
  readonly max?: number
  /** Values must be strictly greater than this. Default: no bound. */
  readonly greaterThan?: number
  /** Values must be strictly less than this. Default: no bound. */
  readonly lessThan?: number
}

/**
 * Options of {@link flag.number}. The unit is required: every numeric input says what it is
 * measured in, in `--help`, the echoed inputs and error messages — a time (`"ms"`, `"ticks"`), a
 * rate (`"records/s"`), a count of what it counts (`"rows"`), or `"probability"` / `"fraction"`
 * for a number from 0 to 1.
 */
export interface NumberFlagOptions extends CommonFlagOptions<number>, NumberBounds {
  readonly unit: string
}

/** Options of {@link flag.integer}; the unit is required, as for {@link flag.number}. */
export interface IntegerFlagOptions extends CommonFlagOptions<number>, NumberBounds {
  readonly unit: string
}

/** Options of {@link flag.boolean}. */
export interface BooleanFlagOptions extends CommonFlagOptions<boolean> {}

/** Options of {@link flag.choice}. */
export interface ChoiceFlagOptions<C extends string> extends CommonFlagOptions<C> {
  /** The allowed values, in the order `--help` lists them. */
  readonly choices: readonly C[]
}

/** Options of {@link flag.string}. */
export interface StringFlagOptions extends CommonFlagOptions<string> {
  /** Which strings are allowed. Default: any string. */
  readonly schema?: Schema.Codec<string>
  /** The same, in words. Default: `"any text"`. */
  readonly allowed?: string
  /**
   * Checks a value without loading effect (so a bare run stays fast): returns why the value is not
   * allowed — a sentence naming what is, e.g. "an integer >= 0 or unbounded" — or undefined when it
   * is. The runner reports it as `bad value for --flag: "value"; <that sentence>`.
   */
  readonly check?: (value: string) => string | undefined
}

/** The bounds in words: `"a number > 0 and <= 1"`. */
function describeBounds(noun: string, bounds: NumberBounds): string {
  const words: string[] = []
  if (bounds.greaterThan !== undefined) words.push(`> ${bounds.greaterThan}`)
  if (bounds.min !== undefined) words.push(`>= ${bounds.min}`)
  if (bounds.lessThan !== undefined) words.push(`< ${bounds.lessThan}`)
  if (bounds.max !== undefined) words.push(`<= ${bounds.max}`)
  return words.length === 0 ? noun : `${noun} ${words.join(" and ")}`
}

function pickBounds(options: NumberBounds): NumberBounds {
  const bounds: { min?: number; max?: number; greaterThan?: number; lessThan?: number } = {}
  if (options.min !== undefined) bounds.min = options.min
  if (options.max !== undefined) bounds.max = options.max
  if (options.greaterThan !== undefined) bounds.greaterThan = options.greaterThan
  if (options.lessThan !== undefined) bounds.lessThan = options.lessThan
  return bounds
}

function spec<T>(
  kind: FlagKind,
  options: CommonFlagOptions<T>,
  allowed: string,
  extra: {
    bounds?: NumberBounds
    choices?: readonly string[]
    schema?: Schema.Codec<string>
    check?: (value: string) => string | undefined
    writesFile?: boolean
  } = {},
): FlagSpec<T> {
  return {
    kind,
    name: options.name,
    description: options.description,
    unit: options.unit,
    default: options.default,
    allowed,
    bounds: extra.bounds ?? {},
    choices: extra.choices,
    schema: extra.schema,
    check: extra.check,
    help: options.help,
    writesFile: extra.writesFile ?? false,
  }
}

/**
 * Builders of sim flags. Each returns a {@link FlagSpec} whose schema and `allowed` sentence come
 * from the same options.
 *
 * ```ts
 * flags: {
 *   arrivalRate: flag.number({ description: "mean arrival rate λ", unit: "per second", default: 0.9, greaterThan: 0 }),
 *   servers: flag.integer({ description: "servers c", unit: "servers", default: 1, min: 1, max: 1000 }),
 *   acks: flag.choice({ description: "producer acks", choices: ["0", "1", "all"], default: "all" }),
 * }
 * ```
 */
export const flag = {
  /** A finite number (`--rate 0.5`, `--rate 1e3`); NaN and Infinity are rejected. */
  number(options: NumberFlagOptions): FlagSpec<number> {
    const bounds = pickBounds(options)
    return spec("number", options, describeBounds("a number", bounds), { bounds })
  },
  /** A duration in ms: {@link flag.number} with the unit `ms`, e.g. `flag.ms("heartbeat period", 100, { greaterThan: 0 })`. */
  ms(description: string, defaultMs: number, bounds: NumberBounds): FlagSpec<number> {
    return flag.number({ description, unit: "ms", default: defaultMs, ...bounds })
  },
  /** A probability: {@link flag.number} with the unit `probability`, from 0 to 1. */
  probability(description: string, defaultValue: number): FlagSpec<number> {
    return flag.number({ description, unit: "probability", default: defaultValue, min: 0, max: 1 })
  },
  /** A whole number (`--servers 2`); `2.5` is rejected. Bounds are safe integers by default. */
  integer(options: IntegerFlagOptions): FlagSpec<number> {
    const bounds = pickBounds(options)
    return spec("integer", options, describeBounds("an integer", bounds), { bounds })
  },
  /** An on/off switch: `--name` turns it on, `--name=false` off. */
  boolean(options: BooleanFlagOptions): FlagSpec<boolean> {
    return spec("boolean", options, "true or false")
  },
  /** One of a fixed list of words (`--acks all`). */
  choice<const C extends string>(options: ChoiceFlagOptions<C>): FlagSpec<C> {
    if (options.choices.length === 0) throw new Error(`flag.choice "${options.description}" needs at least one choice`)
    return spec("choice", options, `one of ${options.choices.join(", ")}`, { choices: options.choices })
  },
  /**
   * Free text, optionally restricted by a schema (give `allowed` to say the same in words). A
   * string flag's default is not checked against its schema on a bare run (see {@link admits}).
   */
  string(options: StringFlagOptions): FlagSpec<string> {
    return spec("string", options, options.allowed ?? "any text", {
      ...(options.schema === undefined ? {} : { schema: options.schema }),
      ...(options.check === undefined ? {} : { check: options.check }),
    })
  },
  /**
   * A file the run writes (`--pcap run.pcap`, `--profile heap.pb.gz`); absent or `""` means none.
   * The runner opens the path before the run (one it cannot write is bad input: exit 2, no run, no
   * file), and after the run writes the bytes the sim's outcome holds under this param's key in
   * `SimOutcome.files`; a run that fails leaves no file behind.
   */
  outputFile(options: Omit<CommonFlagOptions<string>, "default" | "unit">): FlagSpec<string> {
    return spec("string", { ...options, default: "" }, "a file path", {
      writesFile: true,
    })
  },
} as const

/** The kebab-case form of a camelCase key: `arrivalRate` → `arrival-rate`. */
export function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)
}

/** The flag name (without dashes) of the param `key` declared by `spec`. */
export function flagName(key: string, spec: FlagSpec<unknown>): string {
  return spec.name ?? kebabCase(key)
}

/**
 * True when `value` is allowed by the spec's kind, bounds and choices, without loading effect: the
 * same rules as the Schema built in `parse-command-line.ts` (a string's own schema excepted).
 */
export function admits(spec: FlagSpec<unknown>, value: unknown): boolean {
  switch (spec.kind) {
    case "boolean":
      return typeof value === "boolean"
    case "string":
      return typeof value === "string" && (spec.check === undefined || spec.check(value) === undefined)
    case "choice":
      return typeof value === "string" && (spec.choices ?? []).includes(value)
    case "integer":
    case "number": {
      if (typeof value !== "number" || !Number.isFinite(value)) return false
      if (spec.kind === "integer" && !Number.isSafeInteger(value)) return false
      const { min, max, greaterThan, lessThan } = spec.bounds
      return (
        (min === undefined || value >= min) &&
        (max === undefined || value <= max) &&
        (greaterThan === undefined || value > greaterThan) &&
        (lessThan === undefined || value < lessThan)
      )
    }
  }
}
