"""docs/kubernetes-model.md §3: container restart backoff (CrashLoopBackOff), and §7 A6."""

import itertools

import pytest

from .builders import container, deployment, event, http_probe, program, scenario
from .reading import (
    assert_between,
    backoff_tolerance,
    events,
    named,
    only_lane,
    pod,
    restart_times,
    rows_between,
    run,
    running_since,
    snapshot_at,
)

A6_WAITS = [0, 10, 20, 40, 80, 160, 300, 300]


def crash_loop(lifetime: float, duration: float, backoff: dict | None = None) -> dict:
    return scenario(
        deployment(),
        duration=duration,
        requests_per_second=1,
        programs={"app": program(exitAfterSeconds=lifetime, exitCode=1)},
        cluster={"crashLoopBackOff": backoff} if backoff else None,
    )


def instance_starts(pod_entry: dict) -> list[float]:
    return [running_since(pod_entry), *restart_times(pod_entry)]


def waits_after_exit(pod_entry: dict, lifetime: float) -> list[float]:
    starts = instance_starts(pod_entry)
    return [later - earlier - lifetime for earlier, later in itertools.pairwise(starts)]


def assert_on_curve(waits: list[float], nominal_waits: list[float]) -> None:
    assert len(waits) >= len(nominal_waits), waits
    for index, (wait, nominal) in enumerate(zip(waits, nominal_waits, strict=False)):
        assert_between(wait, nominal, nominal + backoff_tolerance(nominal), f"wait {index + 1}")


@pytest.fixture(scope="module")
def a6_pod():
    return pod(only_lane(run(crash_loop(lifetime=0, duration=1000))), "web-1")


def test_a6_start_times_follow_the_backoff_curve(a6_pod):
    """§7 A6, §3.2: start times 0, 0, 10, 30, 70, 150, 310, 610, 910 s; each wait on the curve."""
    assert_on_curve(waits_after_exit(a6_pod, 0), A6_WAITS)


def test_a6_restart_count_reaches_six_at_about_310_s(a6_pod):
    """§7 A6, §3.2: restartCount 5 at ≈150 s, 6 at ≈310 s, 7 at ≈610 s after the first start."""
    first = running_since(a6_pod)
    restarts = restart_times(a6_pod)
    for count, nominal in ((5, 150), (6, 310), (7, 610)):
        cumulative_tolerance = sum(backoff_tolerance(wait) for wait in A6_WAITS[:count])
        assert_between(restarts[count - 1] - first, nominal, nominal + cumulative_tolerance, count)


def test_a6_waits_show_crash_loop_back_off_in_phase_running(a6_pod):
    """§7 A6: CrashLoopBackOff during every wait from the second crash on; Running; 0/1."""
    starts = instance_starts(a6_pod)
    for earlier, later in itertools.pairwise(starts[1:]):
        # The exit reason may show for an instant after each exit.
        rows = rows_between(a6_pod, earlier + 1, later)
        assert {row["status"] for row in rows} == {"CrashLoopBackOff"}, rows
        assert {(row["phase"], row["ready"]) for row in rows} == {("Running", "0/1")}


def test_back_off_events_are_warnings():
    """§1.8: BackOff (Warning) "Back-off restarting failed container app in pod …"."""
    lane = only_lane(run(crash_loop(lifetime=0, duration=60)))
    backoffs = events(lane, "BackOff", "Pod/web-1")
    assert backoffs
    assert {entry["type"] for entry in backoffs} == {"Warning"}
    prefix = "Back-off restarting failed container app"
    assert all(entry["message"].startswith(prefix) for entry in backoffs)


def test_backoff_numbers_are_configurable():
    """§3.1: initial, cap and reset are configurable; waits 0, 2, 4, 8, 8, 8 with 2/8."""
    lifetime = 1
    doc = crash_loop(lifetime, duration=60, backoff={"initial": 2, "max": 8, "reset": 600})
    web = pod(only_lane(run(doc)), "web-1")
    assert_on_curve(waits_after_exit(web, lifetime), [0, 2, 4, 8, 8, 8])


