# Random small programs (not from SimPy's docs) on processes, events and conditions, for a
# differential test: processes that time out, trigger and wait for shared events, join and
# interrupt each other, spawn children, and wait for `|` and `&` conditions. A fixed seed draws
# each case's spec (integer times, so many same-instant ties); one JSON line holds the spec and
# what the case printed on SimPy. The TypeScript side is ports/fuzz-processes.ts.
import json
import random
import sys

import simpy

# argv: [seed [scale]] (scale multiplies the number of cases) explores beyond the recorded set;
# record.py runs it without arguments.
rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 7122026)
SCALE = int(sys.argv[2]) if len(sys.argv) > 2 else 1
KINDS = ['timeout', 'succeed', 'wait', 'join', 'interrupt', 'any', 'all', 'child']


def spec():
    n = rng.randint(2, 5)
    procs = []
    for i in range(n):
        ops = []
        for _ in range(rng.randint(1, 5)):
            kind = rng.choice(KINDS)
            ops.append({'op': kind, 'd': rng.randint(0, 3), 'e': rng.randint(0, 2),
                        'p': rng.randint(0, n - 1)})
        procs.append({'name': f'p{i}', 'ops': ops})
    return {'events': 3, 'procs': procs}


def run(spec):
    env = simpy.Environment()
    out = []
    events = [env.event() for _ in range(spec['events'])]
    procs = []

    def log(name, what):
        out.append(f'{env.now} {name} {what}')

    def child(name, d):
        yield env.timeout(d)
        log(name, 'child ends')
        return f'{name}-child'

    def body(me, ops):
        for step, op in enumerate(ops):
            kind = op['op']
            try:
                if kind == 'timeout':
                    yield env.timeout(op['d'])
                    log(me, f'slept {op["d"]}')
                elif kind == 'succeed':
                    event = events[op['e']]
                    if not event.triggered:
                        event.succeed(f'{me}:{step}')
                        log(me, f'succeeds e{op["e"]}')
                elif kind == 'wait':
                    value = yield events[op['e']]
                    log(me, f'e{op["e"]} gave {value}')
                elif kind == 'join':
                    target = procs[op['p']]
                    if target is not env.active_process:
                        value = yield target
                        log(me, f'joined p{op["p"]}: {value}')
                elif kind == 'interrupt':
                    target = procs[op['p']]
                    if target is not env.active_process and target.is_alive:
                        target.interrupt(f'{me}:{step}')
                        log(me, f'interrupts p{op["p"]}')
                elif kind == 'any':
                    t, e = env.timeout(op['d'], 't'), events[op['e']]
                    got = yield t | e
                    log(me, f'any: t {t in got} e{op["e"]} {e in got}')
                elif kind == 'all':
                    t, e = env.timeout(op['d'], 't'), events[op['e']]
                    yield t & e
                    log(me, f'all: t and e{op["e"]}')
                elif kind == 'child':
                    value = yield env.process(child(me, op['d']))
                    log(me, f'child gave {value}')
            except simpy.Interrupt as interrupt:
                log(me, f'interrupted by {interrupt.cause}')
        log(me, 'ends')
        return f'{me}-result'

    for p in spec['procs']:
        procs.append(env.process(body(p['name'], p['ops'])))
    env.run()
    out.append(f'end {env.now}')
    return out


for _ in range(300 * SCALE):
    case = spec()
    print(json.dumps({'spec': case, 'lines': run(case)}))
