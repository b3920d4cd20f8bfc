/**
 * A Go heap profile in pprof's own format (profile.proto, the uncompressed bytes; the file
 * `go tool pprof` reads is these bytes gzipped), built from a {@link LeakHeap}'s per-site counts
 * the way Go's runtime/pprof (protomem.go) writes one: the sample types `alloc_objects/count`,
 * `alloc_space/bytes`, `inuse_objects/count`, `inuse_space/bytes` in that order (pprof shows the
 * last, inuse_space, by default), the period type `space/bytes`, one sample per allocation site
 * with its call stack (leaf first) and a `bytes` label holding the object size.
 *
 * The period is 1: every allocation is recorded, as with `runtime.MemProfileRate = 1`, so no
 * value is scaled. The time and duration are simulated (no wall clock), so the same run gives the
 * same bytes. Addresses are made up (one per location, from 0x1000 up) and there is no mapping:
 * the functions are already named, so pprof needs no symbolization.
 */
import { Function as PprofFunction, Label, Line, Location, Profile, Sample, StringTable, ValueType } from "pprof-format"
import type { SiteStats, StackFrame } from "./leak-heap.ts"

/** The sample types, in Go's order; a sample's values follow it. */
export const HEAP_SAMPLE_TYPES = ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"] as const
/** One sample type of a heap profile. */
export type HeapSampleType = (typeof HEAP_SAMPLE_TYPES)[number]

/** Options of {@link heapProfile}. */
export interface HeapProfileOptions {
  /** When the profile was taken, simulated ns since the simulation's start. Default 0. */
  readonly timeNanos?: number
  /** The span the profile covers, simulated ns. Default 0. */
  readonly durationNanos?: number
}

/** A sample's value of `type` for `stats`. */
export function heapValue(stats: SiteStats, type: HeapSampleType): number {
  switch (type) {
    case "alloc_objects":
      return stats.allocObjects
    case "alloc_space":
      return stats.allocBytes
    case "inuse_objects":
      return stats.inUseObjects
    case "inuse_space":
      return stats.inUseBytes
  }
}

/** The profile.proto bytes (not gzipped) of a heap profile with one sample per site in `sites`. */
export function heapProfile(sites: readonly SiteStats[], options: HeapProfileOptions = {}): Uint8Array {
  const strings = new StringTable()
  const functions = new Map<string, PprofFunction>()
  const locations = new Map<string, Location>()
  const locationOf = (frame: StackFrame): Location => {
    const key = `${frame.function}\u0000${frame.file}\u0000${frame.line}`
    let location = locations.get(key)
    if (location === undefined) {
      let fn = functions.get(`${frame.function}\u0000${frame.file}`)
      if (fn === undefined) {
        const name = strings.dedup(frame.function)
        fn = new PprofFunction({ id: functions.size + 1, name, systemName: name, filename: strings.dedup(frame.file) })
        functions.set(`${frame.function}\u0000${frame.file}`, fn)
      }
      const id = locations.size + 1
      location = new Location({
        id,
        address: 0x1000 + id * 0x10,
        line: [new Line({ functionId: fn.id, line: frame.line })],
      })
      locations.set(key, location)
    }
    return location
  }
  const sampleType = HEAP_SAMPLE_TYPES.map(
    (type) =>
      new ValueType({ type: strings.dedup(type), unit: strings.dedup(type.endsWith("objects") ? "count" : "bytes") }),
  )
  const bytesKey = strings.dedup("bytes")
  const sample = sites.map(
    (stats) =>
      new Sample({
        locationId: stats.site.stack.map((frame) => locationOf(frame).id),
        value: HEAP_SAMPLE_TYPES.map((type) => heapValue(stats, type)),
        label: [new Label({ key: bytesKey, num: stats.site.objectBytes })],
      }),
  )
  const profile = new Profile({
    sampleType,
    sample,
    location: [...locations.values()],
    function: [...functions.values()],
    stringTable: strings,
    timeNanos: options.timeNanos ?? 0,
    durationNanos: options.durationNanos ?? 0,
    periodType: new ValueType({ type: strings.dedup("space"), unit: strings.dedup("bytes") }),
    period: 1,
  })
  return profile.encode()
}
