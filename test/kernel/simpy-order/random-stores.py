# Random scenarios for Store, FilterStore, PriorityStore and Container: producers and consumers on
# a 0.5 time grid (many same-instant collisions), some consumers impatient (`with store.get()`
# cancels the get on exit). Run with SimPy; writes random-stores.json: each scenario and SimPy's
# lines. Replayed by test/kernel/simpy-differential.test.ts.
# Regenerate: PYTHONPATH=<simpy>/src python3 random-stores.py
import json
import random
import simpy
from simpy.resources.store import PriorityItem

def run(s):
    env = simpy.Environment()
    kind, capacity = s["kind"], s["capacity"] if s["capacity"] is not None else float("inf")
    if kind == "store": store = simpy.Store(env, capacity)
    elif kind == "filter": store = simpy.FilterStore(env, capacity)
    elif kind == "priority": store = simpy.PriorityStore(env, capacity)
    else: store = simpy.Container(env, capacity, init=s["init"])
    lines = []
    def state():
        if kind == "container": return f"level={store.level:g}"
        items = [i.item for i in store.items] if kind == "priority" else store.items
        return "items=" + ",".join(items)
    log = lambda m: lines.append(f"{env.now:g} {m} {state()} puts={len(store.put_queue)} gets={len(store.get_queue)}")
    def producer(p):
        yield env.timeout(p["start"])
        for op in p["ops"]:
            yield env.timeout(op["gap"])
            if kind == "container": event = store.put(op["amount"]); what = op["amount"]
            elif kind == "priority": event = store.put(PriorityItem(op["priority"], op["item"])); what = op["item"]
            else: event = store.put(op["item"]); what = op["item"]
            log(f"{p['name']} puts {what}")
            yield event
            log(f"{p['name']} put {what}")
    def consumer(c):
        yield env.timeout(c["start"])
        for op in c["ops"]:
            yield env.timeout(op["gap"])
            if kind == "container": get = store.get(op["amount"])
            elif kind == "filter" and op["color"] is not None:
                color = op["color"]
                get = store.get(lambda item: item.startswith(color))
            else: get = store.get()
            with get:
                if op["patience"] is None: yield get
                else:
                    yield get | env.timeout(op["patience"])
                    if not get.triggered:
                        log(f"{c['name']} gave up")
                        continue
                value = op["amount"] if kind == "container" else (get.value.item if kind == "priority" else get.value)
                log(f"{c['name']} got {value}")
    for p in s["producers"]: env.process(producer(p))
    for c in s["consumers"]: env.process(consumer(c))
    env.run()
    return lines

rng = random.Random(21)
colors = ["red", "blue", "green"]
scenarios = []
count = 0
for i in range(60):
    kind = ["store", "filter", "priority", "container"][i % 4]
    capacity = rng.choice([None, 1, 2, 3]) if kind != "container" else rng.choice([None, 5, 8])
    s = {"kind": kind, "capacity": capacity, "init": rng.randint(0, 3) if kind == "container" else 0, "producers": [], "consumers": []}
    for j in range(rng.randint(1, 3)):
        ops = []
        for _ in range(rng.randint(1, 4)):
            count += 1
            ops.append({"gap": rng.randint(0, 3) / 2, "item": f"{rng.choice(colors)}-{count}", "priority": rng.randint(0, 2), "amount": rng.randint(1, 4)})
        s["producers"].append({"name": f"p{j}", "start": rng.randint(0, 4) / 2, "ops": ops})
    for j in range(rng.randint(1, 3)):
        ops = [{"gap": rng.randint(0, 3) / 2, "color": rng.choice(colors + [None]), "amount": rng.randint(1, 4),
                "patience": None if rng.random() < 0.7 else rng.randint(0, 3) / 2} for _ in range(rng.randint(1, 4))]
        s["consumers"].append({"name": f"c{j}", "start": rng.randint(0, 4) / 2, "ops": ops})
    s["lines"] = run(s)
    scenarios.append(s)
with open("random-stores.json", "w") as f:
    json.dump(scenarios, f, indent=1)
print(sum(len(s["lines"]) for s in scenarios), "lines")
