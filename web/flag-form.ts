/**
 * The form for one sim, generated from its flag definitions: one row per flag (the seed first)
 * with its name, an input suited to its kind (a checkbox for a switch, a list for a choice, a text
 * box otherwise, so that any text can be typed and the command line's own message shown), and its
 * description, unit, allowed values and default. The form reads back the flags that differ from
 * their defaults, which are what the URL and the command line carry.
 */
import { DEFAULT_SEED, type FlagSpecs, SEED_MAX, type SimDefinition } from "../src/cli/define-sim.ts"
import { type FlagSpec, flagName } from "../src/cli/flag.ts"

/** One row of the form: the flag's name, its default as text, and whether it is a switch. */
interface Field {
  readonly name: string
  readonly defaultText: string
  readonly kind: FlagSpec<unknown>["kind"]
  readonly input: HTMLInputElement | HTMLSelectElement
  readonly row: HTMLElement[]
}

/** The `--seed` flag every sim has, shown as the form's first row. */
const SEED_SPEC = {
  kind: "integer",
  description: "seed of every random stream",
  unit: undefined,
  default: DEFAULT_SEED,
  allowed: `an integer from 0 to ${SEED_MAX}`,
  choices: undefined,
  help: undefined,
} as const

/** A generated form for a sim's flags. */
export class FlagForm {
  private readonly fields: Field[] = []

  constructor(
    private readonly form: HTMLFormElement,
    definition: SimDefinition<FlagSpecs>,
    given: ReadonlyMap<string, string>,
    onChange: () => void,
  ) {
    form.replaceChildren()
    const specs: [string, Pick<FlagSpec<unknown>, keyof typeof SEED_SPEC>][] = [["seed", SEED_SPEC]]
    for (const [key, spec] of Object.entries(definition.flags)) specs.push([flagName(key, spec), spec])
    for (const [name, spec] of specs) this.fields.push(this.addField(name, spec, given.get(name)))
    form.addEventListener("input", onChange)
    form.addEventListener("change", onChange)
  }

  /** The flags whose value differs from the default, by name, as the URL carries them. */
  flags(): Map<string, string> {
    const flags = new Map<string, string>()
    for (const field of this.fields) {
      const value =
        field.input instanceof HTMLInputElement && field.input.type === "checkbox"
          ? String(field.input.checked)
          : field.input.value.trim()
      if (value !== field.defaultText) flags.set(field.name, value)
    }
    return flags
  }

  /** True when `name` is a switch (a boolean flag). */
  isSwitch(name: string): boolean {
    return this.fields.some((field) => field.name === name && field.kind === "boolean")
  }

  /** Marks the rows of the flags the messages name (`--name`), and clears the others. */
  markInvalid(messages: readonly string[]): void {
    for (const field of this.fields) {
      const named = messages.some((message) => new RegExp(`--${field.name}(?![\\w-])`).test(message))
      for (const cell of field.row) cell.classList.toggle("invalid", named)
      field.input.setAttribute("aria-invalid", String(named))
    }
  }

  private addField(
    name: string,
    spec: Pick<FlagSpec<unknown>, keyof typeof SEED_SPEC>,
    given: string | undefined,
  ): Field {
    const id = `flag-${name}`
    const label = element("label", `--${name}`)
    label.htmlFor = id
    const defaultText = String(spec.default)
    const input = inputFor(spec, given ?? defaultText)
    input.id = id
    input.name = name
    const cell = element("div")
    cell.append(input)
    const unit = spec.unit === undefined ? "" : ` (${spec.unit})`
    const help = element("div", `${spec.description}${unit}; ${spec.allowed}; default ${defaultText}`)
    help.className = "help"
    if (spec.help !== undefined) help.append(helpLines(name, spec.help))
    const row = [label, cell, help]
    this.form.append(...row)
    return { name, defaultText, kind: spec.kind, input, row }
  }
}

/** The lines `--help` prints after the flag list for this flag (a format reference), folded. */
function helpLines(name: string, lines: readonly string[]): HTMLDetailsElement {
  const details = element("details")
  details.append(element("summary", `the format of --${name}`), element("pre", lines.join("\n")))
  return details
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  if (text !== undefined) node.textContent = text
  return node
}

/** The input for a flag: a checkbox, a list of choices (with a given value that is not one of them kept, so its message shows), or a text box. */
function inputFor(
  spec: Pick<FlagSpec<unknown>, "kind" | "choices">,
  value: string,
): HTMLInputElement | HTMLSelectElement {
  if (spec.kind === "boolean") {
    const box = element("input")
    box.type = "checkbox"
    box.checked = value === "true"
    return box
  }
  if (spec.kind === "choice" && spec.choices !== undefined) {
    const select = element("select")
    const choices = spec.choices.includes(value) ? spec.choices : [...spec.choices, value]
    for (const choice of choices) select.append(new Option(choice, choice))
    select.value = value
    return select
  }
  const box = element("input")
  box.type = "text"
  box.value = value
  box.spellcheck = false
  return box
}
