"""SimPy version of the `pingpong` workload of bench/README.md.

A producer puts BENCH_ITEMS items into a Store of capacity 1 with no delays
(everything happens at time 0); a consumer gets them. Every put and get goes
through the store and the scheduler. Prints one JSON line.

Run: PYTHONPATH=/path/to/simpy python3 bench/simpy/pingpong.py
"""

import json
import os
import time

import simpy


def run(items: int) -> dict:
    started = time.perf_counter()
    env = simpy.Environment()
    store = simpy.Store(env, capacity=1)
    received = [0]

    def producer(env):
        for item in range(items):
            yield store.put(item)

    def consumer(env):
        for _ in range(items):
            yield store.get()
            received[0] += 1

    env.process(producer(env))
    env.process(consumer(env))
    env.run()
    wall_ms = (time.perf_counter() - started) * 1000.0
    events = 2 * received[0]
    return {
        "system": "simpy",
        "workload": "pingpong",
        "events": events,
        "simTime": env.now,
        "wallMs": round(wall_ms, 1),
        "eventsPerSec": round(events / (wall_ms / 1000.0)),
        "items": items,
    }


if __name__ == "__main__":
    items = int(os.environ.get("BENCH_ITEMS", "500000"))
    print(json.dumps(run(items), separators=(",", ":")))
