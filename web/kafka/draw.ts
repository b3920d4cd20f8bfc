/**
 * Draws a {@link KafkaPicture} as SVG: the brokers (up, crashed, fenced), the controller and the
 * producer, each partition's replicas with their logs as cells (coloured by the leader epoch they
 * were written in, faded above the high watermark, a white dot when the producer had the record
 * acknowledged, outlined red when an acknowledged record the leader no longer has), LEO and HW; for a consumer group, its generation and state, each
 * consumer with the partitions it owns, and per partition its owner (or none), committed offset
 * and lag. Only DOM code lives here; the state comes from src/view/kafka-picture.ts.
 */
import type {
  BrokerPicture,
  ConsumerPicture,
  KafkaPicture,
  PartitionPicture,
  ReplicaPicture,
} from "../../src/view/kafka-picture.ts"
import { svg, text, tooltip } from "./svg.ts"

/** Width of the drawing, in SVG units (the page scales it). */
export const WIDTH = 1100
const LOG_X = 190
const LOG_RIGHT = WIDTH - 110
const ROW_H = 22
const EPOCH_COLOURS = ["#4c78a8", "#f58518", "#54a24b", "#b279a2", "#9d755d"]

/** What the drawing needs besides the picture. */
export interface DrawOptions {
  /** The most offsets any log reaches in the run, so cells keep their size from step to step. */
  readonly maxOffsets: number
  /** Draw every replica (leader crash) or only the leader's log (rebalance). */
  readonly replicas: "all" | "leader"
  /** The producer's settings, for its box. */
  readonly producerLabel: string
}

function box(x: number, y: number, w: number, h: number, className: string): SVGRectElement {
  return svg("rect", { x, y, width: w, height: h, rx: 6, class: className })
}

function brokerBox(broker: BrokerPicture, x: number, y: number): SVGGElement {
  const state = broker.up ? (broker.fenced ? "fenced" : "up") : "down"
  return svg(
    "g",
    { class: `broker ${state}`, "data-broker": broker.id },
    box(x, y, 130, 48, `node ${state}`),
    text(x + 65, y + 20, `b${broker.id}`, "node-name", "middle"),
    text(x + 65, y + 38, broker.up ? (broker.fenced ? "fenced" : "up") : "CRASHED", "node-state", "middle"),
  )
}

function clusterRow(picture: KafkaPicture, options: DrawOptions, y: number): SVGGElement {
  const fenced = picture.brokers.filter((b) => b.fenced).map((b) => `b${b.id}`)
  const group = svg(
    "g",
    { class: "cluster" },
    box(10, y, 160, 48, "node controller"),
    text(90, y + 20, "controller", "node-name", "middle"),
    text(90, y + 38, fenced.length === 0 ? "all brokers in" : `fenced: ${fenced.join(", ")}`, "node-state", "middle"),
  )
  picture.brokers.forEach((broker, i) => group.append(brokerBox(broker, 190 + i * 145, y)))
  const px = 190 + picture.brokers.length * 145 + 10
  const { acknowledged, errors, lostRecords } = picture.producer
  const lost = lostRecords.length === 0 ? "none lost" : `LOST: records ${lostRecords.join(", ")}`
  group.append(
    box(px, y, WIDTH - px - 10, 48, `node producer${lostRecords.length > 0 ? " lost" : ""}`),
    text(px + 10, y + 20, `producer (${options.producerLabel})`, "node-name"),
    text(px + 10, y + 38, `${acknowledged} acknowledged, ${errors} errors; ${lost}`, "node-state producer-state"),
  )
  return group
}

/** Consecutive cells drawn as one rectangle: same epoch, same side of the HW, none lost. */
interface CellRun {
  readonly from: number
  readonly to: number
  readonly epoch: number
  readonly committed: boolean
  readonly lost: boolean
}

function cellRuns(
  replica: ReplicaPicture,
  highWatermark: number,
  lost: ReadonlySet<number>,
  merge: boolean,
): CellRun[] {
  const runs: CellRun[] = []
  replica.cells.forEach((cell, offset) => {
    const committed = offset < highWatermark
    const isLost = lost.has(cell.record)
    const last = runs[runs.length - 1]
    if (
      merge &&
      last !== undefined &&
      last.epoch === cell.epoch &&
      last.committed === committed &&
      !last.lost &&
      !isLost
    )
      runs[runs.length - 1] = { ...last, to: offset + 1 }
    else runs.push({ from: offset, to: offset + 1, epoch: cell.epoch, committed, lost: isLost })
  })
  return runs
}

