/** The run-budget calibration of every sized sim, json report (see budget-calibration.ts). */
import { calibrationSuite } from "./budget-calibration.ts"

calibrationSuite("json")
