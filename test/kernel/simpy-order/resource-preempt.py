# PreemptiveResource: only the head of the line may preempt; the victim is the first user with the
# largest key (priority, time, not preempt), evicted only if that key is strictly larger.
# Mirrored by test/kernel/resource.test.ts (PreemptiveResource).
import simpy

def run(capacity, plan):
    env = simpy.Environment()
    cpu = simpy.PreemptiveResource(env, capacity=capacity)
    reqs = {}
    def user(name, priority, preempt):
        req = cpu.request(priority=priority, preempt=preempt)
        reqs[name] = req
        try:
            yield req
            yield env.timeout(100)
        except simpy.Interrupt as i:
            print(f"{env.now:g}: {name} preempted by {names[i.cause.by]} (usage since {i.cause.usage_since:g})")
    names = {}
    for name, priority, preempt in plan:
        names[env.process(user(name, priority, preempt))] = name
    env.run(until=0.5)
    print(" ".join(f"{n}={'user' if reqs[n] in cpu.users else ('queued' if reqs[n] in cpu.queue else 'out')}" for n, _, _ in plan),
          "count", cpu.count, "queue", len(cpu.queue))

run(3, [("a", 3, True), ("b", 7, True), ("c", 7, True), ("urgent", 0, True)])
run(1, [("low", 5, True), ("politeBest", 0, False), ("preemptor", 1, True)])
run(1, [("low", 5, True), ("polite", 0, False)])
