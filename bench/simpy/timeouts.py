"""SimPy version of the `timeouts` workload of bench/README.md.

BENCH_PROCS processes each loop forever on timeout(Exp(1)), all drawing from
one random.Random(1) stream; process i draws its first delay when it starts and
processes start in creation order. The run stops as soon as exactly
BENCH_EVENTS timeouts have completed. Prints one JSON line.

Run: PYTHONPATH=/path/to/simpy python3 bench/simpy/timeouts.py
"""

import json
import os
import random
import time

import simpy


def run(procs: int, events: int) -> dict:
    started = time.perf_counter()
    env = simpy.Environment()
    rng = random.Random(1)
    completed = [0]
    done = env.event()

    def sleeper(env):
        while True:
            yield env.timeout(rng.expovariate(1.0))
            completed[0] += 1
            if completed[0] == events:
                done.succeed()

    for _ in range(procs):
        env.process(sleeper(env))
    env.run(until=done)
    wall_ms = (time.perf_counter() - started) * 1000.0
    return {
        "system": "simpy",
        "workload": "timeouts",
        "events": completed[0],
        "simTime": env.now,
        "wallMs": round(wall_ms, 1),
        "eventsPerSec": round(completed[0] / (wall_ms / 1000.0)),
        "procs": procs,
    }


if __name__ == "__main__":
    procs = int(os.environ.get("BENCH_PROCS", "1000"))
    events = int(os.environ.get("BENCH_EVENTS", "1000000"))
    print(json.dumps(run(procs, events), separators=(",", ":")))
