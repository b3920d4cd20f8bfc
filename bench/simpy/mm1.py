"""SimPy version of the `mm1` workload of bench/README.md: M/M/1, lambda 0.9, mu 1.

Run: PYTHONPATH=/path/to/simpy python3 bench/simpy/mm1.py
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _queue import run  # noqa: E402

if __name__ == "__main__":
    customers = int(os.environ.get("BENCH_CUSTOMERS", "200000"))
    print(json.dumps(run("mm1", customers, 1, 0.9, 1), separators=(",", ":")))
