"""docs/kubernetes-model.md §6: graceful termination of a deleted pod."""

import pytest

from .builders import container, deployment, event, program, scenario
from .reading import (
    assert_between,
    binomial_band,
    cause_errors,
    container_of,
    events,
    first_time,
    only_lane,
    pod,
    row_at,
    run,
    simulate,
)

DELETE_AT = 20
RATE = 40


def deletion(
    duration: float = 70,
    grace: int | None = None,
    pre_stop: int | None = None,
    pre_stop_command: list[str] | None = None,
    replicas: int = 2,
    **behaviour,
) -> dict:
    hooked = container(pre_stop_sleep=pre_stop, pre_stop_command=pre_stop_command)
    return scenario(
        deployment([hooked], replicas=replicas, grace=grace),
        duration=duration,
        requests_per_second=RATE,
        programs={"app": program(**behaviour)},
        events=[event(DELETE_AT, "DeletePod", pod="web-1")],
    )


def deleted_after(doc: dict) -> float:
    web1 = pod(only_lane(run(doc)), "web-1")
    assert web1["deletedAt"] is not None, web1["history"]
    return web1["deletedAt"] - DELETE_AT


def test_delete_prints_terminating_at_once_and_keeps_ready_and_phase():
    """§6.1, §1.7: deletionTimestamp ⇒ Terminating; READY unchanged; phase Running."""
    web1 = pod(only_lane(run(deletion(handlesSigterm=False))), "web-1")
    terminating = first_time(web1, lambda row: row["status"] == "Terminating")
    assert_between(terminating, DELETE_AT, DELETE_AT + 1, "Terminating shown")
    row = row_at(web1, DELETE_AT + 10)
    assert (row["status"], row["ready"], row["phase"]) == ("Terminating", "1/1", "Running")


def test_app_that_exits_on_sigterm_stops_at_once_and_succeeds():
    """§6.4: handled SIGTERM → the app's own exit code (0) ⇒ Succeeded; object removed."""
    doc = deletion(handlesSigterm=True, exitCode=0)
    assert_between(deleted_after(doc), 0, 2, "deletedAt − delete")
    web1 = pod(only_lane(run(doc)), "web-1")
    assert web1["phase"] == "Succeeded"
    assert container_of(web1)["exitCode"] == 0


def test_app_exit_code_on_sigterm_decides_the_phase():
    """§6.4: handled SIGTERM → the app's own code; non-zero ⇒ Failed."""
    web1 = pod(only_lane(run(deletion(handlesSigterm=True, exitCode=3))), "web-1")
    assert web1["phase"] == "Failed"
    assert container_of(web1)["exitCode"] == 3


def test_app_ignoring_sigterm_is_killed_after_the_grace_period():
    """§0, §6.2, §6.4: default grace 30 s, then SIGKILL 137 (reason Error) ⇒ Failed."""
    doc = deletion(handlesSigterm=False)
    assert_between(deleted_after(doc), 30, 32, "deletedAt − delete")
    web1 = pod(only_lane(run(doc)), "web-1")
    assert web1["phase"] == "Failed"
    app = container_of(web1)
    assert (app["state"], app["exitCode"], app["reason"]) == ("Terminated", 137, "Error")


def test_grace_period_comes_from_the_pod_spec():
    """§6.1: deletionGracePeriodSeconds = the pod's terminationGracePeriodSeconds."""
    assert_between(deleted_after(deletion(grace=10, handlesSigterm=False)), 10, 12, "grace 10")


def test_pre_stop_runs_first_then_sigterm():
    """§6.2: preStop runs before SIGTERM; an app that handles SIGTERM exits right after it."""
    assert_between(deleted_after(deletion(pre_stop=5, handlesSigterm=True)), 5, 7, "preStop 5")


def test_pre_stop_time_counts_against_the_grace_period():
    """§6.2, §2.3: preStop's duration is subtracted from the grace period."""
    assert_between(deleted_after(deletion(pre_stop=10, handlesSigterm=False)), 30, 32, "grace")


def test_app_gets_at_least_two_seconds_after_a_long_pre_stop():
    """§0, §6.2: preStop is bounded by the grace period; the app then gets ≥ 2 s."""
    doc = deletion(pre_stop_command=["sleep", "40"], handlesSigterm=False)
    assert_between(deleted_after(doc), 32, 34, "grace 30 + minimum 2")


def test_replacement_is_created_at_once():
    """§6.2: the ReplicaSet ignores a pod with a deletionTimestamp and replaces it at once."""
    lane = only_lane(run(deletion(handlesSigterm=False)))
    assert_between(pod(lane, "web-3")["createdAt"], DELETE_AT, DELETE_AT + 1, "web-3 createdAt")


def refused_after_delete(doc: dict) -> int:
    series = simulate(doc).lanes[0].series
    return cause_errors(series, "ConnectionRefused", DELETE_AT, DELETE_AT + 10)


def test_app_exiting_at_once_is_still_sent_connections_for_about_p_seconds():
    """§6.3: the race: until kube-proxy drops the endpoint (p = 1 s) connections are refused."""
    refused = refused_after_delete(deletion(handlesSigterm=True))
    _, high = binomial_band(RATE * 1, 0.5)
    assert 1 <= refused <= high + RATE / 2, refused


@pytest.mark.parametrize("pre_stop", [2, 5])
def test_pre_stop_sleep_longer_than_p_avoids_the_race(pre_stop):
    """§6.3: a preStop sleep ≥ p keeps the app serving until the endpoint is gone."""
    assert refused_after_delete(deletion(pre_stop=pre_stop, handlesSigterm=True)) == 0


def test_delete_announces_stopping_the_container():
    """§1.8: Killing "Stopping container app" when the pod is deleted."""
    lane = only_lane(run(deletion(handlesSigterm=False)))
    stopping = [
        entry
        for entry in events(lane, "Killing", "Pod/web-1")
        if entry["message"] == "Stopping container app"
    ]
    assert [entry["time"] for entry in stopping] == [DELETE_AT]
