/**
 * The playground's Kafka page (docs/playground.md, "The Kafka page"): runs one of two scenes with
 * the real Kafka model in the browser (src/view/kafka-scenes.ts) and steps through its typed trace:
 * Play/Pause (1, 10 or 100 records a frame), Step (one record), the previous and next key event (a crash, an election, an ISR
 * change, a truncation, a rebalance step), and a slider over every record. The state at a step is
 * folded from the records up to it (src/view/kafka-picture.ts) and drawn as SVG (draw.ts).
 *
 * The URL names the view: `#scene=leader-crash&acks=1&step=162`, `#scene=rebalance&protocol=cooperative`.
 * For tests the page exposes `window.kafkaPage.ready`, a promise that resolves once the first
 * scene is drawn.
 */
import { type KafkaPicture, KafkaPictureFolder, keySteps } from "../../src/view/kafka-picture.ts"
import { type KafkaScene, leaderCrashScene, rebalanceScene } from "../../src/view/kafka-scenes.ts"
import { type DrawOptions, drawPicture } from "./draw.ts"

declare global {
  interface Window {
    kafkaPage: { readonly ready: Promise<void> }
  }
}

type SceneName = "leader-crash" | "rebalance"

/** The page's choice: the scene and its one setting. */
interface Choice {
  readonly scene: SceneName
  readonly acks: "1" | "all"
  readonly protocol: "eager" | "cooperative"
}

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id)
  if (node === null) throw new Error(`the page has no #${id}`)
  return node as T
}

