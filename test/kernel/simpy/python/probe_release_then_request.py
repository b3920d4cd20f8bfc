# Minimal program (not from SimPy's docs): a holder releases and at once asks again with a better
# priority, while a worse request waits. The release only takes effect for the queue when its
# event is processed, but a new request looks at the head of the sorted queue right away: the new,
# better request is granted and the waiting one keeps waiting.
import simpy

env = simpy.Environment()
res = simpy.PriorityResource(env, capacity=1)


def holder(env):
    req = res.request(priority=5)
    yield req
    yield env.timeout(1)
    res.release(req)
    again = res.request(priority=0)
    print(env.now, 'holder asks again; granted at once:', again.triggered, 'count:', res.count)
    yield again
    print(env.now, 'holder got it again')
    yield env.timeout(1)
    res.release(again)


def waiter(env):
    req = res.request(priority=5)
    yield req
    print(env.now, 'waiter got it')
    res.release(req)


env.process(holder(env))
env.process(waiter(env))
env.run()
