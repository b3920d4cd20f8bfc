# Random small programs (not from SimPy's docs) on every shared resource, for a differential test:
# a fixed seed draws each case's spec (integer times, so many same-instant ties), the case runs on
# SimPy, and one JSON line holds the spec and everything the case printed. The TypeScript side
# (fuzz-shared-resources.ts) runs the same spec on the kernel and compares the lines.
import json
import random
import sys

import simpy

# argv: [seed [scale]] (scale multiplies the number of cases) explores beyond the recorded set;
# record.py runs it without arguments.
rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 20261207)
SCALE = int(sys.argv[2]) if len(sys.argv) > 2 else 1


def resource_spec(kind):
    users = []
    for i in range(rng.randint(2, 7)):
        users.append({
            'name': f'u{i}',
            'start': rng.randint(0, 4),
            'prio': rng.randint(0, 2),
            'preempt': rng.random() < 0.6,
            'hold': rng.randint(1, 4),
            'patience': None if rng.random() < 0.6 else rng.randint(0, 3),
        })
    return {'kind': kind, 'capacity': rng.randint(1, 3), 'users': users}


def run_resource(spec):
    env = simpy.Environment()
    kind = spec['kind']
    res = getattr(simpy, kind)(env, capacity=spec['capacity'])
    out = []

    def log(u, what):
        out.append(f'{env.now} {u["name"]} {what} count={res.count} queue={len(res.queue)}')

    def user(u):
        yield env.timeout(u['start'])
        if kind == 'Resource':
            req = res.request()
        else:
            req = res.request(priority=u['prio'], preempt=u['preempt'])
        with req:
            log(u, 'requests')
            try:
                if u['patience'] is None:
                    yield req
                else:
                    got = yield req | env.timeout(u['patience'])
                    if req not in got:
                        log(u, 'reneges')
                        return
                log(u, 'granted')
                yield env.timeout(u['hold'])
                log(u, 'done')
            except simpy.Interrupt:
                log(u, 'preempted')
        log(u, 'left')

    for u in spec['users']:
        env.process(user(u))
    env.run()
    return out


def store_spec(kind):
    producers = [{'name': f'p{i}', 'start': rng.randint(0, 3), 'wait': rng.random() < 0.5,
                  'items': [rng.randint(0, 5) for _ in range(rng.randint(1, 4))]}
                 for i in range(rng.randint(1, 3))]
    consumers = [{'name': f'c{i}', 'start': rng.randint(0, 3), 'gets': rng.randint(1, 3),
                  'mod': rng.randint(1, 3), 'pause': rng.randint(0, 2)}
                 for i in range(rng.randint(1, 3))]
    capacity = rng.choice([1, 2, 3, None])
    return {'kind': kind, 'capacity': capacity, 'producers': producers, 'consumers': consumers}


def run_store(spec):
    env = simpy.Environment()
    kind = spec['kind']
    capacity = spec['capacity'] if spec['capacity'] is not None else float('inf')
    store = getattr(simpy, kind)(env, capacity=capacity)
    out = []
    serial = [0]

    def log(name, what):
        out.append(f'{env.now} {name} {what} size={len(store.items)}')

    def producer(p):
        yield env.timeout(p['start'])
        for value in p['items']:
            serial[0] += 1
            label = f'{p["name"]}-{serial[0]}'
            item = simpy.PriorityItem(value, label) if kind == 'PriorityStore' else (value, label)
            put = store.put(item)
            log(p['name'], f'puts {label}')
            if p['wait']:
                yield put
                log(p['name'], f'put {label} in')
        yield env.timeout(0)

    def consumer(c):
        yield env.timeout(c['start'])
        for k in range(c['gets']):
            if kind == 'FilterStore':
                get = store.get(lambda item, c=c, k=k: item[0] % c['mod'] == k % c['mod'])
            else:
                get = store.get()
            log(c['name'], 'gets')
            item = yield get
            log(c['name'], f'got {item[1]}')
            yield env.timeout(c['pause'])

    for p in spec['producers']:
        env.process(producer(p))
    for c in spec['consumers']:
        env.process(consumer(c))
    env.run(until=30)
    return out


def container_spec():
    capacity = rng.randint(5, 12)
    actors = [{'name': f'a{i}', 'start': rng.randint(0, 3), 'ops': [
        [rng.choice(['put', 'get']), rng.randint(1, capacity)] for _ in range(rng.randint(1, 3))]}
        for i in range(rng.randint(2, 5))]
    return {'kind': 'Container', 'capacity': capacity, 'init': rng.randint(0, capacity), 'actors': actors}


def run_container(spec):
    env = simpy.Environment()
    tank = simpy.Container(env, capacity=spec['capacity'], init=spec['init'])
    out = []

    def actor(a):
        yield env.timeout(a['start'])
        for op, amount in a['ops']:
            event = tank.put(amount) if op == 'put' else tank.get(amount)
            out.append(f'{env.now} {a["name"]} {op} {amount} level={tank.level}')
            yield event
            out.append(f'{env.now} {a["name"]} {op} {amount} done level={tank.level}')

    for a in spec['actors']:
        env.process(actor(a))
    env.run(until=30)
    return out


cases = []
for kind in ['Resource', 'PriorityResource', 'PreemptiveResource']:
    cases += [(resource_spec(kind), run_resource) for _ in range(60 * SCALE)]
for kind in ['Store', 'FilterStore', 'PriorityStore']:
    cases += [(store_spec(kind), run_store) for _ in range(60 * SCALE)]
cases += [(container_spec(), run_container) for _ in range(60 * SCALE)]
for spec, run in cases:
    print(json.dumps({'spec': spec, 'lines': run(spec)}))
