"""docs/kubernetes-model.md §3.4: image pulls and their backoff (with §1.7 and §1.8)."""

from .builders import deployment, program, scenario
from .reading import (
    assert_between,
    backoff_tolerance,
    event_times,
    events,
    first_time,
    only_lane,
    pod,
    run,
    running_since,
)


def failing_pull(duration: float) -> dict:
    return scenario(
        deployment(),
        duration=duration,
        requests_per_second=1,
        programs={"app": program(imagePullFails=True)},
    )


def test_failed_pulls_are_retried_after_10_20_40_80_s():
    """§3.4: ErrImagePull, then ImagePullBackOff while waiting 10 s → … → 300 s between attempts."""
    lane = only_lane(run(failing_pull(250)))
    web = pod(lane, "web-1")
    failures = [row["time"] for row in web["history"] if row["status"] == "ErrImagePull"]
    attempts = event_times(lane, "Pulling", "Pod/web-1")
    assert len(failures) >= 4, web["history"]
    for index, nominal in enumerate((10, 20, 40)):
        next_attempt = min(time for time in attempts if time > failures[index])
        assert_between(
            next_attempt - failures[index],
            nominal,
            nominal + backoff_tolerance(nominal),
            f"wait after failed pull {index + 1}",
        )


def test_pod_stays_pending_while_pulls_fail():
    """§3.4, §1.1: phase Pending throughout; READY 0/1; no restart is counted."""
    web = pod(only_lane(run(failing_pull(120))), "web-1")
    assert {row["phase"] for row in web["history"]} == {"Pending"}
    assert {row["ready"] for row in web["history"]} == {"0/1"}
    assert {row["restarts"] for row in web["history"]} == {0}
    assert first_time(web, lambda row: row["status"] == "ImagePullBackOff") is not None


def test_successful_pull_emits_pulling_pulled_created_started_in_order():
    """§1.8: Scheduled, Pulling, Pulled, Created, Started; the container runs after the pull."""
    pull_seconds = 4
    lane = only_lane(run(scenario(deployment(), duration=20, image_pull_seconds=pull_seconds)))
    reasons = ["Scheduled", "Pulling", "Pulled", "Created", "Started"]
    times = [min(event_times(lane, reason, "Pod/web-1")) for reason in reasons]
    assert times == sorted(times), dict(zip(reasons, times, strict=True))
    pulled = min(event_times(lane, "Pulled", "Pod/web-1"))
    pulling = min(event_times(lane, "Pulling", "Pod/web-1"))
    assert_between(pulled - pulling, pull_seconds, pull_seconds + 1, "pull duration")
    assert running_since(pod(lane, "web-1")) >= pulled
    assert events(lane, "Started", "Pod/web-1")[0]["type"] == "Normal"


def test_a_restart_on_the_same_node_finds_the_image_present():
    """§1.8: Pulled "Container image … already present on machine" for a restarted container."""
    doc = scenario(
        deployment(),
        duration=30,
        requests_per_second=1,
        programs={"app": program(exitAfterSeconds=3, exitCode=1)},
    )
    lane = only_lane(run(doc))
    pulled = events(lane, "Pulled", "Pod/web-1")
    assert len(pulled) >= 2
    assert pulled[-1]["message"].endswith("already present on machine")
