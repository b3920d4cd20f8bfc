/** The run-budget calibration of every sized sim, text report (see budget-calibration.ts). */
import { calibrationSuite } from "./budget-calibration.ts"

calibrationSuite("text")
