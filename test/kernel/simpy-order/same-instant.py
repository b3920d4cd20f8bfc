# Same-instant order of stores, filter stores, containers and resources: a waiter unblocked by a
# put, get or release is served when that event is processed, after the events already queued for
# the instant. Mirrored by test/kernel/same-instant-order.test.ts.
import simpy

def store_section():
    env = simpy.Environment()
    store = simpy.Store(env, capacity=1)
    log = lambda m: print(f"store {env.now:g}: {m} (items {store.items}, puts {len(store.put_queue)}, gets {len(store.get_queue)})")
    def consumer(name):
        item = yield store.get()
        log(f"{name} got {item}")
    def producer():
        yield env.timeout(1)
        marker = env.timeout(0)
        marker.callbacks.append(lambda e: log("marker queued before the put"))
        put = store.put("a")
        log("put a")
        store.put("b")
        log("put b")
        yield put
        log("put a processed")
    env.process(consumer("c1"))
    env.process(consumer("c2"))
    env.process(producer())
    env.run()

def filter_section():
    env = simpy.Environment()
    store = simpy.FilterStore(env)
    log = lambda m: print(f"filter {env.now:g}: {m} (items {store.items}, gets {len(store.get_queue)})")
    def consumer(name, wanted):
        item = yield store.get(lambda item: item.startswith(wanted))
        log(f"{name} got {item}")
    def producer():
        yield env.timeout(1)
        store.put("blue-1")
        store.put("red-1")
        log("put blue-1, red-1")
        late = store.get(lambda item: item.startswith("red"))
        log(f"late red get triggered: {late.triggered}")
        item = yield late
        log(f"late got {item}")
    env.process(consumer("red", "red"))
    env.process(consumer("blue", "blue"))
    env.process(producer())
    env.run()

def container_section():
    env = simpy.Environment()
    tank = simpy.Container(env, capacity=10, init=0)
    log = lambda m: print(f"tank {env.now:g}: {m} (level {tank.level}, puts {len(tank.put_queue)}, gets {len(tank.get_queue)})")
    def getter(name, amount):
        yield tank.get(amount)
        log(f"{name} got {amount}")
    def putter():
        yield env.timeout(1)
        tank.put(4)
        log("put 4")
        tank.put(3)
        log("put 3")
        yield tank.get(1)
        log("own get 1 processed")
    env.process(getter("g3", 3))
    env.process(getter("g2", 2))
    env.process(putter())
    env.run()

def resource_section():
    env = simpy.Environment()
    res = simpy.Resource(env, capacity=1)
    log = lambda m: print(f"resource {env.now:g}: {m} (count {res.count}, queue {len(res.queue)})")
    def user(name, arrive, hold):
        yield env.timeout(arrive)
        req = res.request()
        yield req
        log(f"{name} granted")
        yield env.timeout(hold)
        release = res.release(req)
        log(f"{name} released")
        newcomer = res.request()
        log(f"{name} saw newcomer granted: {newcomer.triggered}")
        yield release
        log(f"{name} release processed")
    env.process(user("u1", 0, 2))
    env.process(user("u2", 1, 1))
    env.run()

def priority_section():
    env = simpy.Environment()
    res = simpy.PriorityResource(env, capacity=1)
    log = lambda m: print(f"priority {env.now:g}: {m}")
    def user(name, arrive, priority, preempt):
        yield env.timeout(arrive)
        with res.request(priority=priority, preempt=preempt) as req:
            yield req
            log(f"{name} granted")
            yield env.timeout(1)
    env.process(user("holder", 0, 0, True))
    env.process(user("p1-polite-early", 0.5, 1, False))
    env.process(user("p1-late", 0.75, 1, True))
    env.process(user("p1-polite-same", 0.75, 1, False))
    env.process(user("p1-same", 0.75, 1, True))
    env.process(user("p0-last", 0.9, 0, False))
    env.run()

def preempt_section():
    env = simpy.Environment()
    res = simpy.PreemptiveResource(env, capacity=1)
    log = lambda m: print(f"preempt {env.now:g}: {m}")
    names = {}
    def user(name, arrive, priority, preempt, hold):
        yield env.timeout(arrive)
        with res.request(priority=priority, preempt=preempt) as req:
            try:
                yield req
                log(f"{name} granted")
                yield env.timeout(hold)
                log(f"{name} done")
            except simpy.Interrupt as interrupt:
                log(f"{name} preempted by {names[interrupt.cause.by]}, held since {interrupt.cause.usage_since:g}")
    for args in [("low", 0, 5, True, 10), ("mid-polite", 1, 1, False, 1), ("high", 2, 2, True, 1), ("top", 3, 0, True, 1)]:
        names[env.process(user(*args))] = args[0]
    env.run()

store_section()
filter_section()
container_section()
resource_section()
priority_section()
preempt_section()
