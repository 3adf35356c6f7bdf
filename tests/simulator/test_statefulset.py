"""The StatefulSet controller (docs/kubernetes-model.md §8.10): pods ``<name>-<ordinal>`` made in
order (OrderedReady) or at once (Parallel), a rolling update from the highest ordinal down to the
partition that stalls on a pod that never becomes Ready, a deleted pod made again under its
name."""

from __future__ import annotations

import copy
import itertools

import pytest
import yaml

from simulator.engine.simulation import Simulation
from simulator.scenario.loader import load_scenario
from simulator.scenario.validation import ScenarioError

SCENARIO = """
apiVersion: podviz/v1
kind: Scenario
metadata: {name: sts}
spec:
  duration: 200
  traffic: {requestsPerSecond: 10}
  workload:
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: web}
    spec:
      replicas: 3
      serviceName: web
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
"""


def lane_of(events=(), duration=200, **spec):
    document = yaml.safe_load(SCENARIO)
    document["spec"]["duration"] = duration
    document["spec"]["events"] = list(events)
    document["spec"]["workload"]["spec"].update(spec)
    simulation = Simulation(load_scenario(document))
    simulation.advance_to(duration)
    (lane,) = simulation.lanes
    return lane


def created(lane) -> list[tuple[str, float]]:
    return [(pod.name, pod.created_at) for pod in lane.api.pods]


def test_ordered_ready_makes_each_pod_once_the_one_below_is_ready():
    lane = lane_of(duration=40)
    pods = lane.api.pods
    assert [pod.name for pod in pods] == ["web-0", "web-1", "web-2"]
    for lower, upper in itertools.pairwise(pods):
        ready_at = lower.conditions["Ready"].last_transition_time
        assert upper.created_at == ready_at > lower.created_at
    messages = [e["message"] for e in lane.events if e["reason"] == "SuccessfulCreate"]
    assert messages[0] == "create Pod web-0 in StatefulSet web successful"


def test_parallel_makes_every_pod_at_once():
    lane = lane_of(duration=40, podManagementPolicy="Parallel")
    assert created(lane) == [("web-0", 0.0), ("web-1", 0.0), ("web-2", 0.0)]


def test_ordered_ready_stops_at_a_pod_that_never_becomes_ready():
    lane = lane_of([{"at": 3, "action": "AppHang", "pod": "web-0"}], duration=60)
    assert created(lane) == [("web-0", 0.0)]


def test_a_rolling_update_goes_from_the_highest_ordinal_down_one_ready_pod_at_a_time():
    lane = lane_of([{"at": 60, "action": "RolloutRestart"}])
    deletes = [(e["time"], e["message"]) for e in lane.events if e["reason"] == "SuccessfulDelete"]
    assert [message.split()[2] for _, message in deletes] == ["web-2", "web-1", "web-0"]
    remade = {pod.name: pod for pod in lane.api.pods if pod.created_at >= 60}
    # Each next pod goes only once the one above it is Ready again.
    assert deletes[1][0] == remade["web-2"].conditions["Ready"].last_transition_time
    assert deletes[2][0] == remade["web-1"].conditions["Ready"].last_transition_time
    status = lane.workload.status()
    assert status["updatedReplicas"] == 3 and status["currentRevision"] == "web-2"


def test_the_partition_keeps_lower_ordinals_at_the_old_revision():
    lane = lane_of(
        [{"at": 60, "action": "RolloutRestart"}],
        updateStrategy={"type": "RollingUpdate", "rollingUpdate": {"partition": 2}},
    )
    assert [pod.name for pod in lane.api.pods if pod.created_at >= 60] == ["web-2"]
    status = lane.workload.status()
    assert (status["updatedReplicas"], status["currentReplicas"]) == (1, 2)


def test_a_rollout_stalls_on_a_pod_that_never_becomes_ready():
    lane = lane_of(
        [{"at": 60, "action": "RolloutRestart"}, {"at": 61, "action": "AppHang", "pod": "web-2"}]
    )
    assert [pod.name for pod in lane.api.pods if pod.created_at >= 60] == ["web-2"]
    assert not lane.api.pod("web-2").ready
    assert lane.api.pod("web-1").deletion_timestamp is None


def test_on_delete_updates_a_pod_only_when_it_is_deleted():
    lane = lane_of(
        [
            {"at": 60, "action": "RolloutRestart"},
            {"at": 100, "action": "DeletePod", "pod": "web-1"},
        ],
        updateStrategy={"type": "OnDelete"},
    )
    assert [pod.name for pod in lane.api.pods if pod.created_at >= 60] == ["web-1"]
    assert lane.workload.status()["updatedReplicas"] == 1


def test_a_deleted_pod_is_made_again_under_its_name_with_a_new_uid():
    lane = lane_of([{"at": 60, "action": "DeletePod", "pod": "web-1"}], duration=100)
    first, again = [pod for pod in lane.api.pods if pod.name == "web-1"]
    assert again.created_at == first.deleted_at >= 60
    assert again.uid != first.uid


def test_scale_down_removes_the_highest_ordinal_first():
    lane = lane_of([{"at": 60, "action": "Scale", "replicas": 1}], duration=100)
    deletes = [e["message"] for e in lane.events if e["reason"] == "SuccessfulDelete"]
    assert deletes == [
        "delete Pod web-2 in StatefulSet web successful",
        "delete Pod web-1 in StatefulSet web successful",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"podManagementPolicy": "Random"}, "spec.workload.spec.podManagementPolicy: Unsupported"),
        (
            {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": -1}}},
            "spec.workload.spec.updateStrategy.rollingUpdate.partition: Invalid value: -1",
        ),
    ],
)
def test_invalid_statefulset_fields_are_refused(change, message):
    document = yaml.safe_load(SCENARIO)
    document["spec"]["workload"]["spec"].update(copy.deepcopy(change))
    with pytest.raises(ScenarioError) as raised:
        load_scenario(document)
    assert any(message in str(problem) for problem in raised.value.problems)


def test_events_name_statefulset_pods_by_ordinal():
    document = yaml.safe_load(SCENARIO)
    document["spec"]["events"] = [{"at": 5, "action": "AppCrash", "pod": "web-3x"}]
    with pytest.raises(ScenarioError) as raised:
        load_scenario(document)
    assert "web-0, web-1, ... by ordinal" in str(raised.value)