function parseChoice(hash: string): { choice: Choice; step: number | undefined } {
  const params = new URLSearchParams(hash.replace(/^#/, ""))
  const scene: SceneName = params.get("scene") === "rebalance" ? "rebalance" : "leader-crash"
  const acks = params.get("acks") === "1" ? "1" : "all"
  const protocol = params.get("protocol") === "cooperative" ? "cooperative" : "eager"
  const step = params.get("step")
  return { choice: { scene, acks, protocol }, step: step === null ? undefined : Number(step) }
}

function formatChoice(choice: Choice, step: number): string {
  const setting = choice.scene === "rebalance" ? `protocol=${choice.protocol}` : `acks=${choice.acks}`
  return `scene=${choice.scene}&${setting}&step=${step}`
}

/** The furthest offset any log reaches in the scene (appends and replication). */
function maxOffsets(scene: KafkaScene): number {
  let max = 0
  for (const record of scene.records) {
    const r = record as unknown as { type: string; baseOffset: number; fromOffset: number; count: number }
    if (r.type === "RecordsAppended") max = Math.max(max, r.baseOffset + r.count)
    if (r.type === "RecordsReplicated") max = Math.max(max, r.fromOffset + r.count)
  }
  return max
}

/** The page's state: the scene shown, the folder at the current step, and the player. */
class KafkaPage {
  private choice: Choice
  private scene!: KafkaScene
  private keys: number[] = []
  private folder!: KafkaPictureFolder
  private options!: DrawOptions
  private timer: number | undefined

  constructor() {
    const { choice } = parseChoice(location.hash)
    this.choice = choice
    byId("scene").addEventListener("change", () => void this.choose())
    byId("setting").addEventListener("change", () => void this.choose())
    byId("play").addEventListener("click", () => this.togglePlay())
    byId("step").addEventListener("click", () => this.show(this.folder.step + 1))
    byId("back").addEventListener("click", () => this.show(this.folder.step - 1))
    byId("next").addEventListener("click", () =>
      this.show(this.keys.find((k) => k > this.folder.step) ?? this.scene.records.length),
    )
    byId("prev").addEventListener("click", () =>
      this.show([...this.keys].reverse().find((k) => k < this.folder.step) ?? 0),
    )
    byId("start").addEventListener("click", () => this.show(0))
    byId("end").addEventListener("click", () => this.show(this.scene.records.length))
    byId<HTMLInputElement>("slider").addEventListener("input", (e) =>
      this.show(Number((e.target as HTMLInputElement).value)),
    )
  }

  /** Runs the scene the URL names and shows the step it names (default: step 0); again when the URL changes. */
  async start(): Promise<void> {
    window.addEventListener("hashchange", () => {
      const { choice, step } = parseChoice(location.hash)
      const same =
        choice.scene === this.choice.scene &&
        choice.acks === this.choice.acks &&
        choice.protocol === this.choice.protocol
      this.choice = choice
      this.fillControls()
      if (same) this.show(step ?? 0)
      else void this.load(step)
    })
    const { step } = parseChoice(location.hash)
    this.fillControls()
    await this.load(step)
  }

  private fillControls(): void {
    byId<HTMLSelectElement>("scene").value = this.choice.scene
    const setting = byId<HTMLSelectElement>("setting")
    const values = this.choice.scene === "rebalance" ? ["eager", "cooperative"] : ["all", "1"]
    const labels =
      this.choice.scene === "rebalance" ? ["eager (range)", "cooperative (cooperative-sticky)"] : ["acks=all", "acks=1"]
    setting.replaceChildren(
      ...values.map((value, i) => Object.assign(document.createElement("option"), { value, textContent: labels[i] })),
    )
    setting.value = this.choice.scene === "rebalance" ? this.choice.protocol : this.choice.acks
  }

  private async choose(): Promise<void> {
    const scene = byId<HTMLSelectElement>("scene").value as SceneName
    const setting = byId<HTMLSelectElement>("setting").value
    // A new scene keeps its own setting; the same scene takes the setting list's value.
    if (scene !== this.choice.scene) this.choice = { ...this.choice, scene }
    else if (scene === "rebalance")
      this.choice = { ...this.choice, protocol: setting === "cooperative" ? "cooperative" : "eager" }
    else this.choice = { ...this.choice, acks: setting === "1" ? "1" : "all" }
    this.fillControls()
    await this.load(undefined)
  }

  private async load(step: number | undefined): Promise<void> {
    this.pause()
    const status = byId("status")
    status.textContent = "running the model…"
    await new Promise((resolve) => setTimeout(resolve, 0)) // let the status show before the run blocks
    const started = performance.now()
    const { choice } = this
    this.scene =
      choice.scene === "rebalance"
        ? rebalanceScene({ protocol: choice.protocol })
        : leaderCrashScene({ acks: choice.acks })
    this.keys = keySteps(this.scene)
    this.options = {
      maxOffsets: maxOffsets(this.scene),
      replicas: choice.scene === "rebalance" ? "leader" : "all",
      producerLabel: choice.scene === "rebalance" ? "20 records/s" : `acks=${choice.acks}`,
    }
    this.folder = new KafkaPictureFolder(this.scene)
    byId("title").textContent = this.scene.title
    const slider = byId<HTMLInputElement>("slider")
    slider.max = String(this.scene.records.length)
    status.textContent = `seed ${this.scene.seed}: ${this.scene.records.length} records, ${this.keys.length} key events, run in ${Math.round(performance.now() - started)} ms of wall time`
    this.show(step ?? 0)
  }

  /** Shows the state after the first `step` records. */
  private show(step: number): void {
    const target = Math.max(0, Math.min(Math.round(step), this.scene.records.length))
    if (target < this.folder.step) this.folder = new KafkaPictureFolder(this.scene)
    this.folder.advanceTo(target)
    const picture = this.folder.picture()
    this.render(picture)
    history.replaceState(null, "", `#${formatChoice(this.choice, picture.step)}`)
    if (picture.step >= picture.steps) this.pause()
  }

  private render(picture: KafkaPicture): void {
    byId<HTMLInputElement>("slider").value = String(picture.step)
    byId("position").textContent = `step ${picture.step} of ${picture.steps} · t = ${picture.t.toFixed(1)} ms`
    byId("caption").textContent = picture.caption === "" ? "(before the first record)" : picture.caption
    byId("drawing").replaceChildren(drawPicture(picture, this.options))
  }

  private togglePlay(): void {
    if (this.timer !== undefined) this.pause()
    else {
      if (this.folder.step >= this.scene.records.length) this.show(0)
      byId("play").textContent = "Pause"
      this.timer = window.setInterval(() => {
        const perFrame = Number(byId<HTMLSelectElement>("speed").value)
        this.show(this.folder.step + perFrame)
      }, 60)
    }
  }

  private pause(): void {
    if (this.timer !== undefined) window.clearInterval(this.timer)
    this.timer = undefined
    byId("play").textContent = "Play"
  }
}

const page = new KafkaPage()
window.kafkaPage = { ready: page.start() }
