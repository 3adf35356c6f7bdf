"""Invariants of the engine over generated small scenarios (docs/scenario-format.md results,
docs/kubernetes-model.md §3 and §4): request accounting, traffic only to usable endpoints, monotonic
restart counts, the crash-loop curve, and determinism."""

from __future__ import annotations

import itertools
import json
import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.engine.simulation import Simulation, run_scenario
from simulator.scenario.loader import load_scenario

Document = dict[str, Any]

CAUSES = {"NoEndpoints", "ConnectionRefused", "Timeout", "ServerError"}
PHASES = {"Pending", "Running", "Succeeded", "Failed"}
PORT = 8080
BOUNDED = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def probes(draw: st.DrawFn, readiness: bool = False) -> Document | None:
    if draw(st.booleans()):
        return None
    handler = draw(st.sampled_from(["httpGet", "tcpSocket", "exec"]))
    probe: Document = {
        "httpGet": {"httpGet": {"path": "/healthz", "port": PORT}},
        "tcpSocket": {"tcpSocket": {"port": PORT}},
        "exec": {"exec": {"command": ["/bin/check"]}},
    }[handler]
    probe |= {
        "initialDelaySeconds": draw(st.integers(0, 10)),
        "periodSeconds": draw(st.integers(1, 10)),
        "timeoutSeconds": draw(st.integers(1, 3)),
        "failureThreshold": draw(st.integers(1, 4)),
    }
    if readiness:
        probe["successThreshold"] = draw(st.integers(1, 3))
    return probe


@st.composite
def probe_sets(draw: st.DrawFn) -> Document:
    return {
        "readinessProbe": draw(probes(readiness=True)),
        "livenessProbe": draw(probes()),
        "startupProbe": draw(probes()),
    }


@st.composite
def programs(draw: st.DrawFn) -> Document:
    return {
        "bootSeconds": draw(st.integers(0, 15)),
        "hangAfterSeconds": draw(st.none() | st.integers(5, 60)),
        "exitAfterSeconds": draw(st.none() | st.integers(0, 30)),
        "exitCode": draw(st.sampled_from([0, 1])),
        "handlesSigterm": draw(st.booleans()),
    }


@st.composite
def scenario_events(draw: st.DrawFn, duration: int, nodes: int, replicas: int) -> list[Document]:
    pods = [f"web-{k}" for k in range(1, replicas + 1)]
    node_names = [f"node{k}" for k in range(1, nodes + 1)]
    kinds = st.one_of(
        st.builds(
            lambda action, node: {"action": action, "node": node},
            st.sampled_from(["NodeDown", "NodeUp"]),
            st.sampled_from(node_names),
        ),
        st.builds(
            lambda action, pod: {"action": action, "pod": pod},
            st.sampled_from(["AppHang", "AppUnresponsive", "AppRecover", "AppCrash", "DeletePod"]),
            st.sampled_from(pods),
        ),
        st.builds(lambda count: {"action": "Scale", "replicas": count}, st.integers(1, 3)),
        st.builds(
            lambda rate: {"action": "SetTraffic", "requestsPerSecond": rate}, st.integers(0, 20)
        ),
        st.just({"action": "RolloutRestart"}),
    )
    drawn = draw(st.lists(st.tuples(st.integers(1, duration - 1), kinds), max_size=3))
    return [{"at": at, **action} for at, action in sorted(drawn, key=lambda pair: pair[0])]


@st.composite
def scenarios(draw: st.DrawFn, publish_not_ready: bool | None = None) -> Document:
    duration = draw(st.integers(10, 80))
    nodes = draw(st.integers(1, 3))
    replicas = draw(st.integers(1, 3))
    base_probes = draw(probe_sets())
    container: Document = {"name": "app", "image": "registry.example/web:1.0"}
    container |= {name: probe for name, probe in base_probes.items() if probe is not None}
    variants = [
        {"name": f"lane-{index}", "probes": draw(probe_sets())}
        for index in range(draw(st.integers(0, 2)))
    ]
    spec: Document = {
        "duration": duration,
        "seed": draw(st.integers(0, 2**31 - 1)),
        "cluster": {"nodes": nodes, "endpointPropagation": draw(st.integers(0, 3))},
        "service": {
            "proxyMode": draw(st.sampled_from(["iptables", "nftables", "ipvs"])),
            "publishNotReadyAddresses": (
                draw(st.booleans()) if publish_not_ready is None else publish_not_ready
            ),
        },
        "traffic": {"requestsPerSecond": draw(st.integers(1, 30))},
        "workload": {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {
                        "terminationGracePeriodSeconds": draw(st.integers(1, 30)),
                        "containers": [container],
                    },
                },
            },
        },
        "behavior": {
            "imagePullSeconds": draw(st.integers(0, 3)),
            "containers": {"app": draw(programs())},
        },
        "events": draw(scenario_events(duration, nodes, replicas)),
    }
    if variants:
        spec["variants"] = variants
    return {
        "apiVersion": "podviz/v1",
        "kind": "Scenario",
        "metadata": {"name": "generated"},
        "spec": spec,
    }


def run(document: Document) -> Document:
    return run_scenario(load_scenario(document))


def summed(values_by_pod: dict[str, list[int]]) -> int:
    return sum(sum(values) for values in values_by_pod.values())


def is_fully_ready(row: dict) -> bool:
    ready, total = row["ready"].split("/")
    return ready == total and int(total) > 0


