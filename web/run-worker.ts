/**
 * The playground's run worker: every run happens here, off the page's thread, so a long run does
 * not freeze the page and Cancel can end it (the page terminates the worker). It answers
 * {@link RunRequest}s from web/run-client.ts with the same runner as the command line
 * (web/run-answer.ts).
 *
 * This file is bundled on its own (scripts/build-web.ts), with the engine math and nothing else:
 * the math must be installed before any chunk of the app loads, because the bundle's `a ** b`
 * helper takes `Math.pow` once, when its chunk loads (web/engine-math-install.ts). So the runner,
 * an entry of the app's bundle, is imported by its URL after the install.
 */
import "./engine-math-install.ts"
import type { RunRequest, RunResponse } from "./run-protocol.ts"

declare const self: {
  onmessage: ((event: { readonly data: RunRequest }) => void) | null
  postMessage(message: RunResponse): void
}

/** The app bundle's runner, next to this file (a URL, so this bundle does not include it). */
const RUNNER_URL = new URL("./run-answer.js", import.meta.url).href

const runner = import(/* @vite-ignore */ RUNNER_URL) as Promise<typeof import("./run-answer.ts")>

self.onmessage = (event) => {
  void runner
    .then(({ answer }) => answer(event.data, (notice) => self.postMessage(notice)))
    .then((response) => self.postMessage(response))
}
