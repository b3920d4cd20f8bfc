#!/usr/bin/env python3
"""Records what OSTEP's paging-policy.py answers, as fixtures for our differential test.

Usage:  python3 scripts/ostep-vm/paging-fixtures.py PATH/TO/paging-policy.py \
            > test/models/memory/paging-policy-fixtures.json

Get the script from remzi-arpacidusseau/ostep-homework (vm-beyondphys-policy/paging-policy.py);
do not commit it. The cases are drawn from a fixed seed, so a rerun writes the same file. Each case
holds OSTEP's command line, our sim's arguments for the same problem, and what OSTEP printed with
-c: per reference the page, HIT/MISS, the cache list and the victim, then hits, misses and hit
rate; or, for an input OSTEP cannot answer, the error it died with (ours must exit 2).
"""
import json
import random
import re
import subprocess
import sys

SCRIPT = sys.argv[1]
POLICIES = ["FIFO", "LRU", "OPT", "CLOCK", "RAND"]
ACCESS = re.compile(r"^Access: (\d+)  (MISS|HIT ) .*?-> +\[(.*)\] <- .*? Replaced:(\S+) \[Hits:(\d+) Misses:(\d+)\]$")
FINAL = re.compile(r"^FINALSTATS hits (\d+)   misses (\d+)   hitrate (\S+)$")


def run(args):
    done = subprocess.run(["python3", SCRIPT, *args, "-c"], capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr


def parse(stdout):
    accesses, final = [], None
    for line in stdout.splitlines():
        m = ACCESS.match(line)
        if m:
            frames = [int(x) for x in m.group(3).split(", ")] if m.group(3) else []
            victim = None if m.group(4) == "-" else int(m.group(4))
            accesses.append([int(m.group(1)), m.group(2) == "HIT ", victim, frames])
        m = FINAL.match(line)
        if m:
            final = (int(m.group(1)), int(m.group(2)), m.group(3))
    return accesses, final


def case(ostep_args, argv):
    code, stdout, stderr = run(ostep_args)
    command = "paging-policy.py " + " ".join(ostep_args) + " -c"
    if code != 0:
        last = stderr.strip().splitlines()[-1] if stderr.strip() else "exit %d" % code
        return {"ostep": command, "argv": argv, "error": last}
    accesses, final = parse(stdout)
    return {"ostep": command, "argv": argv, "hits": final[0], "misses": final[1], "hitrate": final[2],
            "accesses": accesses}


def random_case(rng):
    policy = rng.choice(POLICIES)
    seed, frames, bits = rng.randrange(0, 100000), rng.randint(1, 8), rng.randint(0, 4)
    common = ["-p", policy, "-C", str(frames), "-b", str(bits), "-s", str(seed)]
    ours = ["--policy", policy.lower(), "--frames", str(frames), "--clock-bits", str(bits), "--seed", str(seed)]
    if rng.random() < 0.5:
        n, m = rng.randint(1, 40), rng.randint(0, 15)
        return case(common + ["-n", str(n), "-m", str(m)], ours + ["--random-refs", str(n), "--max-page", str(m)])
    refs = ",".join(str(rng.randint(0, rng.randint(1, 12))) for _ in range(rng.randint(1, 30)))
    return case(common + ["-a", refs], ours + ["--refs", refs])


def error_cases():
    bad = [
        (["-C", "0", "-n", "5"], ["--frames", "0", "--random-refs", "5"]),
        (["-C", "0", "-a", "1,2,3"], ["--frames", "0", "--refs", "1,2,3"]),
        (["-p", "CLOCK", "-C", "0", "-s", "3", "-n", "4"], ["--policy", "clock", "--frames", "0", "--seed", "3", "--random-refs", "4"]),
        (["-a", "1,,2"], ["--refs", "1,,2"]),
        (["-a", "1,x,2"], ["--refs", "1,x,2"]),
        (["-a", "3,"], ["--refs", "3,"]),
        (["-a", ""], ["--refs", ""]),
        (["-a", "2.5"], ["--refs", "2.5"]),
    ]
    return [case(o, a) for o, a in bad]


def main():
    rng = random.Random(2026)
    books = [
        ("1,2,3,4,1,2,5,1,2,3,4,5", 3), ("1,2,3,4,1,2,5,1,2,3,4,5", 4),
        ("7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1", 3), ("0,1,2,0,1,3,0,3,1,2,1", 3),
    ]
    cases = []
    for refs, frames in books:
        for policy in POLICIES:
            cases.append(case(["-p", policy, "-C", str(frames), "-a", refs],
                              ["--policy", policy.lower(), "--frames", str(frames), "--refs", refs, "--seed", "0"]))
    cases.append(case(["-s", "10", "-n", "3"], ["--policy", "fifo", "--seed", "10", "--random-refs", "3"]))
    cases += [random_case(rng) for _ in range(400)]
    cases += error_cases()
    note = ("What OSTEP's paging-policy.py (remzi-arpacidusseau/ostep-homework, vm-beyondphys-policy) "
            "prints with -c under python3, recorded by scripts/ostep-vm/paging-fixtures.py. accesses: "
            "[page, hit, victim or null, cache list after]. error: OSTEP died (ours must exit 2). "
            "No OSTEP source here.")
    json.dump({"note": note, "cases": cases}, sys.stdout, indent=1)
    sys.stdout.write("\n")


main()
