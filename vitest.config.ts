import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default is one worker fewer than the CPUs: a single worker on the 2-core machines
    // npm test must fit (10 minutes). Two workers: 346 s instead of 533 s on 2026-12-07, every test
    // passing (the run-budget calibrations measure a child's CPU time, not wall time).
    maxWorkers: 2,
    // One worker process runs many test files, each importing the modules the others have loaded,
    // instead of a fresh process and module graph per file (278 files). No test file relies on a
    // fresh module state: no mocks or stubbed globals, and src's module state (the table style) is
    // restored after each run. test/kernel: 34 s of CPU isolated, 18 s not (2026-12-07).
    isolate: false,
  },
})
