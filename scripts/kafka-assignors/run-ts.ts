/** Reads assignor cases (case-format.ts) on stdin and prints this repository's answers, one per line. */
import { readFileSync } from "node:fs"
import { assign } from "../../src/models/kafka/group/index.ts"
import { formatAssignment, parseCase } from "./case-format.ts"

for (const line of readFileSync(0, "utf8").split("\n")) {
  if (line.trim() === "") continue
  const c = parseCase(line)
  try {
    console.log(formatAssignment(assign(c.assignor, c.partitionsPerTopic, c.members)))
  } catch (error) {
    console.log(`ERROR ${error instanceof Error ? error.message : String(error)}`)
  }
}
