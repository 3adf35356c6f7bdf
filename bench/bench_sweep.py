"""Sweep speed: one process, a local process pool, and a Dask cluster of 1, 2 and 4 workers.

Run: ``.venv/bin/python bench/bench_sweep.py`` (results go to docs/benchmarks.md, "Sweeps").
The sweep: the seed story (900 simulated s, four lanes) for 24 combinations of its readiness
probe's period and failure threshold. Each Dask cluster is a scheduler and N single-threaded
worker processes on this machine; its start-up is not timed, and one warm-up task per worker
runs first so the timed sweep does not pay the workers' imports.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.scenario.presets import load_preset  # noqa: E402
from simulator.sweep.grid import combinations, parse_vary  # noqa: E402
from simulator.sweep.runner import run_sweep  # noqa: E402
from tests.support.devserver import free_port  # noqa: E402

DASK = Path(sys.executable).parent / "dask"
GRID = combinations(
    [
        parse_vary("readinessProbe.periodSeconds=1,2,3,4,5,6,7,8"),
        parse_vary("readinessProbe.failureThreshold=1,3,5"),
    ]
)


def loop_seconds() -> float:
    """This machine's speed: a 10**7-step Python loop."""
    start = time.perf_counter()
    total = 0
    for step in range(10**7):
        total += step
    return time.perf_counter() - start


def timed(**options) -> float:
    document = dict(load_preset("seed-story").source)
    start = time.perf_counter()
    run_sweep(document, GRID, progress=None, **options)
    return time.perf_counter() - start


def on_cluster(workers: int) -> float:
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": ROOT}
    scheduler = ["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"]
    processes = [subprocess.Popen([str(DASK), *scheduler], env=environment, **quiet)]
    worker = ["worker", address, "--nthreads", "1", "--no-dashboard"]
    processes += [
        subprocess.Popen([str(DASK), *worker], env=environment, **quiet) for _ in range(workers)
    ]
    try:
        with Client(address, timeout=30) as client:
            client.wait_for_workers(workers, timeout=120)
        warm = combinations([parse_vary("readinessProbe.periodSeconds=" + ",".join(["9"] * 1))])
        run_sweep(
            dict(load_preset("seed-story").source), warm * workers, scheduler=address, progress=None
        )
        return timed(scheduler=address)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def main() -> None:
    print(
        f"10**7-step loop: {loop_seconds():.2f} s; load: {os.getloadavg()}; cores: {os.cpu_count()}"
    )
    print(f"cells: {len(GRID)} runs of the seed story (4 lanes, 900 s)")
    serial = timed(workers=1)
    print(f"one process: {serial:.2f} s")
    pool = timed(workers=os.cpu_count())
    print(f"process pool of {os.cpu_count()}: {pool:.2f} s (speed-up {serial / pool:.2f}×)")
    for workers in (1, 2, 4):
        seconds = on_cluster(workers)
        print(f"Dask, {workers} worker(s): {seconds:.2f} s (speed-up {serial / seconds:.2f}×)")
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
