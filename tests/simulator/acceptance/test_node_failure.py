"""docs/kubernetes-model.md §5: node failure, detection, eviction and replacement (with §1.7)."""

import pytest

from .builders import deployment, event, http_probe, scenario, variant
from .reading import (
    assert_between,
    binomial_band,
    cause_errors,
    condition,
    events,
    first_event_time,
    lane_named,
    named,
    pod,
    pod_names,
    pod_requests,
    results_at,
    row_at,
    run,
    running_since,
    simulate,
    snapshot_at,
    total_errors,
)

DEATH = 10
RATE = 10
LANES = ("no-probes", "probes")


def node_failure(duration: float = DEATH + 430, replicas: int = 2, nodes: int = 3, **cluster):
    return scenario(
        deployment(replicas=replicas),
        duration=duration,
        nodes=nodes,
        requests_per_second=RATE,
        cluster=cluster,
        events=[event(DEATH, "NodeDown", node="node2")],
        variants=[
            variant("no-probes", readinessProbe=None, livenessProbe=None),
            variant(
                "probes",
                readinessProbe=http_probe(periodSeconds=5),
                livenessProbe=http_probe(periodSeconds=10),
            ),
        ],
    )


def detection_time(lane: dict, subject: str = "Pod/web-2") -> float:
    return first_event_time(lane, "NodeNotReady", subject)


def evictions(lane: dict, subject: str | None = None) -> list[dict]:
    """TaintManagerEviction events that delete (not the "Cancelling deletion" ones)."""
    return [
        entry
        for entry in events(lane, "TaintManagerEviction", subject)
        if entry["message"].startswith("Marking for deletion Pod")
    ]


def eviction_time(lane: dict, subject: str = "Pod/web-2") -> float:
    times = [entry["time"] for entry in evictions(lane, subject)]
    assert times, f"no eviction of {subject}"
    return min(times)


@pytest.fixture(scope="module")
def results():
    return run(node_failure())


@pytest.fixture(scope="module")
def before_eviction():
    return results_at(node_failure(), DEATH + 200)


@pytest.mark.parametrize("lane_name", LANES)
def test_scheduler_spreads_replicas_over_nodes_in_order(results, lane_name):
    """scenario-format: fewest pods of the workload first, ties broken by node order."""
    lane = lane_named(results, lane_name)
    assert pod(lane, "web-1")["node"] == "node1"
    assert pod(lane, "web-2")["node"] == "node2"


@pytest.mark.parametrize("lane_name", LANES)
def test_node_is_detected_between_40_and_60_s(results, lane_name):
    """§5.1: T_det ∈ (G − 10, G + 10) = (40, 60) s with G = 50; NodeNotReady "Node is not ready"."""
    lane = lane_named(results, lane_name)
    assert_between(detection_time(lane) - DEATH, 40, 60, "T_det")
    (not_ready,) = events(lane, "NodeNotReady", "Pod/web-2")
    assert (not_ready["type"], not_ready["message"]) == ("Warning", "Node is not ready")


@pytest.mark.parametrize("death", [11.0, 13.3, 17.5, 19.9])
def test_detection_stays_in_band_whenever_the_node_dies(death):
    """§5.1: the lease phase makes T_det vary, always within (G − 10, G + 10) = (40, 60)."""
    doc = node_failure(duration=death + 80)
    doc["spec"]["events"] = [event(death, "NodeDown", node="node2")]
    lane = lane_named(run(doc), "no-probes")
    assert_between(detection_time(lane) - death, 40, 60, "T_det")


def test_probes_cannot_shorten_detection(results):
    """§5.2: the kubelet that runs the probes is dead; both lanes detect at the same moment."""
    assert detection_time(lane_named(results, "probes")) == detection_time(
        lane_named(results, "no-probes")
    )


@pytest.mark.parametrize("lane_name", LANES)
def test_pod_on_dead_node_prints_stale_running_with_ready_false(before_eviction, lane_name):
    """§5.2, §1.7: only the Ready condition flips; `1/1 Running`, phase Running."""
    web2 = pod(lane_named(before_eviction, lane_name), "web-2")
    assert (web2["status"], web2["ready"], web2["phase"]) == ("Running", "1/1", "Running")
    assert web2["conditions"]["Ready"] is False
    assert web2["conditions"]["ContainersReady"] is True
    assert web2["containers"][0]["state"] == "Running"


