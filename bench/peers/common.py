"""Shared helpers of the peer benchmarks: one thread, warm-up, repeats, median / min / max as schedlab's bench reports."""
import os
import statistics
import sys
import time

# One thread, as the peer figures were measured (and as schedlab's single-process cases run).
for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(var, "1")


def measure(name, run, repeats=5, warmup=1):
    """`run()` does the work and returns the number of units (steps); prints and returns the median rate."""
    for _ in range(warmup):
        run()
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        units = run()
        rates.append(units / (time.perf_counter() - t0))
    med = statistics.median(rates)
    print(f"{name}: {med:,.0f} steps/s (min {min(rates):,.0f}, max {max(rates):,.0f}, {repeats} runs)", flush=True)
    return med


def need_dir(var, what):
    """The checkout named by environment variable `var`, or exit 3 (skipped) saying how to get it."""
    path = os.environ.get(var)
    if not path or not os.path.isdir(path):
        print(f"skipped: set {var} to a checkout of {what}", file=sys.stderr)
        sys.exit(3)
    sys.path.insert(0, path)
    return path
