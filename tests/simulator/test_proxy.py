"""kube-proxy backend choice: uniform random (iptables/nftables), round robin (IPVS), fallback
to serving-terminating endpoints, and the client outcomes of §4.4."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulator.clock import Clock
from simulator.controllers.endpointslice import Endpoint
from simulator.network.kube_proxy import KubeProxy

from .factories import (
    behavior,
    deployment,
    event,
    only_lane,
    scenario,
    simulate,
    template,
    variant,
)
from .factories import container as spec


class FakePod:
    def __init__(self, name: str) -> None:
        self.name = name


def endpoint(name: str, ready=True, serving=True, terminating=False) -> Endpoint:
    return Endpoint(name, "10.0.0.1", "node1", ready, serving, terminating, FakePod(name))


def programmed(mode: str, endpoints) -> KubeProxy:
    clock = Clock()
    proxy = KubeProxy(clock, mode, 1.0, np.random.default_rng(3))
    proxy.endpoints_published(tuple(endpoints))
    clock.run(1.0)
    return proxy


@pytest.mark.parametrize("mode", ["iptables", "nftables"])
def test_random_modes_are_uniform_within_the_band(mode):
    proxy = programmed(mode, [endpoint(f"p{i}") for i in range(4)])
    total = 100_000
    shares = proxy.distribute(total)
    assert shares.sum() == total
    p = 0.25
    band = 3 * math.sqrt(p * (1 - p) / total)
    for share in shares:
        assert abs(share / total - p) <= band


def test_ipvs_is_round_robin():
    proxy = programmed("ipvs", [endpoint("a"), endpoint("b"), endpoint("c")])
    assert proxy.distribute(7).tolist() == [3, 2, 2]
    assert proxy.distribute(2).tolist() == [0, 1, 1]
    assert proxy.distribute(3).tolist() == [1, 1, 1]


def test_only_ready_endpoints_are_used():
    proxy = programmed("iptables", [endpoint("a"), endpoint("b", ready=False, serving=False)])
    assert [pod.name for pod in proxy.routed] == ["a"]
    assert not proxy.fallback


def test_falls_back_to_serving_terminating_endpoints_when_none_is_ready():
    proxy = programmed(
        "iptables",
        [
            endpoint("a", ready=False, serving=True, terminating=True),
            endpoint("b", ready=False, serving=False, terminating=True),
            endpoint("c", ready=False, serving=False),
        ],
    )
    assert [pod.name for pod in proxy.routed] == ["a"]
    assert proxy.fallback


def test_no_usable_endpoint_routes_nothing():
    proxy = programmed("iptables", [endpoint("a", ready=False, serving=False)])
    assert proxy.routed == []


def run_lane(events, duration=120, replicas=2, rate=100, pod=None, **program):
    scn = scenario(
        variant(deployment(replicas, pod), program=behavior(**program), rate=rate),
        duration=duration,
        events=events,
    )
    return only_lane(simulate(scn))


def window(series, key, start, end, cause=None):
    values = series["errorsByCause"][cause] if cause else series[key]
    return sum(values[start:end])


def test_two_ready_pods_share_the_traffic_evenly():
    lane = run_lane([], duration=100)
    series = lane.series
    one = sum(series["requests"]["web-1"][10:100])
    two = sum(series["requests"]["web-2"][10:100])
    total = one + two
    assert total == 9000
    band = 3 * math.sqrt(0.25 / total)
    assert abs(one / total - 0.5) <= band


def test_client_outcomes_by_backend_state():
    """§4.4: hung → 500, unresponsive → timeout, dead node → timeout, booting → refused."""
    lane = run_lane(
        [
            event(20, "AppHang", pod="web-1"),
            event(40, "AppRecover", pod="web-1"),
            event(50, "AppUnresponsive", pod="web-1"),
            event(70, "AppRecover", pod="web-1"),
            event(80, "NodeDown", node="node2"),
        ],
        duration=100,
    )
    series = lane.series
    assert window(series, None, 20, 40, "ServerError") > 0
    assert window(series, None, 20, 40, "Timeout") == 0
    assert window(series, None, 50, 70, "Timeout") > 0
    assert window(series, None, 50, 70, "ServerError") == 0
    assert window(series, None, 80, 100, "Timeout") > 0  # web-2 on the dead node
    assert window(series, None, 0, 100, "ConnectionRefused") == 0


def test_no_endpoints_is_refused_at_the_service():
    lane = run_lane([], duration=10, boot_seconds=0)
    series = lane.series
    assert series["noEndpointErrors"][0] == 100  # nothing is ready in the first second
    assert series["errorsByCause"]["NoEndpoints"][0] == 100


def test_booting_app_without_readiness_refuses_connections():
    lane = run_lane([], duration=30, boot_seconds=10)
    series = lane.series
    assert window(series, None, 5, 12, "ConnectionRefused") > 0
    assert window(series, None, 15, 30, "ConnectionRefused") == 0


def test_requests_are_successes_plus_errors_per_pod_and_in_total():
    lane = run_lane(
        [event(20, "AppHang", pod="web-1"), event(40, "NodeDown", node="node1")],
        duration=120,
        pod=template(spec()),
    )
    series = lane.series
    for second in range(len(series["time"])):
        routed = sum(values[second] for values in series["requests"].values())
        causes = sum(values[second] for values in series["errorsByCause"].values())
        pod_errors = sum(values[second] for values in series["errors"].values())
        assert series["totalRequests"][second] == routed + series["noEndpointErrors"][second]
        assert series["totalErrors"][second] == causes
        assert causes == pod_errors + series["noEndpointErrors"][second]
    assert lane.totals["requests"] == 100 * 120
