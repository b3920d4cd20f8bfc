/**
 * The allocation sites of the leaking Go server (the program in
 * docs/go-concurrency.md#goroutine-leaks-and-the-heap, `handler.go` and `worker.go`): each site's
 * call stack, leaf first, with the file and line of each frame, and the size of the object it
 * allocates, rounded up to Go's size class as the heap profile reports it.
 *
 * The goroutine's stack is charged to `runtime.malg` (Go 1.19's runtime/proc.go lines): real Go
 * counts stack memory apart from the heap (`StackInuse`), but a leaked goroutine holds it all the
 * same, and charging it here lets one profile show everything a blocked goroutine keeps alive.
 */
import type { AllocationSite, StackFrame } from "./leak-heap.ts"

const handlerFrame = (line: number): StackFrame => ({ function: "main.handler", file: "handler.go", line })
const workerFrame = (line: number): StackFrame => ({ function: "main.worker", file: "worker.go", line })

/** `go worker(ctx, ch)` (handler.go:16): the new goroutine's 2 KiB starting stack. */
export const GOROUTINE_STACK_SITE: AllocationSite = {
  stack: [
    { function: "runtime.malg", file: "proc.go", line: 4080 },
    { function: "runtime.newproc1", file: "proc.go", line: 4123 },
    { function: "runtime.newproc.func1", file: "proc.go", line: 4098 },
    handlerFrame(16),
  ],
  objectBytes: 2048,
}

/** `ch := make(chan result)` (handler.go:15): the channel header, 96 bytes. */
export const UNBUFFERED_CHANNEL_SITE: AllocationSite = { stack: [handlerFrame(15)], objectBytes: 96 }

/** `ch := make(chan result, 1)` (handler.go:15): the header and one 24-byte slot, in the 128-byte class. */
export const BUFFERED_CHANNEL_SITE: AllocationSite = { stack: [handlerFrame(15)], objectBytes: 128 }

/** `buf := make([]byte, 16<<10)` (worker.go:9): the worker's scratch space, live until it returns. */
export const SCRATCH_SITE: AllocationSite = { stack: [workerFrame(9)], objectBytes: 16384 }

/** `result{body: make([]byte, 4<<10)}` (worker.go:16, called at worker.go:10): the result's body. */
export const RESULT_SITE: AllocationSite = {
  stack: [{ function: "main.compute", file: "worker.go", line: 16 }, workerFrame(10)],
  objectBytes: 4096,
}

/** `append([]byte("200 OK\n"), res.body...)` (handler.go:26, called at handler.go:19): 4,103 bytes in the 4,864-byte class. */
export const RESPONSE_SITE: AllocationSite = {
  stack: [{ function: "main.render", file: "handler.go", line: 26 }, handlerFrame(19)],
  objectBytes: 4864,
}
