"""The scheduler: fewest pods of the workload, ties by node order, taints, nodeName."""

from __future__ import annotations

from .factories import (
    bare_pod,
    deployment,
    event,
    event_times,
    only_lane,
    pod_of,
    scenario,
    simulate,
    template,
    variant,
)


def test_spread_and_tie_break_by_node_order():
    lane = only_lane(simulate(scenario(variant(deployment(5)), duration=5)))
    assert [p.node_name for p in lane.api.pods] == ["node1", "node2", "node3", "node1", "node2"]
    assert event_times(lane, "Scheduled", "Pod/web-1") == [0.0]
    message = next(e["message"] for e in lane.events if e["reason"] == "Scheduled")
    assert message == "Successfully assigned default/web-1 to node1"


def test_node_name_pins_the_pod():
    lane = only_lane(simulate(scenario(variant(bare_pod(template(node_name="node3"))), duration=5)))
    assert pod_of(lane, "solo").node_name == "node3"


def test_no_schedulable_node_leaves_the_pod_pending_until_one_returns():
    scn = scenario(
        variant(deployment(1), nodes=("node1",)),
        duration=600,
        events=[
            event(10, "NodeDown", node="node1"),
            event(70, "DeletePod", pod="web-1"),
            event(500, "NodeUp", node="node1"),
        ],
    )
    lane = only_lane(simulate(scn, until=400))
    web2 = pod_of(lane, "web-2")
    assert web2.node_name is None
    assert (web2.phase, lane.kubectl.row(web2).status, lane.kubectl.row(web2).ready) == (
        "Pending",
        "Pending",
        "0/1",
    )
    scheduled = web2.conditions["PodScheduled"]
    assert (scheduled.status, scheduled.reason) == ("False", "Unschedulable")
    assert event_times(lane, "FailedScheduling", "Pod/web-2")
    lane.advance_to(600)
    assert web2.node_name == "node1"
    assert lane.kubectl.row(web2).status == "Running"