@pytest.mark.parametrize("lane_name", LANES)
def test_requests_to_the_dead_node_time_out_until_detection_plus_p(lane_name):
    """§5.4, §4.4: ≈1/n of new connections time out (never refused) until T_det + p."""
    doc = node_failure(duration=DEATH + 120)
    simulation = simulate(doc)
    index = LANES.index(lane_name)
    series = simulation.lanes[index].series
    lane = lane_named(simulation.results(), lane_name)
    detected = detection_time(lane)
    stopped = detected + 1
    low, high = binomial_band(RATE * (stopped - DEATH), 0.5)
    errors = total_errors(series, DEATH, stopped + 1)
    assert_between(errors, low - RATE, high + RATE, "timeouts until T_det + p")
    after_death = (DEATH, DEATH + 120)
    assert cause_errors(series, "Timeout", *after_death) == total_errors(series, *after_death)
    assert pod_requests(series, "web-2", stopped + 1, DEATH + 120) == 0


@pytest.mark.parametrize("lane_name", LANES)
def test_eviction_comes_toleration_seconds_after_the_taint(results, lane_name):
    """§5.3: T_evict ∈ (340, 360) s after death, ≈ T_det + 300; TaintManagerEviction."""
    lane = lane_named(results, lane_name)
    evicted = eviction_time(lane)
    assert_between(evicted - DEATH, 340, 360, "T_evict")
    assert_between(evicted - detection_time(lane), 300, 305, "T_evict − T_det")
    (eviction,) = evictions(lane, "Pod/web-2")
    assert eviction["message"] == "Marking for deletion Pod default/web-2"


@pytest.mark.parametrize("lane_name", LANES)
def test_evicted_pod_stays_terminating_while_the_node_is_down(results, lane_name):
    """§5.3, §1.7: Terminating (not Unknown), `1/1` stale, phase Running, DisruptionTarget."""
    web2 = pod(lane_named(results, lane_name), "web-2")
    assert (web2["status"], web2["ready"], web2["phase"]) == ("Terminating", "1/1", "Running")
    assert web2["deletedAt"] is None
    assert web2["conditions"]["DisruptionTarget"] is True


@pytest.mark.parametrize("lane_name", LANES)
def test_replacement_is_created_only_at_eviction_on_a_healthy_node(results, lane_name):
    """§5.3: a new pod (new name) at T_evict, scheduled to node3; nothing before eviction."""
    lane = lane_named(results, lane_name)
    evicted = eviction_time(lane)
    assert pod_names(lane) == ["web-1", "web-2", "web-3"]
    web3 = pod(lane, "web-3")
    assert_between(web3["createdAt"], evicted, evicted + 1, "replacement createdAt")
    assert web3["node"] == "node3"
    assert_between(running_since(web3) - evicted, 0, 10, "replacement container running")
    created = [entry for entry in events(lane, "SuccessfulCreate") if "web-3" in entry["message"]]
    assert created
    assert_between(created[0]["time"], evicted, evicted + 1, "SuccessfulCreate")


@pytest.mark.parametrize("lane_name", LANES)
def test_phase_unknown_never_appears(results, lane_name):
    """§1.1, §5.3: phase Unknown is never set; status Unknown only for NodeLost (not this path)."""
    for entry in lane_named(results, lane_name)["pods"]:
        assert all(row["phase"] != "Unknown" for row in entry["history"])
        assert all(row["status"] != "Unknown" for row in entry["history"])


def test_grace_period_is_configurable():
    """§5.1: with G = 40 (before v1.32) T_det ∈ (30, 50)."""
    lane = lane_named(run(node_failure(duration=DEATH + 80, nodeMonitorGracePeriod=40)), "probes")
    assert_between(detection_time(lane) - DEATH, 30, 50, "T_det with G = 40")


def test_toleration_is_configurable():
    """§5.3: T_evict = T_det + tolerationSeconds."""
    lane = lane_named(run(node_failure(duration=DEATH + 150, tolerationSeconds=60)), "probes")
    assert_between(eviction_time(lane) - detection_time(lane), 60, 65, "T_evict − T_det")


