/** Silberschatz's banker's snapshot T0 (A=10, B=5, C=7 in all), shared by the deadlock tests. */
import type { BankersState } from "../../../src/models/deadlock/index.ts"

export const SILBERSCHATZ_T0: BankersState = {
  available: [3, 3, 2],
  max: [
    [7, 5, 3],
    [3, 2, 2],
    [9, 0, 2],
    [2, 2, 2],
    [4, 3, 3],
  ],
  allocation: [
    [0, 1, 0],
    [2, 0, 0],
    [3, 0, 2],
    [2, 1, 1],
    [0, 0, 2],
  ],
}
