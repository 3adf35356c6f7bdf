"""Simulation: the public surface, the results document, determinism and live injection."""

from __future__ import annotations

import dataclasses
import itertools
import json

from simulator.engine.simulation import Simulation, run_scenario

from .factories import (
    behavior,
    deployment,
    event,
    http_probe,
    scenario,
    template,
    variant,
)
from .factories import container as spec


def story(seed: int = 7, duration: float = 300):
    probes = template(spec(readiness=http_probe("/ready"), liveness=http_probe()))
    return scenario(
        variant(deployment(2), name="plain", program=behavior(boot_seconds=10)),
        variant(deployment(2, probes), name="probes", program=behavior(boot_seconds=10)),
        duration=duration,
        seed=seed,
        events=[
            event(30, "NodeDown", node="node2"),
            event(120, "AppHang", pod="web-1"),
            event(200, "SetTraffic", requests_per_second=40),
        ],
    )


def encoded(results: dict) -> str:
    return json.dumps(results, sort_keys=True)


def test_same_scenario_and_seed_give_identical_bytes():
    assert encoded(run_scenario(story())) == encoded(run_scenario(story()))


def test_another_seed_changes_the_random_split_only():
    one, two = run_scenario(story(seed=1)), run_scenario(story(seed=2))
    assert encoded(one) != encoded(two)
    for a, b in zip(one["variants"], two["variants"], strict=True):
        assert a["totals"]["requests"] == b["totals"]["requests"]
        assert [p["name"] for p in a["pods"]] == [p["name"] for p in b["pods"]]


def test_identical_variants_give_identical_lanes():
    twin = scenario(
        variant(deployment(2), name="a"),
        variant(deployment(2), name="b"),
        duration=120,
        events=[event(20, "NodeDown", node="node1")],
    )
    a, b = run_scenario(twin)["variants"]
    a.pop("name")
    b.pop("name")
    assert encoded(a) == encoded(b)


def test_results_do_not_depend_on_how_the_run_is_stepped():
    whole = Simulation(story())
    whole.advance_to(300)
    stepped = Simulation(story())
    time = 0.0
    while not stepped.finished:
        time += 0.1
        stepped.advance_to(time)
    assert encoded(whole.results()) == encoded(stepped.results())


def test_injected_events_replay_identically():
    live = Simulation(story())
    live.advance_to(50.3)
    live.inject(event(0, "DeletePod", pod="web-1"))
    live.advance_to(170.05)
    live.inject(event(0, "Scale", replicas=3))
    live.advance_to(300)
    assert [e.at for e in live.injected] == [50.3, 170.05]
    replay = Simulation(story(), injected=live.injected)
    replay.advance_to(300)
    assert encoded(live.results()) == encoded(replay.results())
    assert live.results()["injected"][0]["action"] == "DeletePod"


def test_inject_at_time_zero_runs_after_the_initial_events():
    live = Simulation(story())
    live.inject(event(0, "Scale", replicas=3))
    live.advance_to(300)
    replay = Simulation(story(), injected=live.injected)
    replay.advance_to(300)
    assert encoded(live.results()) == encoded(replay.results())


def test_advance_stops_at_the_duration():
    simulation = Simulation(story(duration=10))
    simulation.advance_to(25)
    assert simulation.now == 10
    assert simulation.finished
    simulation.advance_to(5)
    assert simulation.now == 10
    assert all(lane.now == 10 for lane in simulation.lanes)


def test_results_follow_the_contract():
    results = run_scenario(story())
    assert (results["scenario"], results["seed"], results["duration"]) == ("unit", 7, 300)
    lanes = results["variants"]
    assert [lane["name"] for lane in lanes] == ["plain", "probes"]
    for lane in lanes:
        totals = lane["totals"]
        assert set(totals["errorsByCause"]) == {
            "Timeout",
            "ConnectionRefused",
            "ServerError",
            "NoEndpoints",
        }
        assert totals["errors"] == sum(totals["errorsByCause"].values())
        assert totals["requests"] == 10 * 200 + 40 * 100
        for pod in lane["pods"]:
            for key in (
                "name",
                "node",
                "createdAt",
                "deletedAt",
                "phase",
                "status",
                "ready",
                "restarts",
                "conditions",
                "containers",
                "history",
            ):
                assert key in pod
            for key in ("PodScheduled", "Initialized", "ContainersReady", "Ready"):
                assert isinstance(pod["conditions"][key], bool)
            for container in pod["containers"]:
                assert set(container) >= {
                    "name",
                    "state",
                    "reason",
                    "exitCode",
                    "restartCount",
                    "started",
                    "ready",
                }
            assert pod["history"][0]["time"] == pod["createdAt"]
        for record in lane["events"]:
            assert set(record) >= {"time", "object", "type", "reason", "message"}
        times = [record["time"] for record in lane["events"]]
        assert times == sorted(times)
        series = lane["series"]
        seconds = len(series["time"])
        assert series["time"] == list(range(300))
        for key in ("noEndpointErrors", "readyEndpoints"):
            assert len(series[key]) == seconds
        for per_pod in (series["requests"], series["errors"]):
            assert all(len(values) == seconds for values in per_pod.values())
        assert set(series["errorsByCause"]) == set(totals["errorsByCause"])
    json.loads(encoded(results))


def test_history_rows_are_changes_oldest_first():
    results = run_scenario(story())
    for lane in results["variants"]:
        for pod in lane["pods"]:
            rows = pod["history"]
            assert [r["time"] for r in rows] == sorted(r["time"] for r in rows)
            keys = [(r["phase"], r["status"], r["ready"], r["restarts"]) for r in rows]
            assert all(a != b for a, b in itertools.pairwise(keys))


def test_series_and_events_grow_live():
    simulation = Simulation(story())
    lane = simulation.lanes[0]
    simulation.advance_to(10.5)
    assert lane.series["time"] == list(range(10))
    events_so_far = len(lane.events)
    simulation.advance_to(100)
    assert len(lane.series["time"]) == 100
    assert len(lane.events) > events_so_far
    snapshot = lane.snapshot()
    json.dumps(snapshot)
    assert snapshot["time"] == 100
    assert {p["name"] for p in snapshot["pods"]} == {"web-1", "web-2"}
    assert snapshot["nodes"][1]["up"] is False


def test_duration_need_not_be_whole_seconds():
    results = run_scenario(dataclasses.replace(story(), duration=10.5))
    series = results["variants"][0]["series"]
    assert series["time"] == [*range(10), 10]
    assert results["variants"][0]["totals"]["requests"] == 105
