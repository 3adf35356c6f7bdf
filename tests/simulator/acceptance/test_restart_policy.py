"""docs/kubernetes-model.md §1.4: pod restartPolicy (Always, OnFailure, Never)."""

from .builders import bare_pod, deployment, program, scenario
from .reading import backoff_tolerance, container_of, only_lane, pod, restart_times, run

LIFETIME = 2


def finishing(exit_code: int) -> dict:
    return {"app": program(exitAfterSeconds=LIFETIME, exitCode=exit_code)}


def test_always_restarts_a_container_that_exited_zero():
    """§1.4: Always restarts whatever the exit code; phase stays Running (§1.1 rule 4)."""
    doc = scenario(deployment(), duration=40, programs=finishing(0))
    web = pod(only_lane(run(doc)), "web-1")
    assert web["restarts"] >= 2
    assert web["phase"] == "Running"
    statuses = {row["status"] for row in web["history"]}
    assert "CrashLoopBackOff" in statuses
    assert statuses <= {"ContainerCreating", "Running", "Completed", "CrashLoopBackOff"}


def test_on_failure_does_not_restart_a_container_that_exited_zero():
    """§1.4, §1.1 rule 4: OnFailure + exit 0 ⇒ Succeeded, no restart, STATUS Completed."""
    doc = scenario(bare_pod(restart_policy="OnFailure"), duration=40, programs=finishing(0))
    solo = pod(only_lane(run(doc)), "solo")
    assert (solo["phase"], solo["status"], solo["ready"], solo["restarts"]) == (
        "Succeeded",
        "Completed",
        "0/1",
        0,
    )
    app = container_of(solo)
    assert (app["state"], app["exitCode"], app["reason"]) == ("Terminated", 0, "Completed")


def test_on_failure_restarts_a_failed_container_with_backoff():
    """§1.4, §3.2: OnFailure + exit ≠ 0 ⇒ restarted through the crash-loop backoff, Running."""
    doc = scenario(bare_pod(restart_policy="OnFailure"), duration=70, programs=finishing(1))
    solo = pod(only_lane(run(doc)), "solo")
    assert solo["phase"] == "Running"
    restarts = restart_times(solo)
    assert len(restarts) >= 3
    for index, nominal in ((1, 10), (2, 20)):
        wait = restarts[index] - restarts[index - 1] - LIFETIME
        assert nominal <= wait <= nominal + backoff_tolerance(nominal), restarts


def test_never_fails_the_pod_on_a_non_zero_exit():
    """§1.4, §1.1 rule 4: Never + exit ≠ 0 ⇒ Failed, STATUS Error, no restart."""
    doc = scenario(bare_pod(restart_policy="Never"), duration=40, programs=finishing(1))
    solo = pod(only_lane(run(doc)), "solo")
    assert (solo["phase"], solo["status"], solo["restarts"]) == ("Failed", "Error", 0)
    app = container_of(solo)
    assert (app["state"], app["exitCode"], app["reason"]) == ("Terminated", 1, "Error")


def test_never_succeeds_the_pod_on_exit_zero():
    """§1.4, §1.1 rule 4: Never + exit 0 ⇒ Succeeded, STATUS Completed."""
    doc = scenario(bare_pod(restart_policy="Never"), duration=40, programs=finishing(0))
    solo = pod(only_lane(run(doc)), "solo")
    assert (solo["phase"], solo["status"], solo["restarts"]) == ("Succeeded", "Completed", 0)


def test_default_restart_policy_is_always():
    """§0: pod restartPolicy defaults to Always."""
    doc = scenario(bare_pod(), duration=40, programs=finishing(0))
    solo = pod(only_lane(run(doc)), "solo")
    assert solo["restarts"] >= 1
    assert solo["phase"] == "Running"
