"""SimPy version of the `mm2` workload of bench/README.md: M/M/2, lambda 1.8, mu 1.

Run: PYTHONPATH=/path/to/simpy python3 bench/simpy/mm2.py
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _queue import run  # noqa: E402

if __name__ == "__main__":
    customers = int(os.environ.get("BENCH_CUSTOMERS", "200000"))
    print(json.dumps(run("mm2", customers, 2, 1.8, 1), separators=(",", ":")))