@BOUNDED
@given(scenarios())
def test_every_request_is_counted_once(document):
    """requests = successes + errors = Σ series; errorsByCause sums to errors (§4.4 causes)."""
    for lane in run(document)["variants"]:
        totals, series = lane["totals"], lane["series"]
        refused_at_service = sum(series["noEndpointErrors"])
        assert totals["requests"] == summed(series["requests"]) + refused_at_service
        assert totals["errors"] == summed(series["errors"]) + refused_at_service
        assert set(totals["errorsByCause"]) == CAUSES
        assert sum(totals["errorsByCause"].values()) == totals["errors"]
        assert totals["errorsByCause"]["NoEndpoints"] == refused_at_service
        successes = totals["requests"] - totals["errors"]
        assert successes >= 0
        for name, requests in series["requests"].items():
            assert len(requests) == len(series["time"])
            assert all(
                0 <= errors <= routed
                for errors, routed in zip(series["errors"][name], requests, strict=True)
            )


@BOUNDED
@given(scenarios(publish_not_ready=False))
def test_traffic_goes_only_to_pods_that_have_been_ready(document):
    """§4.1/§4.3: without publishNotReadyAddresses only ready (or serving-terminating) endpoints
    get connections, so a pod receives nothing before it was first READY n/n."""
    for lane in run(document)["variants"]:
        series = lane["series"]
        for pod in lane["pods"]:
            first_ready = next(
                (row["time"] for row in pod["history"] if is_fully_ready(row)), math.inf
            )
            requests = series["requests"].get(pod["name"], [])
            early = [
                count
                for time, count in zip(series["time"], requests, strict=False)
                if time + 1 <= first_ready
            ]
            assert sum(early) == 0, (pod["name"], first_ready, pod["history"])


@BOUNDED
@given(scenarios())
def test_history_is_ordered_and_restart_counts_never_decrease(document):
    """§1.3, §1.1: restartCount only grows; rows are oldest first from creation; no Unknown."""
    for lane in run(document)["variants"]:
        for pod in lane["pods"]:
            history = pod["history"]
            assert history[0]["time"] == pod["createdAt"]
            times = [row["time"] for row in history]
            restarts = [row["restarts"] for row in history]
            assert times == sorted(times)
            assert restarts == sorted(restarts)
            assert restarts[-1] == pod["restarts"]
            assert {row["phase"] for row in history} <= PHASES


@st.composite
def crash_loops(draw: st.DrawFn) -> tuple[Document, float, list[float]]:
    lifetime = draw(st.integers(0, 5))
    initial = draw(st.integers(1, 10))
    cap = draw(st.integers(initial, 8 * initial))
    nominal = [0.0] + [float(min(initial * 2**k, cap)) for k in range(5)]
    duration = math.ceil(sum(nominal) * 1.2 + 6 * lifetime + 20)
    document = {
        "apiVersion": "podviz/v1",
        "kind": "Scenario",
        "metadata": {"name": "crash-loop"},
        "spec": {
            "duration": duration,
            "seed": draw(st.integers(0, 1000)),
            "cluster": {"crashLoopBackOff": {"initial": initial, "max": cap, "reset": 600}},
            "traffic": {"requestsPerSecond": 1},
            "workload": {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": "crasher", "labels": {"app": "crasher"}},
                "spec": {"containers": [{"name": "app", "image": "registry.example/crash:1"}]},
            },
            "behavior": {"containers": {"app": {"exitAfterSeconds": lifetime, "exitCode": 1}}},
        },
    }
    return document, lifetime, nominal


@BOUNDED
@given(crash_loops())
def test_backoff_waits_follow_the_curve(case):
    """§3.2–§3.3: waits 0, b, 2b, … capped; each ≥ nominal and ≤ nominal + max(2 s, 15 %)."""
    document, lifetime, nominal = case
    (lane,) = run(document)["variants"]
    (pod,) = lane["pods"]
    first_start = next(row["time"] for row in pod["history"] if row["phase"] == "Running")
    starts = [first_start]
    for row in pod["history"]:
        while row["restarts"] >= len(starts):
            starts.append(row["time"])
    waits = [later - earlier - lifetime for earlier, later in itertools.pairwise(starts)]
    assert len(waits) >= 4, pod["history"]
    for wait, expected in zip(waits, nominal, strict=False):
        assert expected <= wait <= expected + max(2.0, 0.15 * expected), (waits, nominal)


@BOUNDED
@given(scenarios(), st.lists(st.floats(0.1, 30), min_size=1, max_size=6))
def test_same_seed_gives_identical_results(document, pauses):
    """scenario-format: same scenario + same seed ⇒ identical results, however the run is paced."""
    reference = json.dumps(run(document), sort_keys=True)
    assert json.dumps(run(document), sort_keys=True) == reference
    scenario = load_scenario(document)
    simulation = Simulation(scenario)
    moment = 0.0
    for pause in pauses:
        moment += pause
        simulation.advance_to(moment)
    simulation.advance_to(scenario.duration)
    assert simulation.finished
    assert json.dumps(simulation.results(), sort_keys=True) == reference


@BOUNDED
@given(scenarios(), probe_sets())
def test_variants_with_identical_settings_give_identical_lanes(document, shared_probes):
    """Lanes run on the same scenario and seed: two variants with the same probes are twins."""
    document["spec"]["variants"] = [
        {"name": "first", "probes": shared_probes},
        {"name": "second", "probes": shared_probes},
    ]
    first, second = run(document)["variants"]
    assert (first["name"], second["name"]) == ("first", "second")
    assert json.dumps({**first, "name": None}, sort_keys=True) == json.dumps(
        {**second, "name": None}, sort_keys=True
    )
