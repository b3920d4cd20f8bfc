# Doctests of SimPy 4.1.2's docs/simpy_intro/process_interaction.rst, extracted in order by
# `record.py --extract` (doctest's parser) into one script. Edits, each marked by a comment: an
# expression whose value the doctest shows is printed; a repr with a memory address is replaced
# by a name or a length; an assert also prints what it checks.
class Car(object):
    def __init__(self, env):
        self.env = env
        # Start the run process everytime an instance is created.
        self.action = env.process(self.run())

    def run(self):
        while True:
            print('Start parking and charging at %d' % self.env.now)
            charge_duration = 5
            # We yield the process that process() returns
            # to wait for it to finish
            yield self.env.process(self.charge(charge_duration))

            # The charge process has finished and
            # we can start driving again.
            print('Start driving at %d' % self.env.now)
            trip_duration = 2
            yield self.env.timeout(trip_duration)

    def charge(self, duration):
        yield self.env.timeout(duration)
import simpy
env = simpy.Environment()
car = Car(env)
env.run(until=15)
def driver(env, car):
    yield env.timeout(3)
    car.action.interrupt()
class Car(object):
    def __init__(self, env):
        self.env = env
        self.action = env.process(self.run())

    def run(self):
        while True:
            print('Start parking and charging at %d' % self.env.now)
            charge_duration = 5
            # We may get interrupted while charging the battery
            try:
                yield self.env.process(self.charge(charge_duration))
            except simpy.Interrupt:
                # When we received an interrupt, we stop charging and
                # switch to the "driving" state
                print('Was interrupted. Hope, the battery is full enough ...')

            print('Start driving at %d' % self.env.now)
            trip_duration = 2
            yield self.env.timeout(trip_duration)

    def charge(self, duration):
        yield self.env.timeout(duration)
env = simpy.Environment()
car = Car(env)
env.process(driver(env, car))
env.run(until=15)
