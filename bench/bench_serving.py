"""Serving-model throughput: 20 pods at 2,000 requests a second with a spike to 3x, request by
request through each app's worker pool and queue.

Run: ``.venv/bin/python bench/bench_serving.py`` (results go to docs/benchmarks.md, "Serving
model"). A Deployment of 20 replicas on 4 nodes, each app with a lognormal service time (median
40 ms, p99 200 ms), a queue of 200 and clients that give up after 5 s; readiness and liveness
probes on paths served in the same queue. Traffic is 2,000 requests a second, 6,000 from 200 s to
300 s. Two sizes of worker pool: 8 workers (capacity about 3,200 a second: the spike overflows it,
queues fill, liveness probes time out, pods restart, and most requests wait in a queue) and 32
workers (the spike fits: few requests ever wait). Measures the headless command (``python -m
simulator run FILE --json``) on 600 s: CPU and wall time, best and median of 7 runs, and simulated
seconds per second.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DURATION = 600
RUNS = 7

SCENARIO = {
    "apiVersion": "podviz/v1",
    "kind": "Scenario",
    "metadata": {"name": "bench-serving"},
    "spec": {
        "duration": DURATION,
        "seed": 1,
        "cluster": {"nodes": 4},
        "traffic": {"requestsPerSecond": 2000, "clientTimeoutSeconds": 5},
        "events": [
            {"at": 200, "action": "SetTraffic", "requestsPerSecond": 6000},
            {"at": 300, "action": "SetTraffic", "requestsPerSecond": 2000},
        ],
        "workload": {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {
                "replicas": 20,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {
                        "containers": [
                            {
                                "name": "app",
                                "image": "example/web:1",
                                "readinessProbe": {
                                    "httpGet": {"path": "/ready", "port": 8080},
                                    "periodSeconds": 5,
                                },
                                "livenessProbe": {
                                    "httpGet": {"path": "/healthz", "port": 8080},
                                    "periodSeconds": 10,
                                },
                            }
                        ]
                    },
                },
            },
        },
        "behavior": {
            "containers": {
                "app": {
                    "bootSeconds": 10,
                    "serving": {
                        "concurrency": 8,
                        "queueLimit": 200,
                        "latency": {"median": "40ms", "p99": "200ms"},
                    },
                }
            }
        },
    },
}


def scenario(workers: int) -> dict:
    """The benchmark's scenario with ``workers`` per app."""
    document = json.loads(json.dumps(SCENARIO))
    document["spec"]["behavior"]["containers"]["app"]["serving"]["concurrency"] = workers
    return document


def headless(path: str) -> tuple[float, float, dict]:
    """CPU (user + sys of the child) and wall seconds of one headless run, and its results."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "simulator", "run", path, "--json"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, json.loads(done.stdout)


def main() -> None:
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    start = time.perf_counter()
    for _ in range(10**7):
        pass
    print(f"machine: a 10^7-step Python loop takes {time.perf_counter() - start:.2f} s")
    for workers in (8, 32):
        measure(workers)


def measure(workers: int) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(scenario(workers), file)
    try:
        runs = [headless(file.name) for _ in range(RUNS)]
    finally:
        os.unlink(file.name)
    cpus = [cpu for cpu, _, _ in runs]
    walls = [wall for _, wall, _ in runs]
    print(
        f"{workers} workers, headless, 20 pods x {DURATION} s, {RUNS} runs: CPU best "
        f"{min(cpus):.2f} s, median {statistics.median(cpus):.2f} s; wall best {min(walls):.2f} s, "
        f"median {statistics.median(walls):.2f} s"
    )
    print(
        f"  speed: {DURATION / statistics.median(walls):.0f}x real time by median wall clock, "
        f"{DURATION / min(walls):.0f}x by best wall clock, "
        f"{DURATION / statistics.median(cpus):.0f}x by median CPU time"
    )
    variant = runs[0][2]["variants"][0]
    totals = variant["totals"]
    restarts = sum(pod["restarts"] for pod in variant["pods"])
    print(f"  requests {totals['requests']}, errors by cause {totals['errorsByCause']}")
    print(f"  mean seconds in system {totals['meanSecondsInSystem']}, restarts {restarts}")


if __name__ == "__main__":
    main()
