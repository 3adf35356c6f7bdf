"""Engine throughput: 200 replicas on 20 nodes, readiness + liveness, 5000 req/s, one hour.

Run: ``.venv/bin/python bench/bench_engine.py`` (results go to docs/benchmarks.md, "Engine").
Prints simulated seconds per wall second for each variant, the seek (re-run) time, and memory.
"""

from __future__ import annotations

import json
import sys
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


def run_once() -> tuple[float, Simulation]:
    started = time.perf_counter()
    simulation = Simulation(scenario())
    simulation.advance_to(DURATION)
    return time.perf_counter() - started, simulation


def main() -> None:
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

    started = time.perf_counter()
    seek = Simulation(
        scenario(), injected=[ScenarioEvent(at=900.0, action="AppCrash", pod="web-3")]
    )
    seek.advance_to(1800)
    print(f"seek to 30 min (re-run with one injected event): {time.perf_counter() - started:.2f} s")

    live = Simulation(scenario())
    started = time.perf_counter()
    step = 0.1
    while not live.finished and live.now < 300:
        live.advance_to(live.now + step)
        for lane in live.lanes:
            lane.snapshot()
    live_elapsed = time.perf_counter() - started
    steps = 3000
    print(
        f"live: 300 s at 10 Hz with a snapshot of each lane per step: {live_elapsed:.2f} s wall, "
        f"{1000 * live_elapsed / steps:.1f} ms per step"
    )

    tracemalloc.start()
    run_once()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak traced memory during a run: {peak / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
