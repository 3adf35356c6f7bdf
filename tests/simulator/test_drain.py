"""``DrainNode`` (kubectl drain) and PodDisruptionBudgets (docs/kubernetes-model.md §8.11):
cordon, then evictions through the eviction API that honour the budget, each refused one retried
every 5 s until it succeeds; an unready pod counts as disrupted."""

from __future__ import annotations

import itertools

import pytest
import yaml

from simulator.engine.simulation import Simulation
from simulator.scenario.loader import load_scenario
from simulator.scenario.validation import ScenarioError

SCENARIO = """
apiVersion: podviz/v1
kind: Scenario
metadata: {name: drain}
spec:
  duration: 120
  cluster: {nodes: 2}
  traffic: {requestsPerSecond: 10}
  workload:
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 3
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers:
          - name: app
            image: example/web:1
            readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 2}
  behavior:
    containers:
      app: {bootSeconds: 5}
  events:
  - {at: 30, action: DrainNode, node: node1}
"""
REFUSAL = (
    'error when evicting pods/"{pod}" -n "default" (will retry after 5s): Cannot evict pod as it '
    "would violate the pod's disruption budget."
)


def lane_of(budget_spec=None, events=None, duration=120):
    document = yaml.safe_load(SCENARIO)
    document["spec"]["duration"] = duration
    if budget_spec is not None:
        document["spec"]["podDisruptionBudgets"] = [
            {
                "apiVersion": "policy/v1",
                "kind": "PodDisruptionBudget",
                "metadata": {"name": "web"},
                "spec": {"selector": {"matchLabels": {"app": "web"}}, **budget_spec},
            }
        ]
    if events is not None:
        document["spec"]["events"] = events
    simulation = Simulation(load_scenario(document))
    simulation.advance_to(duration)
    (lane,) = simulation.lanes
    return lane


def blocked(lane, pod: str) -> list[float]:
    return [
        e["time"]
        for e in lane.events
        if e["reason"] == "EvictionBlocked" and e["object"] == f"Pod/{pod}"
    ]


def test_drain_cordons_the_node_and_evicts_its_pods_without_a_budget():
    lane = lane_of()
    node1 = lane.api.node("node1")
    assert not node1.schedulable
    cordon = [e for e in lane.events if e["reason"] == "NodeNotSchedulable"]
    assert [(e["time"], e["object"], e["message"]) for e in cordon] == [
        (30.0, "Node/node1", "Node node1 status is now: NodeNotSchedulable")
    ]
    drained = [p for p in lane.api.pods if p.created_at < 30 and p.node_name == "node1"]
    assert [p.name for p in drained] == ["web-1", "web-3"]
    assert all(p.deletion_timestamp == 30.0 for p in drained)
    condition = drained[0].conditions["DisruptionTarget"]
    assert (condition.reason, condition.message) == (
        "EvictionByEvictionAPI",
        "Eviction API: evicting",
    )
    # The replacements go to the node that is not cordoned.
    assert {p.node_name for p in lane.api.pods if p.created_at >= 30} == {"node2"}


def test_a_budget_lets_one_pod_go_at_a_time_and_retries_every_5_seconds():
    lane = lane_of({"maxUnavailable": 1})
    first, second = (lane.api.pod(name) for name in ("web-1", "web-3"))
    assert first.deletion_timestamp == 30.0
    # web-3 waits until web-1's replacement is Ready, retrying every 5 s.
    retries = blocked(lane, "web-3")
    assert retries[0] == 30.0 and all(b - a == 5.0 for a, b in itertools.pairwise(retries))
    replacement = next(p for p in lane.api.pods if p.created_at == 30.0)
    ready_at = replacement.conditions["Ready"].last_transition_time
    assert second.deletion_timestamp == retries[-1] + 5.0 >= ready_at
    message = next(e["message"] for e in lane.events if e["reason"] == "EvictionBlocked")
    assert message == REFUSAL.format(pod="web-3")


def test_a_budget_that_allows_no_disruption_blocks_the_drain_for_ever():
    lane = lane_of({"minAvailable": 3})
    assert all(lane.api.pod(name).deletion_timestamp is None for name in ("web-1", "web-3"))
    assert len(blocked(lane, "web-1")) == len(blocked(lane, "web-3")) == 19  # 30, 35, ..., 120


def test_an_unready_pod_counts_as_disrupted():
    """web-2 (node2) hangs and leaves the Service: with minAvailable 2 of 3, the two Ready pods on
    node1 are the budget's whole margin, so neither may go until web-2 is Ready again."""
    lane = lane_of(
        {"minAvailable": 2},
        events=[
            {"at": 20, "action": "AppHang", "pod": "web-2"},
            {"at": 30, "action": "DrainNode", "node": "node1"},
            {"at": 60, "action": "AppRecover", "pod": "web-2"},
        ],
    )
    assert blocked(lane, "web-1")[0] == 30.0
    web1 = lane.api.pod("web-1")
    assert web1.deletion_timestamp is not None and web1.deletion_timestamp >= 60


def test_a_bare_pod_is_not_drained():
    document = yaml.safe_load(SCENARIO)
    document["spec"]["workload"] = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "solo"},
        "spec": {"containers": [{"name": "app", "image": "x"}]},
    }
    with pytest.raises(ScenarioError) as raised:
        load_scenario(document)
    assert "cannot delete Pods that declare no controller" in str(raised.value)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {"minAvailable": 1, "maxUnavailable": 1},
            "minAvailable and maxUnavailable cannot be both set",
        ),
        ({"minAvailable": "half"}, "spec.podDisruptionBudgets[0].spec.minAvailable: Invalid value"),
    ],
)
def test_invalid_budgets_are_refused(spec, message):
    document = yaml.safe_load(SCENARIO)
    document["spec"]["podDisruptionBudgets"] = [
        {
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": {"name": "b"},
            "spec": spec,
        }
    ]
    with pytest.raises(ScenarioError) as raised:
        load_scenario(document)
    assert message in str(raised.value)
