/**
 * How a text report is drawn: its width (`--width`), colour, and ASCII-only characters (`--ascii`).
 *
 * Colour marks the verdicts (`NOT HELD` in red, `held` in green) and is used only when stdout is a
 * terminal and the `NO_COLOR` environment variable is unset or empty (https://no-color.org), so a
 * report piped to a file or compared with a golden file never contains escape codes. The width
 * defaults to {@link DEFAULT_WIDTH} columns whatever the terminal, so the same run prints the same
 * bytes everywhere.
 */
import { DEFAULT_WIDTH, WIDTH_MAX, WIDTH_MIN } from "./wrap-text.ts"

/** The drawing settings of one text report. */
export interface TextStyle {
  /** The widest line, in columns (`--width`). Default {@link DEFAULT_WIDTH}. */
  readonly width: number
  /** Verdicts in colour (ANSI escapes). Default false. */
  readonly colour: boolean
  /** ASCII characters only (`--ascii`). Default false. */
  readonly ascii: boolean
}

/** The style of golden files and pipes: 100 columns, no colour, Unicode. */
export const PLAIN_STYLE: TextStyle = { width: DEFAULT_WIDTH, colour: false, ascii: false }

/** `--width` in words, for `--help` and error messages. */
export const WIDTH_ALLOWED = `an integer from ${WIDTH_MIN} to ${WIDTH_MAX}`

/** True when `width` is an allowed `--width`. */
export function isAllowedWidth(width: number): boolean {
  return Number.isSafeInteger(width) && width >= WIDTH_MIN && width <= WIDTH_MAX
}

/** True when colour may be used: the output is a terminal and `NO_COLOR` is unset or empty. */
export function colourAllowed(isTTY: boolean | undefined, env: Readonly<Record<string, string | undefined>>): boolean {
  return isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === "")
}

const RED = "\x1b[31m"
const GREEN = "\x1b[32m"
const RESET = "\x1b[0m"

/** `text` in red (a verdict that did not hold) or green (one that held). */
export function paint(text: string, colour: "red" | "green"): string {
  return `${colour === "red" ? RED : GREEN}${text}${RESET}`
}

/**
 * The `--width` and `--ascii` of a command line read without the parser, for `--help` (which the
 * parser answers before it reads other flags). An invalid width is ignored here; a run reports it.
 */
export function styleOptionsOfArgv(argv: readonly string[]): { width: number; ascii: boolean } {
  let width = DEFAULT_WIDTH
  argv.forEach((arg, i) => {
    const text = arg.startsWith("--width=") ? arg.slice("--width=".length) : arg === "--width" ? argv[i + 1] : undefined
    if (text !== undefined && /^\d+$/.test(text) && isAllowedWidth(Number(text))) width = Number(text)
  })
  return { width, ascii: argv.includes("--ascii") || argv.includes("--ascii=true") }
}
