"""EndpointSlice conditions ready/serving/terminating and publishNotReadyAddresses (§4.1)."""

from __future__ import annotations

from simulator.controllers.endpointslice import endpoint_for

from .factories import (
    behavior,
    deployment,
    event,
    http_probe,
    only_lane,
    pod_of,
    scenario,
    simulate,
    template,
    variant,
)
from .factories import container as spec


def lane_at(until: float, events=(), publish_not_ready: bool = False, readiness=None, **program):
    pod = template(spec(readiness=readiness))
    scn = scenario(
        variant(
            deployment(2, pod),
            program=behavior(**program),
            publish_not_ready_addresses=publish_not_ready,
        ),
        duration=200,
        events=events,
    )
    return only_lane(simulate(scn, until=until))


def conditions(lane, name: str):
    endpoint = lane.endpoints.endpoint(name)
    return None if endpoint is None else (endpoint.ready, endpoint.serving, endpoint.terminating)


def test_a_pod_without_an_ip_is_not_listed():
    lane = lane_at(0.2)
    assert conditions(lane, "web-1") is None


def test_a_not_ready_pod_stays_listed_as_not_ready():
    lane = lane_at(10, readiness=http_probe("/ready"), boot_seconds=30)
    assert conditions(lane, "web-1") == (False, False, False)


def test_a_ready_pod_is_ready_and_serving():
    lane = lane_at(10)
    assert conditions(lane, "web-1") == (True, True, False)


def test_a_deleted_pod_is_terminating_and_not_ready_while_still_serving():
    lane = lane_at(51, events=[event(50, "DeletePod", pod="web-1")], handles_sigterm=False)
    assert conditions(lane, "web-1") == (False, True, True)


def test_publish_not_ready_addresses_makes_every_listed_pod_ready():
    lane = lane_at(1.0, publish_not_ready=True, readiness=http_probe("/ready"), boot_seconds=30)
    assert conditions(lane, "web-1") == (True, False, False)
    web = pod_of(lane, "web-1")
    assert endpoint_for(web, True).ready
    assert not endpoint_for(web, False).ready


def test_terminal_pods_leave_the_slice():
    lane = lane_at(60, events=[event(50, "DeletePod", pod="web-1")])
    assert conditions(lane, "web-1") is None
    assert pod_of(lane, "web-1").removed


def test_propagation_delay_applies_to_kube_proxy():
    """The slice changes at once; kube-proxy follows p = 1 s later (§4.2)."""
    lane = lane_at(50.5, events=[event(50, "DeletePod", pod="web-1")], handles_sigterm=False)
    assert conditions(lane, "web-1")[0] is False
    assert "web-1" in lane.proxy.routed_names
    lane.advance_to(51.0)
    assert "web-1" not in lane.proxy.routed_names
