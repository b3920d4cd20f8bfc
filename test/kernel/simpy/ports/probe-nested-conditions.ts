/** Port of python/probe_nested_conditions.py: the value of nested conditions. */
import type { ConditionValue } from "../../../../src/kernel/index.ts"
import { Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"

export const probeNestedConditions: Port = (print) => {
  const pyList = (items: readonly (string | boolean)[]) =>
    `[${items.map((item) => (typeof item === "string" ? `'${item}'` : item ? "True" : "False")).join(", ")}]`
  const show = (env: Simulation, r: ConditionValue, events: readonly unknown[]) =>
    print(
      `${env.now} ${pyList(events.map((e) => r.has(e as never)))} ${pyList(r.events.map((e) => e.value as string))}`,
    )

  function* proc(env: Simulation) {
    const [e1, e2, e3] = [env.timeout(0, "a"), env.timeout(1, "b"), env.timeout(2, "c")]
    // SimPy's `&` gives a ConditionValue; a kernel whose allOf gives an array fails here (the cast).
    let r = (yield* env.allOf([env.anyOf([e1, e2]), e3])) as unknown as ConditionValue
    show(env, r, [e1, e2, e3])
    const [e4, e5, e6] = [env.timeout(1, "d"), env.timeout(1, "e"), env.timeout(3, "f")]
    r = yield* env.anyOf([env.allOf([e4, e5]), e6])
    show(env, r, [e4, e5, e6])
  }
  const env = new Simulation()
  env.spawn(proc(env))
  env.run()
}