def test_a_cap_below_the_initial_back_off_becomes_the_initial_back_off():
    """§3.1: KubeletCrashLoopBackOffMax below 10 s ⇒ the initial delay equals the cap."""
    lifetime = 1
    web = pod(only_lane(run(crash_loop(lifetime, duration=40, backoff={"max": 5}))), "web-1")
    assert_on_curve(waits_after_exit(web, lifetime), [0, 5, 5, 5])


@pytest.mark.parametrize(("lifetime", "second_wait"), [(65, 0), (30, 10)])
def test_backoff_resets_after_a_long_enough_run(lifetime, second_wait):
    """§3.2: the entry expires when finishedAt − lastUpdate > reset ⇒ the restart is immediate."""
    doc = crash_loop(lifetime, duration=200, backoff={"initial": 10, "max": 300, "reset": 60})
    web = pod(only_lane(run(doc)), "web-1")
    assert_on_curve(waits_after_exit(web, lifetime), [0, second_wait])


def test_backoff_resets_after_ten_minutes_by_default():
    """§3.1: "Once a container has executed for 10 minutes without any problems ... resets"."""
    lifetime = 605
    web = pod(only_lane(run(crash_loop(lifetime, duration=1240))), "web-1")
    assert_on_curve(waits_after_exit(web, lifetime), [0, 0])


def test_liveness_kills_restart_at_once_until_the_backoff_outgrows_the_lifetime():
    """§3.2 [derived]: a liveness restart checks the previous exit; lifetime ≈ 57 s ⇒
    five immediate restarts (b: –, 10, 20, 40, 80), then waits of 80 and 160 s after the kill."""
    doc = scenario(
        deployment([container(liveness=http_probe(periodSeconds=5, failureThreshold=2))]),
        duration=700,
        requests_per_second=1,
        programs={"app": program(hangAfterSeconds=50)},
    )
    lane = only_lane(run(doc))
    kills = [
        entry["time"]
        for entry in events(lane, "Killing", "Pod/web-1")
        if "liveness" in entry["message"]
    ]
    restarts = restart_times(pod(lane, "web-1"))
    assert len(restarts) >= 7, restarts
    waits = [restart - kill for kill, restart in zip(kills, restarts, strict=False)]
    assert_on_curve(waits, [0, 0, 0, 0, 0, 80, 160])


def test_a6_waiting_message_names_the_current_back_off(a6_pod):
    """§1.3, §7 A6: `back-off <b> restarting failed container=app pod=web-1_default(<uid>)`,
    b = 10 s during the first wait, 20 s during the second, … (Go durations: 1m20s); lastState is
    the previous exit."""
    doc = crash_loop(lifetime=0, duration=1000)
    starts = instance_starts(a6_pod)
    for index, back_off in enumerate(("10s", "20s", "40s", "1m20s", "2m40s", "5m0s")):
        waiting_from, waiting_until = starts[index + 1], starts[index + 2]
        web = named(snapshot_at(doc, (waiting_from + waiting_until) / 2)["pods"], "web-1")
        (app,) = web["containers"]
        assert (app["state"], app["reason"]) == ("Waiting", "CrashLoopBackOff")
        assert app["message"].startswith(
            f"back-off {back_off} restarting failed container=app pod=web-1_default("
        ), app["message"]
        assert (app["lastState"]["exitCode"], app["lastState"]["reason"]) == (1, "Error")


def test_backoff_starts_again_from_ten_seconds_after_a_long_run():
    """§3.2: crashes at 10, 20, 40 s wait 0, 10, 20 s; after running > 600 s the next restart is
    immediate and the one after waits 10 s again."""
    crashes = [10, 20, 40, 700, 710]
    doc = scenario(
        deployment(),
        duration=760,
        requests_per_second=1,
        events=[event(at, "AppCrash", pod="web-1") for at in crashes],
    )
    restarts = restart_times(pod(only_lane(run(doc)), "web-1"))
    assert len(restarts) == len(crashes), restarts
    waits = [restart - crash for crash, restart in zip(crashes, restarts, strict=True)]
    assert_on_curve(waits, [0, 10, 20, 0, 10])
