"""The serving model against queueing theory (docs/kubernetes-model.md §10.2).

With Poisson arrivals (the clients), exponential service times and ``concurrency`` c workers, one
pod is an M/M/c queue: its mean time in the system is the Erlang C value
W = C(c, λ/μ) / (cμ − λ) + 1/μ. The figures measured here come from the simulation of each
request (the pod's ``meanSecondsInSystem`` in ``servingPods``), the formula only gives the value
they must come near.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.engine.simulation import Simulation
from simulator.network.served_traffic import ServedTraffic
from simulator.scenario.loader import load_scenario

WORKERS = 8
MEAN_SERVICE = 0.01  # seconds: μ = 100 requests a second per worker
CAPACITY = WORKERS / MEAN_SERVICE


def erlang_c_time_in_system(arrival_rate: float, workers: int, service_rate: float) -> float:
    """Mean time in an M/M/c system (Erlang C), seconds."""
    offered = arrival_rate / service_rate
    top = offered**workers / math.factorial(workers) * workers / (workers - offered)
    bottom = sum(offered**k / math.factorial(k) for k in range(workers)) + top
    waiting = top / bottom
    return waiting / (workers * service_rate - arrival_rate) + 1 / service_rate


def one_pod(rate: float, duration: float, **serving: Any) -> dict:
    traffic: dict[str, Any] = {"requestsPerSecond": rate}
    if "clientTimeoutSeconds" in serving:
        traffic["clientTimeoutSeconds"] = serving.pop("clientTimeoutSeconds")
    return {
        "apiVersion": "podviz/v1",
        "kind": "Scenario",
        "metadata": {"name": "queue"},
        "spec": {
            "duration": duration,
            "seed": 7,
            "cluster": {"nodes": 1},
            "traffic": traffic,
            "workload": {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": "server", "labels": {"app": "server"}},
                "spec": {"containers": [{"name": "app", "image": "example/web:1"}]},
            },
            "behavior": {
                "imagePullSeconds": 0,
                "containers": {
                    "app": {
                        "serving": {
                            "concurrency": WORKERS,
                            "latency": {"mean": MEAN_SERVICE},
                            **serving,
                        }
                    }
                },
            },
        },
    }


def run(document: dict) -> tuple[dict, ServedTraffic]:
    simulation = Simulation(load_scenario(document))
    simulation.advance_to(simulation.duration)
    lane = simulation.lanes[0]
    assert isinstance(lane.traffic, ServedTraffic)
    return simulation.results()["variants"][0], lane.traffic


@pytest.mark.parametrize("utilisation", [0.5, 0.8, 0.95])
def test_mean_time_in_system_is_erlang_c(utilisation):
    rate = utilisation * CAPACITY
    lane, _ = run(one_pod(rate, duration=3600))
    pod = lane["servingPods"]["server"]
    expected = erlang_c_time_in_system(rate, WORKERS, 1 / MEAN_SERVICE)
    assert pod["answered"] > 0.99 * rate * 3590
    assert pod["meanSecondsInSystem"] == pytest.approx(expected, rel=0.10)


@pytest.mark.parametrize("utilisation", [0.5, 0.95])
def test_littles_law_holds_per_pod(utilisation):
    """L = λW: the number in the system sampled at each second's end (``series.inSystem``),
    averaged, against the arrival rate times the mean time in the system, both measured."""
    rate = utilisation * CAPACITY
    lane, _ = run(one_pod(rate, duration=3600))
    pod = lane["servingPods"]["server"]
    samples = [n for n in lane["series"]["inSystem"]["server"] if n is not None]
    seconds_routed = len(samples)
    measured_rate = pod["arrivals"] / seconds_routed
    assert sum(samples) / len(samples) == pytest.approx(
        measured_rate * pod["meanSecondsInSystem"], rel=0.05
    )


def test_above_capacity_the_queue_grows_and_clients_time_out():
    """1.5 times what the workers can serve, clients giving up after 2 s: the queue grows without
    bound, every request that waits longer than 2 s is a ClientTimeout at 2 s, and the ones
    answered were answered within 2 s."""
    lane, _ = run(one_pod(1.5 * CAPACITY, duration=120, clientTimeoutSeconds=2))
    in_system = [n for n in lane["series"]["inSystem"]["server"] if n is not None]
    assert in_system[-1] > 10 * in_system[10] > 0
    assert in_system[-1] == pytest.approx(0.5 * CAPACITY * len(in_system), rel=0.1)
    causes = lane["totals"]["errorsByCause"]
    assert causes["ClientTimeout"] > 0.5 * lane["totals"]["requests"]
    served_p99 = [p for p in lane["series"]["latencyP99"] if p is not None]
    assert max(served_p99) <= 2.0
    # Before the queue is 2 s long (1.6 s of work at 400 a second more than served), all are
    # answered.
    assert lane["series"]["errorsByCause"]["ClientTimeout"][:5] == [0] * 5


def test_a_bounded_queue_refuses_what_does_not_fit():
    lane, _ = run(one_pod(1.5 * CAPACITY, duration=60, queueLimit=100))
    in_system = [n for n in lane["series"]["inSystem"]["server"] if n is not None]
    assert max(in_system) <= WORKERS + 100
    causes = lane["totals"]["errorsByCause"]
    # A third of the requests find the queue full once it is full.
    assert causes["QueueFull"] == pytest.approx(lane["totals"]["requests"] / 3, rel=0.1)


# --- invariants -----------------------------------------------------------------------------

BOUNDED = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@st.composite
def serving_scenarios(draw: st.DrawFn) -> dict:
    replicas = draw(st.integers(1, 4))
    duration = draw(st.integers(20, 120))
    serving: dict[str, Any] = {
        "concurrency": draw(st.integers(1, 16)),
        "latency": draw(
            st.sampled_from(
                [{"mean": 0.01}, {"median": "20ms", "p99": "300ms"}, {"mean": 0.5}, {"mean": 2}]
            )
        ),
        "paths": {"/healthz": {"latency": draw(st.sampled_from([0, 0.5, 3]))}},
    }
    if draw(st.booleans()):
        serving["queueLimit"] = draw(st.integers(0, 50))
    if draw(st.booleans()):
        serving["dependsOn"] = ["db"]
    traffic: dict[str, Any] = {"requestsPerSecond": draw(st.sampled_from([0, 5, 50, 400]))}
    if draw(st.booleans()):
        traffic["clientTimeoutSeconds"] = draw(st.sampled_from([0.5, 1, 5]))
    liveness = {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 5}
    readiness = {"httpGet": {"path": "/", "port": 8080}, "periodSeconds": 2}
    events = []
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, duration))
        action = draw(
            st.sampled_from(
                ["AppCrash", "AppHang", "AppRecover", "DeletePod", "NodeDown", "NodeUp", "Db"]
            )
        )
        if action == "Db":
            events.append(
                {"at": at, "action": draw(st.sampled_from(["DependencyDown", "DependencyRecover"])),
                 "dependency": "db"}
            )  # fmt: skip
        elif action in ("NodeDown", "NodeUp"):
            events.append({"at": at, "action": action, "node": "node1"})
        else:
            events.append({"at": at, "action": action, "pod": f"web-{draw(st.integers(1, 4))}"})
    memory_limit = draw(st.sampled_from([None, "300Mi"]))
    container: dict[str, Any] = {
        "name": "app",
        "image": "example/web:1",
        "livenessProbe": liveness,
        "readinessProbe": readiness,
    }
    if memory_limit:
        container["resources"] = {"limits": {"memory": memory_limit}}
    return {
        "apiVersion": "podviz/v1",
        "kind": "Scenario",
        "metadata": {"name": "generated"},
        "spec": {
            "duration": duration,
            "seed": draw(st.integers(0, 1000)),
            "cluster": {"nodes": 2},
            "traffic": traffic,
            "dependencies": {"db": {"latency": "10ms"}},
            "events": events,
            "workload": {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {"name": "web"},
                "spec": {
                    "replicas": replicas,
                    "selector": {"matchLabels": {"app": "web"}},
                    "template": {
                        "metadata": {"labels": {"app": "web"}},
                        "spec": {"containers": [container]},
                    },
                },
            },
            "behavior": {
                "containers": {
                    "app": {
                        "bootSeconds": draw(st.integers(0, 5)),
                        "serving": serving,
                        "memory": {"startMiB": 100, "leakMiBPerMinute": 400},
                    }
                }
            },
        },
    }


@BOUNDED
@given(serving_scenarios())
def test_every_request_is_accounted_for_once(document):
    """Every arrival is counted once: as an answer or an error in the second its outcome came,
    or still in flight at the end."""
    lane, traffic = run(document)
    totals, series = lane["totals"], lane["series"]
    refused_at_service = sum(series["noEndpointErrors"])
    assert traffic.arrivals == totals["requests"] + totals["inFlight"]
    assert totals["requests"] == sum(map(sum, series["requests"].values())) + refused_at_service
    assert sum(totals["errorsByCause"].values()) == totals["errors"]
    answered = sum(pod["answered"] for pod in lane["servingPods"].values())
    assert (
        answered <= totals["requests"] - totals["errors"] + totals["errorsByCause"]["ServerError"]
    )


@BOUNDED
@given(serving_scenarios())
def test_nothing_is_served_by_a_dead_or_unrouted_pod(document):
    """Requests enter an app only while kube-proxy routes to its pod and the app answers; none
    is answered after its process exited."""
    scenario = load_scenario(document)
    simulation = Simulation(scenario)
    lane = simulation.lanes[0]
    traffic = lane.traffic
    assert isinstance(traffic, ServedTraffic)
    served_after_stop: list[int] = []
    stopped: dict[int, float] = {}
    late_answers: list[int] = []

    routing = traffic._routing

    def watched_routing():
        slots, outcomes, servers = routing()
        for pod, server in zip(lane.proxy.routed, servers, strict=True):
            if server is not None:
                process = lane.runtime.process(pod.uid, pod.serving_container.name)
                assert process is not None and process.server is server
                assert process.running and pod.node is not None and pod.node.up
                assert pod.name in lane.proxy.routed_names
                assert not server.stopped
        return slots, outcomes, servers

    served = traffic.served

    def watched_served(server, arrivals, departures, ok):
        if server.id in stopped:
            served_after_stop.append(server.id)
        served(server, arrivals, departures, ok)

    stop = traffic.server_stopped

    def watched_stop(server, now, *args):
        stop(server, now, *args)
        stopped[server.id] = now
        ledger = traffic._ledger
        if ledger:
            ends, _slots, outcomes, _seconds, ids = ledger.merged()
            late = (ids == server.id) & (ends > now) & (outcomes == 0)
            late_answers.append(int(late.sum()))

    traffic._routing = watched_routing  # type: ignore[method-assign]
    traffic.served = watched_served  # type: ignore[method-assign]
    traffic.server_stopped = watched_stop  # type: ignore[method-assign]
    simulation.advance_to(simulation.duration)
    assert not served_after_stop
    assert not any(late_answers)
