"""docs/kubernetes-model.md §4.1–§4.2: which pods are endpoints, and how fast changes reach
kube-proxy."""

from .builders import bare_pod, container, deployment, event, http_probe, program, scenario
from .reading import (
    named,
    not_ready_since,
    only_lane,
    pod,
    pod_errors,
    pod_requests,
    ready_since,
    row_at,
    run,
    snapshot_at,
)

PROPAGATION = 5


def test_a_pod_receives_traffic_only_p_seconds_after_it_turns_ready():
    """§4.2: additions reach kube-proxy after the propagation delay p."""
    doc = scenario(
        deployment(),
        duration=60,
        requests_per_second=20,
        cluster={"endpointPropagation": PROPAGATION},
        events=[event(20, "Scale", replicas=2)],
    )
    lane = only_lane(run(doc))
    ready = ready_since(pod(lane, "web-2"))
    series = lane["series"]
    assert pod_requests(series, "web-2", 0, ready + PROPAGATION - 1) == 0
    assert pod_requests(series, "web-2", ready + PROPAGATION + 1, ready + PROPAGATION + 11) > 0


def test_a_pod_keeps_receiving_traffic_p_seconds_after_it_turns_unready():
    """§4.2: the same delay p applies to removals; until then its requests fail."""
    doc = scenario(
        deployment(
            [container(readiness=http_probe(periodSeconds=2, failureThreshold=1))], replicas=2
        ),
        duration=60,
        requests_per_second=20,
        cluster={"endpointPropagation": PROPAGATION},
        events=[event(30, "AppHang", pod="web-1")],
    )
    lane = only_lane(run(doc))
    unready = not_ready_since(pod(lane, "web-1"), after=30)
    series = lane["series"]
    assert pod_errors(series, "web-1", unready, unready + PROPAGATION - 1) > 0
    assert pod_requests(series, "web-1", unready + PROPAGATION + 1, 60) == 0


def test_a_deleted_pod_leaves_the_endpoints_even_though_its_probe_passes():
    """§4.1: terminating ⇒ ready=false at once, whatever its readiness; traffic stops after p."""
    doc = scenario(
        deployment([container(readiness=http_probe(periodSeconds=2))], replicas=2),
        duration=60,
        requests_per_second=20,
        programs={"app": program(handlesSigterm=False)},
        events=[event(20, "DeletePod", pod="web-1")],
    )
    lane = only_lane(run(doc))
    web1 = pod(lane, "web-1")
    assert (row_at(web1, 40)["status"], row_at(web1, 40)["ready"]) == ("Terminating", "1/1")
    assert pod_requests(lane["series"], "web-1", 15, 20) > 0
    assert pod_requests(lane["series"], "web-1", 22, 60) == 0


def test_a_not_ready_pod_gets_no_traffic_and_counts_as_no_ready_endpoint():
    """§4.1: listed with ready=false ⇒ not usable; the ready pod takes every request."""
    doc = scenario(
        deployment([container(readiness=http_probe(periodSeconds=2))], replicas=2),
        duration=40,
        requests_per_second=20,
        events=[event(10, "AppHang", pod="web-2")],
    )
    lane = only_lane(run(doc))
    unready = not_ready_since(pod(lane, "web-2"), after=10)
    series = lane["series"]
    assert pod_requests(series, "web-2", unready + 2, 40) == 0
    assert pod_requests(series, "web-1", unready + 2, 40) > 0
    late = [
        count
        for time, count in zip(series["time"], series["readyEndpoints"], strict=True)
        if time >= unready + 2
    ]
    assert set(late) == {1}


def test_publish_not_ready_addresses_sends_traffic_to_booting_pods():
    """§4.1: publishNotReadyAddresses ⇒ every listed pod is ready=true; booting pods refuse."""
    doc = scenario(
        deployment([container(readiness=http_probe(periodSeconds=2))]),
        duration=40,
        requests_per_second=20,
        service={"publishNotReadyAddresses": True},
        programs={"app": program(bootSeconds=100_000)},
    )
    lane = only_lane(run(doc))
    web = pod(lane, "web-1")
    assert web["ready"] == "0/1"
    assert pod_requests(lane["series"], "web-1", 0, 40) > 0
    assert lane["totals"]["errorsByCause"]["ConnectionRefused"] > 0
    assert lane["totals"]["errorsByCause"]["NoEndpoints"] < lane["totals"]["errors"]


def endpoint_conditions(document: dict, time: float) -> dict[str, tuple[bool, bool, bool]]:
    """The EndpointSlice at ``time``: pod → (ready, serving, terminating)."""
    return {
        entry["pod"]: (entry["ready"], entry["serving"], entry["terminating"])
        for entry in snapshot_at(document, time)["endpoints"]
    }


def test_endpoint_slice_lists_a_not_ready_pod_as_not_ready():
    """§4.1, §7 A2: a not-ready pod stays in the slice with ready=false, serving=false."""
    doc = scenario(
        deployment([container(readiness=http_probe())]),
        duration=90,
        programs={"app": program(bootSeconds=100_000)},
    )
    assert endpoint_conditions(doc, 70) == {"web-1": (False, False, False)}


def test_endpoint_slice_marks_a_deleted_pod_terminating_and_serving():
    """§4.1: terminating ⇒ ready=false at once; serving follows its still-passing readiness."""
    doc = scenario(
        deployment([container(readiness=http_probe(periodSeconds=2))], replicas=2),
        duration=60,
        programs={"app": program(handlesSigterm=False)},
        events=[event(20, "DeletePod", pod="web-1")],
    )
    assert endpoint_conditions(doc, 30)["web-1"] == (False, True, True)


def test_publish_not_ready_addresses_marks_every_listed_pod_ready():
    """§4.1: ready = publishNotReadyAddresses ∨ (serving ∧ ¬terminating)."""
    doc = scenario(
        deployment([container(readiness=http_probe())]),
        duration=40,
        service={"publishNotReadyAddresses": True},
        programs={"app": program(bootSeconds=100_000)},
    )
    assert endpoint_conditions(doc, 30)["web-1"][0] is True


def test_only_pods_with_an_ip_that_have_not_finished_are_listed():
    """§4.1: listed iff not Succeeded/Failed and the pod has an IP."""
    doc = scenario(
        bare_pod(restart_policy="Never"),
        duration=40,
        image_pull_seconds=5,
        programs={"app": program(exitAfterSeconds=5, exitCode=0)},
    )
    assert endpoint_conditions(doc, 0.1) == {}
    assert "solo" in endpoint_conditions(doc, 3)
    assert named(snapshot_at(doc, 30)["pods"], "solo")["phase"] == "Succeeded"
    assert endpoint_conditions(doc, 30) == {}