def test_node_returning_before_eviction_makes_its_pods_ready_again():
    """§5.3: no eviction, no replacement when the node returns within the toleration."""
    doc = node_failure(duration=DEATH + 250)
    doc["spec"]["events"].append(event(DEATH + 100, "NodeUp", node="node2"))
    lane = lane_named(run(doc), "probes")
    assert pod_names(lane) == ["web-1", "web-2"]
    assert not evictions(lane)
    web2 = pod(lane, "web-2")
    assert web2["conditions"]["Ready"] is True
    assert (web2["status"], web2["ready"]) == ("Running", "1/1")


def test_evicted_pod_goes_away_once_its_node_returns():
    """§5.3: it stays Terminating until the node returns; then the kubelet stops it gracefully."""
    node_up = DEATH + 400
    doc = node_failure(duration=node_up + 60)
    doc["spec"]["events"].append(event(node_up, "NodeUp", node="node2"))
    lane = lane_named(run(doc), "no-probes")
    web2 = pod(lane, "web-2")
    assert row_at(web2, node_up - 1)["status"] == "Terminating"
    assert web2["deletedAt"] is not None
    assert_between(web2["deletedAt"], node_up, node_up + 35, "deletedAt after NodeUp")


def test_two_dead_nodes_are_tainted_ten_seconds_apart():
    """§5.2: NoExecute taints pass a 0.1 node/s queue (first at once) ⇒ evictions ≈10 s apart."""
    doc = node_failure(replicas=3, nodes=5)
    doc["spec"]["events"].append(event(DEATH, "NodeDown", node="node3"))
    lane = lane_named(run(doc), "no-probes")
    gap = abs(eviction_time(lane, "Pod/web-3") - eviction_time(lane, "Pod/web-2"))
    assert_between(gap, 9, 16, "gap between evictions")


def test_no_eviction_when_most_of_a_small_zone_is_down():
    """§5.2: ≥ 55 % of a zone's nodes (and more than 2) unhealthy in ≤ 50 nodes ⇒ evictions stop."""
    doc = node_failure(replicas=4, nodes=4)
    doc["spec"]["events"] += [
        event(DEATH, "NodeDown", node="node3"),
        event(DEATH, "NodeDown", node="node4"),
    ]
    lane = lane_named(run(doc), "no-probes")
    assert events(lane, "NodeNotReady")
    assert not evictions(lane)
    assert pod_names(lane) == ["web-1", "web-2", "web-3", "web-4"]


def test_no_eviction_when_every_node_is_down():
    """§5.2: every node in every zone unhealthy ⇒ the controller assumes a control-plane problem."""
    doc = node_failure(replicas=1, nodes=["node2"])
    lane = lane_named(run(doc), "no-probes")
    assert events(lane, "NodeNotReady")
    assert not evictions(lane)
    assert pod_names(lane) == ["web-1"]


def test_node_conditions_and_taints_at_detection():
    """§5.1–§5.2: Ready Unknown (NodeStatusUnknown, "Kubelet stopped posting node status."),
    `kubectl get nodes` NotReady, unreachable NoSchedule and NoExecute taints."""
    doc = node_failure(duration=DEATH + 200)
    before = named(snapshot_at(doc, DEATH + 30)["nodes"], "node2")
    assert before["status"] == "Ready"
    assert before["taints"] == []
    node2 = named(snapshot_at(doc, DEATH + 100)["nodes"], "node2")
    assert node2["status"] == "NotReady"
    ready = node2["ready"]
    assert (ready["status"], ready["reason"], ready["message"]) == (
        "Unknown",
        "NodeStatusUnknown",
        "Kubelet stopped posting node status.",
    )
    taints = {(taint["key"], taint["effect"]) for taint in node2["taints"]}
    assert taints == {
        ("node.kubernetes.io/unreachable", "NoSchedule"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
    }


def test_eviction_adds_disruption_target_by_the_taint_manager():
    """§1.2, §5.3: DisruptionTarget=True, reason DeletionByTaintManager, before the delete."""
    web2 = named(snapshot_at(node_failure(), DEATH + 400)["pods"], "web-2")
    target = condition(web2, "DisruptionTarget")
    assert (target["status"], target["reason"]) == ("True", "DeletionByTaintManager")
    assert web2["deletionTimestamp"] is not None