/** A dot on each cell holding a record the producer had acknowledged. */
function ackMarks(replica: ReplicaPicture, acked: ReadonlySet<number>, cellW: number, y: number): SVGCircleElement[] {
  return replica.cells.flatMap((cell, offset) =>
    acked.has(cell.record)
      ? [svg("circle", { cx: LOG_X + (offset + 0.5) * cellW - 0.5, cy: y + (ROW_H - 6) / 2, r: 2, class: "acked" })]
      : [],
  )
}

function logRow(
  replica: ReplicaPicture,
  partition: PartitionPicture,
  lost: ReadonlySet<number>,
  acked: ReadonlySet<number> | undefined,
  cellW: number,
  y: number,
): SVGGElement {
  const row = svg("g", { class: "replica", "data-replica": `${partition.name}/b${replica.broker}` })
  row.append(svg("rect", { x: LOG_X, y, width: LOG_RIGHT - LOG_X, height: ROW_H - 6, class: "log-bg" }))
  // Cells wide enough to tell apart are drawn one by one; narrower ones as runs.
  for (const run of cellRuns(replica, partition.highWatermark, lost, cellW < 6)) {
    const cell = replica.cells[run.from]!
    const what =
      run.to - run.from === 1 ? `offset ${run.from}: record ${cell.record}` : `offsets ${run.from}-${run.to - 1}`
    row.append(
      svg(
        "rect",
        {
          x: LOG_X + run.from * cellW,
          y,
          width: Math.max(1, (run.to - run.from) * cellW - (cellW >= 6 ? 1 : 0)),
          height: ROW_H - 6,
          fill: EPOCH_COLOURS[Math.max(0, run.epoch) % EPOCH_COLOURS.length],
          class: `cells${run.committed ? "" : " uncommitted"}${run.lost ? " lost" : ""}`,
        },
        tooltip(
          `${what}, epoch ${run.epoch}${run.committed ? ", below the HW" : ", above the HW"}${run.lost ? ", acknowledged and LOST" : ""}`,
        ),
      ),
    )
  }
  if (acked !== undefined) row.append(...ackMarks(replica, acked, cellW, y))
  row.append(text(LOG_X + replica.leo * cellW + 4, y + 12, `LEO ${replica.leo}`, "leo"))
  return row
}

function replicaLabel(replica: ReplicaPicture, partition: PartitionPicture, brokers: readonly BrokerPicture[]): string {
  const up = brokers.find((b) => b.id === replica.broker)?.up ?? true
  const role =
    replica.broker === partition.leader ? "leader" : partition.isr.includes(replica.broker) ? "in ISR" : "not in ISR"
  return `b${replica.broker} ${role}${up ? "" : " (down)"}`
}

function partitionHeader(partition: PartitionPicture): string {
  const leader = partition.leader < 0 ? "no leader (offline)" : `leader b${partition.leader}`
  const isr = partition.isr.map((id) => `b${id}`).join(",")
  return `${partition.name} · ${leader} · epoch ${partition.leaderEpoch} · ISR {${isr}} · HW ${partition.highWatermark}`
}

function marker(x: number, y0: number, y1: number, label: string, className: string): SVGGElement {
  return svg(
    "g",
    { class: className },
    svg("line", { x1: x, x2: x, y1: y0, y2: y1 }),
    text(x, y0 - 2, label, "", "middle"),
  )
}

