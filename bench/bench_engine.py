"""Engine throughput: 200 replicas on 20 nodes, readiness + liveness, 5000 req/s.

Run: ``.venv/bin/python bench/bench_engine.py`` (results go to docs/benchmarks.md, "Engine").
Prints the machine's speed and load, the headless command on 720 s of two variants (CPU and wall
time, best and median of 5 runs), simulated seconds per wall second for one hour in process, the
seek (re-run) time, a live step of the 200-pod run (CPU and wall), and memory.
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
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.engine.simulation import Simulation
from simulator.scenario.types import (
    Behavior,
    ClusterSpec,
    ContainerBehavior,
    ContainerSpec,
    PodTemplate,
    Probe,
    Scenario,
    ScenarioEvent,
    ServiceSpec,
    TrafficSpec,
    VariantSpec,
    Workload,
)

DURATION = 3600.0
REPLICAS = 200
NODES = tuple(f"node{k}" for k in range(1, 21))
RATE = 5000.0


def variant(name: str, period: int) -> VariantSpec:
    readiness = Probe(handler="httpGet", port=8080, path="/ready", period_seconds=period)
    liveness = Probe(
        handler="httpGet",
        port=8080,
        path="/healthz",
        period_seconds=period,
        initial_delay_seconds=30,
    )
    container = ContainerSpec(
        name="app", image="web:1", readiness_probe=readiness, liveness_probe=liveness
    )
    return VariantSpec(
        name=name,
        workload=Workload(
            kind="Deployment",
            name="web",
            template=PodTemplate(containers=(container,)),
            replicas=REPLICAS,
        ),
        cluster=ClusterSpec(nodes=NODES),
        service=ServiceSpec(),
        traffic=TrafficSpec(requests_per_second=RATE),
        behavior=Behavior(containers={"app": ContainerBehavior(boot_seconds=20)}),
    )


def scenario() -> Scenario:
    events = (
        ScenarioEvent(at=600, action="NodeDown", node="node3"),
        ScenarioEvent(at=1200, action="AppHang", pod="web-7"),
        ScenarioEvent(at=1800, action="RolloutRestart"),
        ScenarioEvent(at=2400, action="NodeUp", node="node3"),
    )
    return Scenario(
        name="bench",
        duration=DURATION,
        seed=1,
        variants=(variant("period-10s", 10), variant("period-5s", 5)),
        events=events,
    )


# The headless case: the same cluster for 720 s, two variants, through `python -m simulator run
# --json` (200 pods x 720 s x 2 variants = 288 000 pod-seconds, within the run budget).
CLI_SCENARIO = """\
apiVersion: podviz/v1
kind: Scenario
metadata: {name: bench-headless}
spec:
  duration: 720
  seed: 1
  cluster: {nodes: 20}
  traffic: {requestsPerSecond: 5000}
  workload:
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 200
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers:
          - name: app
            image: web:1
            readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 10}
            livenessProbe:
              httpGet: {path: /healthz, port: 8080}
              periodSeconds: 10
              initialDelaySeconds: 30
  behavior:
    containers:
      app: {bootSeconds: 20}
  events:
  - {at: 120, action: NodeDown, node: node3}
  - {at: 240, action: AppHang, pod: web-7}
  - {at: 360, action: RolloutRestart}
  - {at: 480, action: NodeUp, node: node3}
  variants:
  - name: period-10s
  - name: period-5s
    probes:
      readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 5}
      livenessProbe:
        httpGet: {path: /healthz, port: 8080}
        periodSeconds: 5
        initialDelaySeconds: 30
"""
CLI_DURATION = 720.0
CLI_VARIANTS = 2
HEADLESS_RUNS = 5


def machine_speed() -> float:
    """Seconds a 10^7-step Python loop takes here (the unit docs/benchmarks.md quotes)."""
    started = time.perf_counter()
    total = 0
    for step in range(10**7):
        total += step
    return time.perf_counter() - started


def headless_run(path: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `python -m simulator run FILE --json`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "simulator", "run", str(path), "--json"],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def run_once() -> tuple[float, Simulation]:
    started = time.perf_counter()
    simulation = Simulation(scenario())
    simulation.advance_to(DURATION)
    return time.perf_counter() - started, simulation


def _best_and_median(values: list[float]) -> str:
    ordered = sorted(values)
    return f"best {ordered[0]:.2f} s, median {statistics.median(ordered):.2f} s"


def main() -> None:
    print(f"load average: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    print(f"machine: a 10^7-step Python loop takes {machine_speed():.2f} s")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench-headless.yaml"
        path.write_text(CLI_SCENARIO)
        headless = [headless_run(path) for _ in range(HEADLESS_RUNS)]
    walls = [wall for wall, _ in headless]
    cpus = [cpu for _, cpu in headless]
    lane_seconds = CLI_DURATION * CLI_VARIANTS
    print(
        f"headless, 200 pods x {CLI_VARIANTS} variants x {CLI_DURATION:.0f} s, "
        f"{HEADLESS_RUNS} runs: CPU {_best_and_median(cpus)}; wall {_best_and_median(walls)}"
    )
    print(
        f"  per variant: {lane_seconds / min(cpus):.0f}x real time by best CPU time, "
        f"{lane_seconds / statistics.median(cpus):.0f}x by median CPU time, "
        f"{lane_seconds / min(walls):.0f}x by best wall clock"
    )
    runs = [run_once() for _ in range(3)]
    elapsed = min(seconds for seconds, _ in runs)
    simulation = runs[0][1]
    lanes = len(simulation.lanes)
    print(f"one hour, {lanes} variants: {elapsed:.2f} s wall (best of 3)")
    print(f"speed: {DURATION / elapsed:.0f}x real time for all variants together")
    print(f"speed: {DURATION * lanes / elapsed:.0f}x real time per variant")
    results = simulation.results()
    encoded = json.dumps(results, sort_keys=True)
    print(f"results document: {len(encoded) / 1e6:.1f} MB")
    for lane in results["variants"]:
        print(f"  {lane['name']}: {lane['totals']}")

    started, started_cpu = time.perf_counter(), time.process_time()
    seek = Simulation(
        scenario(), injected=[ScenarioEvent(at=900.0, action="AppCrash", pod="web-3")]
    )
    seek.advance_to(1800)
    print(
        f"seek to 30 min (re-run with one injected event): "
        f"{time.process_time() - started_cpu:.2f} s CPU, {time.perf_counter() - started:.2f} s wall"
    )

    live = Simulation(scenario())
    started, started_cpu = time.perf_counter(), time.process_time()
    step = 0.1
    while not live.finished and live.now < 300:
        live.advance_to(live.now + step)
        for lane in live.lanes:
            lane.snapshot()
    live_elapsed = time.perf_counter() - started
    live_cpu = time.process_time() - started_cpu
    steps = 3000
    print(
        f"live: 300 s at 10 Hz with a snapshot of each lane per step: {live_elapsed:.2f} s wall, "
        f"{1000 * live_elapsed / steps:.1f} ms per step ({1000 * live_cpu / steps:.1f} ms CPU)"
    )

    tracemalloc.start()
    run_once()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak traced memory during a run: {peak / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
