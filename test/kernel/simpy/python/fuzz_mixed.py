# Random small programs (not from SimPy's docs) mixing processes and shared resources, for a
# differential test: requests with priorities, preemption and patience, store puts and gets with
# patience (withdrawn on giving up), container puts and gets, interrupts, shared events that
# succeed or fail, and nested conditions. A fixed seed draws each case's spec; one JSON line holds
# the spec and what the case printed on SimPy. The TypeScript side is ports/fuzz-mixed.ts.
import json
import random
import sys

import simpy

# argv: [seed [scale]] (scale multiplies the number of cases) explores beyond the recorded set;
# record.py runs it without arguments.
rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 4052026)
SCALE = int(sys.argv[2]) if len(sys.argv) > 2 else 1
KINDS = ['timeout', 'request', 'get', 'put', 'tank', 'interrupt', 'succeed', 'fail', 'wait', 'nested']


def spec():
    n = rng.randint(2, 6)
    procs = []
    for i in range(n):
        ops = []
        for _ in range(rng.randint(1, 6)):
            ops.append({'op': rng.choice(KINDS), 'd': rng.randint(0, 3), 'h': rng.randint(1, 3),
                        'pat': rng.choice([None, 0, 1, 2, 3]), 'r': rng.randint(0, 2),
                        'prio': rng.randint(0, 2), 'pre': rng.random() < 0.6,
                        'e': rng.randint(0, 2), 'p': rng.randint(0, n - 1), 'amt': rng.randint(1, 6)})
        procs.append({'name': f'p{i}', 'ops': ops})
    return {'procs': procs}


def run(spec):
    env = simpy.Environment()
    out = []
    resources = [simpy.Resource(env, capacity=1), simpy.PriorityResource(env, capacity=2),
                 simpy.PreemptiveResource(env, capacity=1)]
    store = simpy.Store(env, capacity=2)
    tank = simpy.Container(env, capacity=10, init=5)
    events = [env.event() for _ in range(3)]
    procs = []

    def log(name, what):
        out.append(f'{env.now} {name} {what} | r={[r.count for r in resources]} '
                   f'q={[len(r.queue) for r in resources]} s={len(store.items)} t={tank.level}')

    def patient(event, pat):
        """Waits for event, or gives up after pat; True if it happened."""
        if pat is None:
            yield event
            return True
        got = yield event | env.timeout(pat)
        return event in got

    def step(me, i, op):
        kind = op['op']
        if kind == 'timeout':
            yield env.timeout(op['d'])
            log(me, 'slept')
        elif kind == 'request':
            res = resources[op['r']]
            req = res.request() if op['r'] == 0 else res.request(priority=op['prio'], preempt=op['pre'])
            with req:
                log(me, f'requests r{op["r"]}')
                if not (yield from patient(req, op['pat'])):
                    log(me, f'reneges r{op["r"]}')
                    return
                log(me, f'holds r{op["r"]}')
                try:
                    yield env.timeout(op['h'])
                    log(me, f'releases r{op["r"]}')
                except simpy.Interrupt as interrupt:
                    log(me, f'loses r{op["r"]}: {type(interrupt.cause).__name__}')
        elif kind == 'get':
            get = store.get()
            log(me, 'gets')
            if (yield from patient(get, op['pat'])):
                log(me, f'got {get.value}')
            else:
                get.cancel()
                log(me, 'gives up getting')
        elif kind == 'put':
            put = store.put(f'{me}.{i}')
            log(me, f'puts {me}.{i}')
            if (yield from patient(put, op['pat'])):
                log(me, 'put in')
            else:
                put.cancel()
                log(me, 'gives up putting')
        elif kind == 'tank':
            event = tank.put(op['amt']) if op['pre'] else tank.get(op['amt'])
            log(me, f'tank {"put" if op["pre"] else "get"} {op["amt"]}')
            if (yield from patient(event, op['pat'])):
                log(me, 'tank done')
            else:
                event.cancel()
                log(me, 'gives up on tank')
        elif kind == 'interrupt':
            target = procs[op['p']]
            if target is not env.active_process and target.is_alive:
                target.interrupt(f'{me}.{i}')
                log(me, f'interrupts p{op["p"]}')
        elif kind == 'succeed':
            if not events[op['e']].triggered:
                events[op['e']].succeed(f'{me}.{i}')
                log(me, f'succeeds e{op["e"]}')
        elif kind == 'fail':
            if not events[op['e']].triggered:
                events[op['e']].fail(ValueError(f'{me}.{i}'))
                log(me, f'fails e{op["e"]}')
        elif kind == 'wait':
            value = yield events[op['e']]
            log(me, f'e{op["e"]} gave {value}')
        elif kind == 'nested':
            yield (env.timeout(op['d']) | events[op['e']]) & env.timeout(op['h'])
            log(me, 'nested done')

    def body(me, ops):
        for i, op in enumerate(ops):
            try:
                yield from step(me, i, op)
            except simpy.Interrupt as interrupt:
                cause = interrupt.cause
                log(me, f'interrupted by {"Preempted" if isinstance(cause, simpy.resources.resource.Preempted) else cause}')
            except ValueError as error:
                log(me, f'caught {error}')
        log(me, 'ends')

    for p in spec['procs']:
        procs.append(env.process(body(p['name'], p['ops'])))
    try:
        env.run(until=40)
    except ValueError as error:
        out.append(f'{env.now} run stopped by {error}')
    out.append(f'end {env.now}')
    return out


for _ in range(300 * SCALE):
    case = spec()
    print(json.dumps({'spec': case, 'lines': run(case)}))
