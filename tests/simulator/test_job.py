"""Job pods and the Job controller (docs/kubernetes-model.md §1.6)."""

from __future__ import annotations

import pytest
import yaml

from simulator.engine.simulation import Simulation
from simulator.scenario.loader import load_scenario
from simulator.scenario.validation import ScenarioError

from .factories import behavior, job, only_lane, scenario, simulate, template, variant
from .factories import container as spec


def run(workload, duration=300, **program):
    scn = scenario(variant(workload, program=behavior(**program)), duration=duration)
    return only_lane(simulate(scn))


def test_successful_job_completes():
    lane = run(job(completions=2, parallelism=1), exit_after_seconds=5, exit_code=0)
    pods = lane.api.pods
    assert [p.name for p in pods] == ["batch-1", "batch-2"]
    assert all(p.phase == "Succeeded" and lane.kubectl.row(p).status == "Completed" for p in pods)
    assert all(p.conditions["Ready"].reason == "PodCompleted" for p in pods)
    assert [e["message"] for e in lane.events if e["reason"] == "Completed"] == ["Job completed"]


def test_failed_pods_are_replaced_after_the_job_backoff_until_the_limit():
    lane = run(job(backoff_limit=2), duration=400, exit_after_seconds=1, exit_code=1)
    pods = lane.api.pods
    assert len(pods) == 3  # backoffLimit 2: the third failure ends the Job
    assert all(p.phase == "Failed" and lane.kubectl.row(p).status == "Error" for p in pods)
    created = [p.created_at for p in pods]
    finished = [p.containers[0].terminated.finished_at for p in pods]
    # 10 s after the first failure, 20 s after the second.
    assert created[1] - finished[0] >= 10
    assert created[2] - finished[1] >= 20
    assert created[2] - finished[1] < 21
    assert [e["reason"] for e in lane.events if e["object"] == "Job/batch"][-1] == (
        "BackoffLimitExceeded"
    )


def test_on_failure_restarts_the_container_in_the_same_pod():
    workload = job(template(spec(), restart_policy="OnFailure"), backoff_limit=6)
    lane = run(workload, duration=60, exit_after_seconds=1, exit_code=1)
    (pod,) = lane.api.pods
    assert pod.phase == "Running"
    assert lane.kubectl.row(pod).status == "CrashLoopBackOff"
    assert lane.kubectl.row(pod).restarts >= 2


def test_parallel_job_runs_pods_side_by_side():
    lane = run(job(completions=4, parallelism=2), duration=100, exit_after_seconds=10)
    created = [p.created_at for p in lane.api.pods]
    assert created[:2] == [0.0, 0.0]
    assert len(lane.api.pods) == 4
    assert all(p.phase == "Succeeded" for p in lane.api.pods)


def test_active_deadline_fails_the_job_and_deletes_its_active_pods():
    """docs/kubernetes-model.md §8.9: activeDeadlineSeconds after the Job's start, the Job fails
    with DeadlineExceeded and its running pods are deleted; no pod replaces them."""
    lane = run(
        job(parallelism=2, completions=2, active_deadline_seconds=30),
        duration=120,
        boot_seconds=1,
        exit_after_seconds=100,
    )
    (failed,) = [e for e in lane.events if e["object"] == "Job/batch" and e["type"] == "Warning"]
    assert (failed["time"], failed["reason"], failed["message"]) == (
        30.0,
        "DeadlineExceeded",
        "Job was active longer than specified deadline",
    )
    pods = lane.api.pods
    assert [p.name for p in pods] == ["batch-1", "batch-2"]
    assert all(p.deletion_timestamp == 30.0 for p in pods)
    assert lane.workload.status()["conditions"] == [{"type": "Failed", "status": "True"}]


def test_a_job_that_completes_before_its_deadline_is_complete():
    lane = run(job(active_deadline_seconds=60), duration=120, exit_after_seconds=5, exit_code=0)
    reasons = [e["reason"] for e in lane.events if e["object"] == "Job/batch"]
    assert "Completed" in reasons and "DeadlineExceeded" not in reasons


POLICY_JOB = """
apiVersion: podviz/v1
kind: Scenario
metadata: {name: policy}
spec:
  duration: 200
  workload:
    apiVersion: batch/v1
    kind: Job
    metadata: {name: batch}
    spec:
      completions: 4
      parallelism: 2
      backoffLimit: 0
      podFailurePolicy:
        rules:
        - action: FailJob
          onExitCodes: {containerName: main, operator: In, values: [42]}
        - action: Ignore
          onExitCodes: {operator: In, values: [1]}
      template:
        spec:
          restartPolicy: Never
          containers: [{name: main, image: bash:5}]
  behavior:
    containers:
      main: {exitAfterSeconds: 2, exitCode: 42}
"""


def policy_lane(exit_code: int, duration: float = 200):
    document = yaml.safe_load(POLICY_JOB)
    document["spec"]["duration"] = duration
    document["spec"]["behavior"]["containers"]["main"]["exitCode"] = exit_code
    simulation = Simulation(load_scenario(document))
    simulation.advance_to(duration)
    (lane,) = simulation.lanes
    return lane


def test_a_fail_job_rule_fails_the_job_at_the_first_matching_exit_code():
    """docs/kubernetes-model.md §8.12 (the Kubernetes docs' pod failure policy example)."""
    lane = policy_lane(42)
    (failed,) = [e for e in lane.events if e["object"] == "Job/batch" and e["type"] == "Warning"]
    assert failed["reason"] == "PodFailurePolicy"
    assert failed["message"] == (
        "Container main for pod default/batch-1 failed with exit code 42 matching FailJob rule at "
        "index 0"
    )
    assert [p.name for p in lane.api.pods] == ["batch-1", "batch-2"]


def test_an_ignore_rule_does_not_count_the_failure_against_the_backoff_limit():
    lane = policy_lane(1, duration=60)
    reasons = [e["reason"] for e in lane.events if e["object"] == "Job/batch"]
    # backoffLimit 0 would fail the Job at the first failure; ignored ones are replaced instead.
    assert "BackoffLimitExceeded" not in reasons and "PodFailurePolicy" not in reasons
    assert len(lane.api.pods) > 4
    assert lane.workload.status()["failed"] == 0


def test_an_unmatched_failure_counts_as_usual():
    lane = policy_lane(3)
    reasons = [e["reason"] for e in lane.events if e["object"] == "Job/batch"]
    assert "BackoffLimitExceeded" in reasons


def test_pod_failure_policy_rules_are_validated():
    document = yaml.safe_load(POLICY_JOB)
    spec = document["spec"]["workload"]["spec"]
    spec["template"]["spec"]["restartPolicy"] = "OnFailure"
    spec["podFailurePolicy"]["rules"].append(
        {"action": "FailIndex", "onExitCodes": {"operator": "In", "values": [2]}}
    )
    spec["podFailurePolicy"]["rules"][1]["onExitCodes"]["values"] = [0]
    with pytest.raises(ScenarioError) as raised:
        load_scenario(document)
    text = str(raised.value)
    assert "only `Never` is supported when podFailurePolicy is specified" in text
    assert "rules[2].action: Forbidden: FailIndex needs backoffLimitPerIndex" in text
    assert (
        "rules[1].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator"
        in text
    )
