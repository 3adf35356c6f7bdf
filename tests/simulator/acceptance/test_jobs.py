"""docs/kubernetes-model.md §1.6: Job pods."""

import pytest

from simulator.scenario.loader import ScenarioError, load_scenario

from .builders import job, program, scenario
from .reading import only_lane, pod, pod_names, run

FAILS = program(exitAfterSeconds=2, exitCode=1)


def test_job_pod_that_exits_zero_succeeds():
    """§1.6: exit 0 ⇒ Succeeded, STATUS Completed, Ready False (PodCompleted)."""
    doc = scenario(job(), duration=30, programs={"app": program(exitAfterSeconds=5, exitCode=0)})
    lane = only_lane(run(doc))
    assert pod_names(lane) == ["batch-1"]
    batch = pod(lane, "batch-1")
    assert (batch["phase"], batch["status"], batch["ready"]) == ("Succeeded", "Completed", "0/1")
    assert batch["conditions"]["Ready"] is False
    assert batch["conditions"]["ContainersReady"] is False


def test_failed_job_pods_are_replaced_after_a_doubling_backoff():
    """§1.6: Never + exit ≠ 0 ⇒ Failed; the Job creates a new pod after 10 s, then 20 s."""
    doc = scenario(
        job(backoff_limit=6), duration=80, requests_per_second=1, programs={"app": FAILS}
    )
    lane = only_lane(run(doc))
    names = pod_names(lane)
    assert names[:3] == ["batch-1", "batch-2", "batch-3"]
    for earlier, later, nominal in (("batch-1", "batch-2", 10), ("batch-2", "batch-3", 20)):
        failed = pod(lane, earlier)
        assert (failed["phase"], failed["status"]) == ("Failed", "Error")
        failed_at = next(row["time"] for row in failed["history"] if row["phase"] == "Failed")
        wait = pod(lane, later)["createdAt"] - failed_at
        # The kubelet observes the exit up to ~1 s after finishedAt, from which the Job counts.
        assert nominal - 1 <= wait <= nominal + max(2, 0.15 * nominal), (earlier, wait)


def test_job_gives_up_after_backoff_limit_failures():
    """§1.6: backoffLimit failed pods beyond the first ⇒ no more pods (backoffLimit + 1 in all)."""
    doc = scenario(
        job(backoff_limit=2), duration=150, requests_per_second=1, programs={"app": FAILS}
    )
    lane = only_lane(run(doc))
    assert pod_names(lane) == ["batch-1", "batch-2", "batch-3"]
    assert {entry["phase"] for entry in lane["pods"]} == {"Failed"}


def test_job_with_on_failure_restarts_the_container_in_the_same_pod():
    """§1.6: OnFailure + exit ≠ 0 ⇒ same pod, crash-loop restarts, phase Running."""
    doc = scenario(
        job(restart_policy="OnFailure"), duration=40, requests_per_second=1, programs={"app": FAILS}
    )
    lane = only_lane(run(doc))
    assert pod_names(lane) == ["batch-1"]
    batch = pod(lane, "batch-1")
    assert batch["phase"] == "Running"
    assert batch["restarts"] >= 2
    assert "CrashLoopBackOff" in {row["status"] for row in batch["history"]}


def test_job_rejects_restart_policy_always():
    """§1.6: a Job's restartPolicy must be Never or OnFailure."""
    with pytest.raises(ScenarioError) as raised:
        load_scenario(scenario(job(restart_policy="Always"), duration=30))
    assert any(problem.path.endswith("restartPolicy") for problem in raised.value.problems)
