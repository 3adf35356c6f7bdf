"""What each limit of core/limits.py guards against: the cost of the thing it counts.

Measured in-process with the real engine and LiveRun (no sockets): the CPU one live run takes per
wall second at speed 1 and 10; the time and memory of a run at ``run_pod_seconds`` played to its
end; the time of one seek back (which re-runs from the seed: why seeks are coalesced); a tick with
and without 50 injected faults; and the size of a full state (what ``viewer_buffer_bytes`` must
hold).

    .venv/bin/python bench/bench_limits.py

Results are recorded in docs/reliability.md.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from core import limits
from runs.live_run import LiveRun
from simulator.engine.simulation import Simulation
from simulator.scenario import presets
from simulator.scenario.loader import load_scenario
from simulator.scenario.types import ScenarioEvent


async def discard(text: str, seq: int | None) -> None:
    return None


async def cpu_per_run(slug: str, speed: float, runs: int, seconds: float) -> float:
    """CPU seconds per wall second that one run takes, with ``runs`` playing at once."""
    live = [LiveRun(f"r{i}", presets.load_preset(slug), discard) for i in range(runs)]
    for run in live:
        run.set_speed(speed)
    tasks = [asyncio.create_task(run.run_forever()) for run in live]
    started, cpu = time.monotonic(), time.process_time()
    await asyncio.sleep(seconds)
    used = (time.process_time() - cpu) / (time.monotonic() - started)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return used / runs


def live_runs_at_the_limit():
    """Scenarios of exactly ``run_pod_seconds``: seed-story made longer, and seed-story with 250
    pods, 50 nodes and 10,000 requests per second for as long as the limit allows."""
    budget = limits.Limits().run_pod_seconds
    document = json.loads(json.dumps(presets.load_preset("seed-story").source))
    lanes = len(document["spec"]["variants"])
    long = json.loads(json.dumps(document))
    long["spec"]["duration"] = budget // (2 * lanes)
    yield f"seed-story, 2 pods × {budget // (2 * lanes)} s × {lanes} variants", long
    wide = json.loads(json.dumps(document))
    wide["spec"].pop("narration", None)
    wide["spec"]["variants"] = wide["spec"]["variants"][:2]
    wide["spec"]["duration"] = budget // (250 * 2)
    wide["spec"]["events"] = [e for e in wide["spec"]["events"] if e["at"] < budget // 500]
    wide["spec"]["workload"]["spec"]["replicas"] = 250
    wide["spec"]["cluster"] = {"nodes": 50}
    wide["spec"]["traffic"]["requestsPerSecond"] = 10_000
    yield f"250 pods × {budget // 500} s × 2 variants, 10,000 requests/s", wide


def to_the_end(scenario) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    simulation = Simulation(scenario)
    simulation.advance_to(simulation.duration)
    seconds = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    return seconds, grown, len(json.dumps(simulation.results()))


async def seek_back_ms(slug: str, at: float) -> float:
    run = LiveRun("s", presets.load_preset(slug), discard)
    await run.seek(at)
    started = time.perf_counter()
    await run.seek(at - 1)
    return 1000 * (time.perf_counter() - started)


def tick_ms(faults: int) -> float:
    scenario = presets.load_preset("seed-story")
    simulation = Simulation(scenario)
    simulation.advance_to(60)
    for index in range(faults):
        action = "NodeDown" if index % 2 == 0 else "NodeUp"
        simulation.inject(ScenarioEvent(at=0.0, action=action, node="node1"))
    started = time.perf_counter()
    for second in range(61, 161):
        simulation.advance_to(second)
    return 1000 * (time.perf_counter() - started) / 100


async def full_state_bytes(slug: str) -> int:
    run = LiveRun("f", presets.load_preset(slug), discard)
    await run.seek(run.scenario.duration)
    return len((await run.full_state())[1].encode())


async def main() -> None:
    print(f"load: {os.getloadavg()}")
    loop_started = time.perf_counter()
    for _ in range(10**7):
        pass
    print(f"10^7-step loop: {time.perf_counter() - loop_started:.2f} s")
    for speed, runs in ((1, 10), (10, 10)):
        used = await cpu_per_run("seed-story", speed, runs, 15)
        print(f"seed-story at speed {speed}, {runs} runs: {used * 100:.1f} % of a core per run")
    for name, document in live_runs_at_the_limit():
        seconds, grown, results = to_the_end(load_scenario(document))
        print(f"at the live limit, to its end: {name}: {seconds:.1f} s, +{grown:.0f} MB, ", end="")
        print(f"results {results} bytes of JSON")
    print(f"seek back in seed-story at 890 s: {await seek_back_ms('seed-story', 890):.0f} ms")
    print(f"tick (1 s) without faults: {tick_ms(0):.2f} ms, with 50: {tick_ms(50):.2f} ms")
    print(f"full state of seed-story at its end: {await full_state_bytes('seed-story')} bytes")


if __name__ == "__main__":
    asyncio.run(main())
