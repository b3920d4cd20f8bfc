"""Runs the four SimPy workloads and writes bench/reference/simpy.json.

Each workload runs in a fresh interpreter, REPS times at the contract's default
sizes and at the small sizes the trajectory tests use; the entry keeps the
trajectory (events, simTime, meanWait) and the fastest run's timing.

Run from the repository root:
    PYTHONPATH=/path/to/simpy python3 bench/simpy/record_reference.py
"""

import json
import os
import platform
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
REPS = int(os.environ.get("REPS", "3"))
WORKLOADS = ["timeouts", "mm1", "mm2", "pingpong"]
SIZES = {
    "default": {"BENCH_PROCS": "1000", "BENCH_EVENTS": "1000000", "BENCH_CUSTOMERS": "200000", "BENCH_ITEMS": "500000"},
    "small": {"BENCH_PROCS": "50", "BENCH_EVENTS": "20000", "BENCH_CUSTOMERS": "5000", "BENCH_ITEMS": "5000"},
}
TRAJECTORY = ("events", "simTime", "meanWait")


def run_once(workload: str, sizes: dict) -> dict:
    env = dict(os.environ, **sizes)
    out = subprocess.run(
        [sys.executable, os.path.join(HERE, workload + ".py")],
        env=env, check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    import simpy

    results = {}
    for size_name, sizes in SIZES.items():
        results[size_name] = {}
        for workload in WORKLOADS:
            runs = [run_once(workload, sizes) for _ in range(REPS)]
            for other in runs[1:]:
                for key in TRAJECTORY:
                    if other.get(key) != runs[0].get(key):
                        raise SystemExit(f"{workload} {size_name}: {key} differs between runs")
            best = min(runs, key=lambda r: r["wallMs"])
            best["wallMsAll"] = [r["wallMs"] for r in runs]
            results[size_name][workload] = best
            print(json.dumps(best), file=sys.stderr)
    document = {
        "about": "SimPy results of the four workloads of bench/README.md; timing is the fastest of wallMsAll.",
        "simpy": {
            "version": getattr(simpy, "__version__", os.environ.get("SIMPY_VERSION", "unknown")),
            "source": os.environ.get("SIMPY_SOURCE", "unknown"),
        },
        "python": platform.python_version(),
        "machine": platform.machine(),
        "reps": REPS,
        "sizes": SIZES,
        "results": results,
    }
    path = os.path.join(ROOT, "bench", "reference", "simpy.json")
    with open(path, "w") as f:
        json.dump(document, f, indent=2)
        f.write("\n")
    print(path)


if __name__ == "__main__":
    main()