/** A partition: its header, its replicas' logs (or the leader's), the HW and the committed offset. */
function partitionBlock(
  picture: KafkaPicture,
  partition: PartitionPicture,
  options: DrawOptions,
  y: number,
): { readonly element: SVGGElement; readonly height: number } {
  const cellW = Math.min(14, (LOG_RIGHT - LOG_X - 60) / Math.max(20, options.maxOffsets))
  const lost = new Set(picture.producer.lostRecords)
  // Acknowledgements are marked on cells wide enough to hold a dot.
  const acked = cellW >= 6 ? new Set(picture.producer.acknowledgedRecords) : undefined
  const shown =
    options.replicas === "all" ? partition.replicas : partition.replicas.filter((r) => r.broker === partition.leader)
  const block = svg("g", { class: "partition", "data-partition": partition.name })
  block.append(text(10, y + 14, partitionHeader(partition), "partition-header"))
  const top = y + 34
  shown.forEach((replica, i) => {
    const rowY = top + i * ROW_H
    block.append(text(10, rowY + 12, replicaLabel(replica, partition, picture.brokers), "replica-label"))
    block.append(logRow(replica, partition, lost, acked, cellW, rowY))
  })
  const bottom = top + Math.max(1, shown.length) * ROW_H - 4
  block.append(marker(LOG_X + partition.highWatermark * cellW, top - 4, bottom, `HW ${partition.highWatermark}`, "hw"))
  if (picture.group.consumers.length > 0) block.append(ownerLine(partition, cellW, top, bottom))
  return { element: block, height: bottom - y + 14 }
}

function ownerLine(partition: PartitionPicture, cellW: number, top: number, bottom: number): SVGGElement {
  const x = LOG_X + partition.committed * cellW
  const owner = partition.owners.length === 0 ? "NO OWNER" : `owner ${partition.owners.join(" + ")}`
  return svg(
    "g",
    { class: `ownership${partition.owners.length === 0 ? " unowned" : ""}` },
    marker(x, bottom + 12, top, `committed ${partition.committed}`, "committed"),
    text(LOG_RIGHT + 8, top + 12, `lag ${partition.lag}`, "lag"),
    text(LOG_X - 8, top + 12, owner, "owner", "end"),
  )
}

function consumerBox(consumer: ConsumerPicture, x: number, y: number, w: number): SVGGElement {
  const state = !consumer.up ? "down" : consumer.member === null ? "idle" : "up"
  const status = !consumer.up ? "CRASHED" : consumer.member === null ? "not a member" : "member"
  return svg(
    "g",
    { class: `consumer ${state}`, "data-consumer": consumer.name },
    box(x, y, w, 62, `node ${state}`),
    text(x + 10, y + 20, `${consumer.name} · ${status}`, "node-name"),
    text(x + 10, y + 42, consumer.owned.length === 0 ? "owns nothing" : `owns ${consumer.owned.join(", ")}`, "owned"),
  )
}

function groupRow(picture: KafkaPicture, y: number): SVGGElement {
  const group = picture.group
  const row = svg("g", { class: "group" })
  row.append(text(10, y + 14, `group g · generation ${group.generation} · ${group.state}`, "group-state"))
  const unowned = group.unowned.length === 0 ? "every partition has an owner" : `no owner: ${group.unowned.join(", ")}`
  row.append(text(WIDTH - 10, y + 14, unowned, group.unowned.length === 0 ? "unowned-none" : "unowned-some", "end"))
  const w = (WIDTH - 20 - (group.consumers.length - 1) * 10) / Math.max(1, group.consumers.length)
  group.consumers.forEach((consumer, i) => row.append(consumerBox(consumer, 10 + i * (w + 10), y + 24, w)))
  if (group.revocations.length > 0) {
    const list = group.revocations.map((r) => `${r.consumer} ${r.partitions.join(",")} at ${r.t.toFixed(1)}ms`)
    row.append(text(10, y + 106, `revoked (the last ${list.length}): ${list.join(" · ")}`, "revoked"))
  }
  return row
}

/** The whole drawing of `picture`. */
export function drawPicture(picture: KafkaPicture, options: DrawOptions): SVGSVGElement {
  const root = svg("svg", { class: "kafka", "data-step": picture.step })
  root.append(clusterRow(picture, options, 10))
  let y = 76
  if (picture.group.consumers.length > 0) {
    root.append(groupRow(picture, y))
    y += 120
  }
  for (const partition of picture.partitions) {
    const { element, height } = partitionBlock(picture, partition, options, y)
    root.append(element)
    y += height + (options.replicas === "all" ? 10 : 4)
  }
  root.setAttribute("viewBox", `0 0 ${WIDTH} ${y}`)
  root.setAttribute("width", String(WIDTH))
  root.setAttribute("height", String(y))
  return root
}
