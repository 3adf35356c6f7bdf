"""Node failure and return: the timeline of docs/kubernetes-model.md §5.4 and the zone
safeguards."""

from __future__ import annotations

import pytest

from simulator.api.node import Node
from simulator.results.document import node_result

from .factories import (
    behavior,
    deployment,
    event,
    event_times,
    http_probe,
    only_lane,
    pod_of,
    scenario,
    simulate,
    template,
    variant,
)
from .factories import container as spec

DEATH = 60.0


def failure(duration=DEATH + 400, events=(), nodes=("node1", "node2", "node3"), replicas=2, **kw):
    pod = template(spec(readiness=http_probe("/ready", period_seconds=5)))
    scn = scenario(
        variant(deployment(replicas, pod), program=behavior(boot_seconds=5), nodes=nodes, **kw),
        duration=duration,
        events=[event(DEATH, "NodeDown", node="node2"), *events],
    )
    return only_lane(simulate(scn))


@pytest.fixture(scope="module")
def lane():
    return failure()


def test_lease_renewals_and_grace_give_detection_at_g(lane):
    """T_det ∈ (G − 10, G + 10); with a death on a whole 10 s the model gives exactly G."""
    (detected,) = event_times(lane, "NodeNotReady", "Node/node2")
    assert detected - DEATH == 50
    assert event_times(lane, "NodeNotReady", "Pod/web-2") == [detected]


@pytest.mark.parametrize("death", [61, 63.3, 65, 67, 70.5])
def test_detection_delay_stays_in_the_band(death):
    lane = only_lane(
        simulate(
            scenario(
                variant(deployment(2)),
                duration=death + 90,
                events=[event(death, "NodeDown", node="node2")],
            )
        )
    )
    (detected,) = event_times(lane, "NodeNotReady", "Node/node2")
    assert 40 < detected - death < 60


def test_detection_uses_the_configured_grace_period():
    lane = failure(duration=DEATH + 100, node_monitor_grace_period=40)
    (detected,) = event_times(lane, "NodeNotReady", "Node/node2")
    assert 30 < detected - DEATH < 50


def test_at_detection_only_the_ready_condition_changes(lane):
    web2 = pod_of(lane, "web-2")
    ready_rows = [r for r in lane.kubectl.history(web2) if r["time"] >= DEATH]
    # Phase, STATUS and READY do not change at detection; only the condition does.
    assert all(r["phase"] == "Running" for r in ready_rows)
    assert web2.containers[0].ready  # stale container status
    assert web2.conditions["DisruptionTarget"].reason == "DeletionByTaintManager"


def test_taints_and_eviction(lane):
    (detected,) = event_times(lane, "NodeNotReady", "Node/node2")
    (evicted,) = event_times(lane, "TaintManagerEviction", "Pod/web-2")
    assert evicted - detected == 300
    node2 = lane.api.node("node2")
    assert [(t.key, t.effect) for t in node2.taints] == [
        ("node.kubernetes.io/unreachable", "NoSchedule"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
    ]
    assert node_result(node2)["status"] == "NotReady"
    assert node2.ready_status == "Unknown"


def test_replacement_is_created_at_eviction_and_scheduled_elsewhere(lane):
    (evicted,) = event_times(lane, "TaintManagerEviction", "Pod/web-2")
    web3 = pod_of(lane, "web-3")
    assert web3.created_at == evicted
    assert web3.node_name == "node3"
    assert lane.kubectl.row(web3).status == "Running"
    web2 = pod_of(lane, "web-2")
    assert lane.kubectl.row(web2).status == "Terminating"
    assert web2.deleted_at is None


def test_traffic_to_the_dead_pod_times_out_until_the_endpoint_goes(lane):
    series = lane.series
    (detected,) = event_times(lane, "NodeNotReady", "Node/node2")
    timeouts = series["errorsByCause"]["Timeout"]
    assert all(timeouts[s] > 0 for s in range(int(DEATH) + 1, int(detected)))
    assert sum(timeouts[int(detected) + 2 :]) == 0
    errors = sum(series["totalErrors"][int(DEATH) : int(detected) + 1])
    # ≈ (R/2)·(T_det + p) with R = 10.
    assert 205 <= errors <= 305


def test_node_up_before_eviction_makes_pods_ready_again():
    lane = failure(duration=DEATH + 200, events=[event(DEATH + 100, "NodeUp", node="node2")])
    node2 = lane.api.node("node2")
    assert node2.ready_status == "True"
    assert node2.taints == []
    assert [p.name for p in lane.api.pods] == ["web-1", "web-2"]
    web2 = pod_of(lane, "web-2")
    assert web2.ready
    assert event_times(lane, "NodeReady", "Node/node2")
    assert not [e for e in lane.events if e["message"].startswith("Marking for deletion")]
    assert [e for e in lane.events if e["message"].startswith("Cancelling deletion")]


def test_node_up_after_eviction_completes_the_deletion():
    lane = failure(duration=DEATH + 500, events=[event(DEATH + 420, "NodeUp", node="node2")])
    web2 = pod_of(lane, "web-2")
    assert web2.removed
    assert web2.deleted_at >= DEATH + 420
    assert web2.phase in ("Succeeded", "Failed")
    assert lane.kubectl.row(pod_of(lane, "web-3")).status == "Running"


def test_eviction_rate_limit_taints_one_node_every_ten_seconds():
    nodes = tuple(f"node{i}" for i in range(1, 11))
    scn = scenario(
        variant(deployment(10), nodes=nodes),
        duration=200,
        events=[event(DEATH, "NodeDown", node="node2"), event(DEATH, "NodeDown", node="node3")],
    )
    lane = only_lane(simulate(scn))
    taint_times = sorted(
        t.time_added for node in lane.api.nodes for t in node.taints if t.effect == "NoExecute"
    )
    assert len(taint_times) == 2
    assert taint_times[1] - taint_times[0] == pytest.approx(10)


def test_every_node_down_means_no_eviction():
    scn = scenario(
        variant(deployment(2), nodes=("node1", "node2")),
        duration=500,
        events=[event(DEATH, "NodeDown", node="node1"), event(DEATH, "NodeDown", node="node2")],
    )
    lane = only_lane(simulate(scn))
    assert event_times(lane, "NodeNotReady", "Node/node1")
    assert not [e for e in lane.events if e["message"].startswith("Marking for deletion")]
    assert all(
        not node.has_taint("node.kubernetes.io/unreachable", "NoExecute") for node in lane.api.nodes
    )


def test_lease_renewal_arithmetic():
    node = Node("n", 0)
    assert node.latest_lease_renewal(12.5) == 12.5
    assert node.latest_lease_renewal(22.4) == 12.5
    node.up, node.down_since = False, 60.0
    assert node.latest_lease_renewal(200.0) == 52.5
