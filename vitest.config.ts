import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Bundles every sim once per run, for the tests that spawn one (test/sims/bundle-sims.ts).
    globalSetup: ["test/sims/bundle-setup.ts"],
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
    // restored after each run. CPU (user + system, children included) on 2026-12-07, isolated
    // then not: test/kernel 34 s, 18 s; every file outside test/sims 390 s, 267 s (import 133 s,
    // 21 s); test/sims with the lessons (spawns and sim runs, little import) 373 s, 398 s, within
    // the noise of the shared machine.
    isolate: false,
  },
})
