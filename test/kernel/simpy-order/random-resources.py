# Random scenarios for Resource, PriorityResource and PreemptiveResource, with many same-instant
# collisions (times on a 0.5 grid), run with SimPy; writes random-resources.json: each scenario and
# the lines SimPy printed for it. Replayed by test/kernel/simpy-differential.test.ts.
# Regenerate: PYTHONPATH=<simpy>/src python3 random-resources.py
import json
import random
import simpy

def run(kind, capacity, users):
    env = simpy.Environment()
    res = {"fifo": simpy.Resource, "priority": simpy.PriorityResource, "preemptive": simpy.PreemptiveResource}[kind](env, capacity=capacity)
    lines = []
    log = lambda m: lines.append(f"{env.now:g} {m} count={res.count} queue={len(res.queue)}")
    names = {}
    def user(u):
        yield env.timeout(u["arrive"])
        kwargs = {} if kind == "fifo" else {"priority": u["priority"], "preempt": u["preempt"]}
        with res.request(**kwargs) as req:
            try:
                if u["patience"] is None:
                    yield req
                else:
                    yield req | env.timeout(u["patience"])
                    if not req.triggered:
                        log(f"{u['name']} reneged")
                        return
                log(f"{u['name']} granted")
                yield env.timeout(u["hold"])
                log(f"{u['name']} done")
            except simpy.Interrupt as interrupt:
                log(f"{u['name']} preempted by {names[interrupt.cause.by]} since {interrupt.cause.usage_since:g}")
        log(f"{u['name']} left")
    for u in users:
        names[env.process(user(u))] = u["name"]
    env.run()
    return lines

rng = random.Random(15)
scenarios = []
for i in range(60):
    kind = ["fifo", "priority", "preemptive"][i % 3]
    users = []
    for j in range(rng.randint(2, 9)):
        users.append({
            "name": f"u{j}",
            "arrive": rng.randint(0, 8) / 2,
            "hold": rng.randint(0, 6) / 2,
            "priority": rng.randint(0, 3),
            "preempt": rng.random() < 0.7,
            "patience": None if rng.random() < 0.7 else rng.randint(0, 4) / 2,
        })
    scenario = {"kind": kind, "capacity": rng.randint(1, 3), "users": users}
    scenario["lines"] = run(kind, scenario["capacity"], users)
    scenarios.append(scenario)
with open("random-resources.json", "w") as f:
    json.dump(scenarios, f, indent=1)
print(sum(len(s["lines"]) for s in scenarios), "lines")
