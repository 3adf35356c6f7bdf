"""docs/kubernetes-model.md §4.3: how kube-proxy picks a backend per new connection."""

import statistics

import pytest

from .builders import container, deployment, event, http_probe, program, scenario
from .reading import (
    binomial_band,
    bucket_sum,
    only_lane,
    pod,
    pod_requests,
    ready_since,
    run,
    snapshot_at,
    total_errors,
    total_requests,
)

RATE = 100


def steady_lane(replicas: int, proxy_mode: str, rate: float = RATE, duration: float = 40) -> dict:
    doc = scenario(
        deployment(replicas=replicas),
        duration=duration,
        requests_per_second=rate,
        service={"proxyMode": proxy_mode},
    )
    return only_lane(run(doc))


def steady_buckets(lane: dict, replicas: int) -> list[int]:
    """Indexes of the buckets in which every replica was a ready endpoint all along."""
    series = lane["series"]
    everyone_ready = max(ready_since(entry) for entry in lane["pods"]) + 2
    return [
        index
        for index, (time, ready) in enumerate(
            zip(series["time"], series["readyEndpoints"], strict=True)
        )
        if time >= everyone_ready and ready == replicas
    ]


@pytest.mark.parametrize("proxy_mode", ["iptables", "nftables"])
@pytest.mark.parametrize("replicas", [2, 3])
def test_random_modes_pick_each_endpoint_with_probability_one_over_n(proxy_mode, replicas):
    """§4.3, §4.4: iptables and nftables choose uniformly; share p ± 3·√(p(1−p)/N)."""
    lane = steady_lane(replicas, proxy_mode)
    buckets = steady_buckets(lane, replicas)
    assert len(buckets) >= 20
    requests = lane["series"]["requests"]
    per_pod = {name: sum(requests[name][index] for index in buckets) for name in requests}
    total = sum(per_pod.values())
    low, high = binomial_band(total, 1 / replicas)
    for name in (f"web-{k}" for k in range(1, replicas + 1)):
        assert low <= per_pod[name] <= high, (name, per_pod, (low, high))


def test_iptables_choices_are_independent_per_connection():
    """§4.3: independent random choice ⇒ per-second counts vary like Binomial(R, 1/2)."""
    lane = steady_lane(2, "iptables", duration=120)
    buckets = steady_buckets(lane, 2)
    counts = [lane["series"]["requests"]["web-1"][index] for index in buckets]
    totals = [
        lane["series"]["requests"]["web-1"][index] + lane["series"]["requests"]["web-2"][index]
        for index in buckets
    ]
    expected_variance = statistics.mean(totals) / 4
    assert 0.4 * expected_variance <= statistics.variance(counts) <= 1.8 * expected_variance


def test_ipvs_rotates_round_robin():
    """§4.3: IPVS is a deterministic rotation: two endpoints differ by at most one per second."""
    lane = steady_lane(2, "ipvs", rate=11)
    requests = lane["series"]["requests"]
    buckets = steady_buckets(lane, 2)
    assert buckets
    for index in buckets:
        assert abs(requests["web-1"][index] - requests["web-2"][index]) <= 1, index


def test_not_ready_endpoints_get_a_zero_share():
    """§4.4: share 1/n for each usable endpoint, 0 for the others."""
    doc = scenario(
        deployment([container(readiness=http_probe(periodSeconds=2))], replicas=2),
        duration=40,
        requests_per_second=RATE,
        events=[event(5, "AppUnresponsive", pod="web-2")],
    )
    lane = only_lane(run(doc))
    series = lane["series"]
    assert pod_requests(series, "web-2", 20, 40) == 0
    assert pod_requests(series, "web-1", 20, 40) == total_requests(series, 20, 40) > 0


def test_serving_terminating_endpoints_are_used_when_nothing_is_ready():
    """§4.3: no ready endpoint anywhere ⇒ kube-proxy falls back to serving ∧ terminating ones."""
    delete_at = 40
    doc = scenario(
        deployment([container(readiness=http_probe(periodSeconds=1))]),
        duration=70,
        requests_per_second=20,
        programs={"app": program(bootSeconds=20, handlesSigterm=False)},
        events=[event(delete_at, "DeletePod", pod="web-1")],
    )
    lane = only_lane(run(doc))
    replacement_ready = ready_since(pod(lane, "web-2"))
    assert replacement_ready > delete_at + 20
    series = lane["series"]
    window = (delete_at + 2, replacement_ready)
    assert bucket_sum(series, series["noEndpointErrors"], *window) == 0
    assert pod_requests(series, "web-1", *window) > 0
    assert total_errors(series, *window) == 0
    service = snapshot_at(doc, (window[0] + window[1]) / 2)["service"]
    assert (service["fallbackToTerminating"], service["routed"]) == (True, ["web-1"])
