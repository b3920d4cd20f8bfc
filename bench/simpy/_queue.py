"""The M/M/c model shared by the SimPy `mm1` and `mm2` workloads (bench/README.md, "The workloads").

A source waits Exp(lambda) between arrivals (random.Random(2)) and spawns one
customer process per arrival; after the last customer it stops. A customer
requests a capacity-c FIFO resource, holds it for Exp(mu) drawn when service
starts (random.Random(3), so in service order), then releases it. The run goes
on until every customer is done.
"""

import random
import time

import simpy


def erlang_c_wait(servers: int, lam: float, mu: float) -> float:
    """Mean time in queue Wq of an M/M/c queue (Erlang C)."""
    load = lam / mu
    term = 1.0
    below = 0.0
    for k in range(servers):
        if k > 0:
            term *= load / k
        below += term
    top = term * load / servers * (servers / (servers - load))
    wait_probability = top / (below + top)
    return wait_probability / (servers * mu - lam)


def run(workload: str, customers: int, servers: int, lam: float, mu: float) -> dict:
    started = time.perf_counter()
    env = simpy.Environment()
    arrivals = random.Random(2)
    services = random.Random(3)
    server = simpy.Resource(env, capacity=servers)
    total_wait = [0.0]

    def customer(env):
        arrived = env.now
        request = server.request()
        yield request
        total_wait[0] += env.now - arrived
        yield env.timeout(services.expovariate(mu))
        server.release(request)

    def source(env):
        for _ in range(customers):
            yield env.timeout(arrivals.expovariate(lam))
            env.process(customer(env))

    env.process(source(env))
    env.run()
    wall_ms = (time.perf_counter() - started) * 1000.0
    events = 3 * customers
    mean_wait = total_wait[0] / customers
    analytic = erlang_c_wait(servers, lam, mu)
    return {
        "system": "simpy",
        "workload": workload,
        "events": events,
        "simTime": env.now,
        "wallMs": round(wall_ms, 1),
        "eventsPerSec": round(events / (wall_ms / 1000.0)),
        "customers": customers,
        "servers": servers,
        "lambda": lam,
        "mu": mu,
        "meanWait": mean_wait,
        "analyticWq": analytic,
        "relErr": abs(mean_wait - analytic) / analytic,
    }
