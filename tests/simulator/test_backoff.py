"""Crash-loop and image-pull backoff (docs/kubernetes-model.md §3)."""

from __future__ import annotations

import itertools

import pytest

from simulator.kubelet.backoff import Backoff
from simulator.printing.durations import go_duration
from simulator.scenario.types import CrashLoopBackOff

from .factories import (
    bare_pod,
    behavior,
    event_times,
    only_lane,
    pod_of,
    scenario,
    simulate,
    template,
    variant,
)


def crash_loop(duration: float, loop: CrashLoopBackOff | None = None, lifetime: float = 0.0):
    program = behavior(image_pull_seconds=0, exit_after_seconds=lifetime, exit_code=1)
    scn = scenario(
        variant(bare_pod(template()), program=program, crash_loop=loop), duration=duration
    )
    return only_lane(simulate(scn))


def test_backoff_doubles_to_the_cap():
    backoff = Backoff(10, 300, 600)
    waits = [backoff.next("k", float(t), float(t)) for t in range(8)]
    assert waits == [10, 20, 40, 80, 160, 300, 300, 300]


def test_backoff_resets_after_a_long_run():
    backoff = Backoff(10, 300, 600)
    backoff.next("k", 0.0, 0.0)
    backoff.next("k", 1.0, 1.0)
    assert backoff.get("k") == 20
    assert backoff.next("k", 700.0, 700.0) == 10


def test_in_backoff_since_an_exit():
    backoff = Backoff(10, 300, 600)
    assert not backoff.is_in_backoff_since("k", 0.0, 0.0)  # no entry: start at once
    backoff.next("k", 0.0, 0.0)
    assert backoff.is_in_backoff_since("k", 5.0, 14.0)
    assert not backoff.is_in_backoff_since("k", 5.0, 15.0)


def test_cap_below_initial_makes_the_cap_the_initial_delay():
    assert Backoff(10, 5, 600).next("k", 0.0, 0.0) == 5


def test_container_start_times_follow_the_curve():
    """§3.2 / A6: starts at 0, 0, 10, 30, 70, 150, 310, 610, 910 (+ kubelet lag, ≤ 15 %)."""
    lane = crash_loop(1000)
    starts = event_times(lane, "Started")
    relative = [t - starts[0] for t in starts]
    nominal = [0, 0, 10, 30, 70, 150, 310, 610, 910]
    assert len(relative) == len(nominal)
    for got, want in zip(relative, nominal, strict=True):
        assert want <= got <= want + max(2.0, 0.15 * want)


def test_waiting_message_names_the_current_backoff():
    """During the second wait (from ≈11 s to ≈30 s) the message says 20s (A6)."""
    lane = crash_loop(25)
    web = pod_of(lane, "solo")
    (app,) = web.containers
    assert app.reason == "CrashLoopBackOff"
    # The kubelet names the pod as format.Pod does: name_namespace(uid).
    assert (
        app.message == f"back-off 20s restarting failed container=app pod=solo_default({web.uid})"
    )
    assert app.message.endswith(f"({web.uid})")
    assert web.phase == "Running"
    assert lane.kubectl.row(web).status == "CrashLoopBackOff"
    assert lane.kubectl.row(web).ready == "0/1"
    assert event_times(lane, "BackOff")


def test_restart_count_six_at_about_310_seconds():
    lane = crash_loop(320)
    assert lane.kubectl.row(pod_of(lane, "solo")).restarts == 6


def test_backoff_settings_come_from_the_cluster_spec():
    lane = crash_loop(100, CrashLoopBackOff(initial=1, max=4, reset=600))
    starts = event_times(lane, "Started")
    gaps = [round(b - a, 1) for a, b in itertools.pairwise(starts)]
    assert gaps[:5] == [0.5, 1.0, 2.0, 4.0, 4.0]


def test_a_long_lived_container_restarts_at_once_and_resets_the_backoff():
    """After a run > reset window the next restart is immediate (§3.1)."""
    lane = crash_loop(2000, lifetime=700)
    starts = event_times(lane, "Started")
    assert len(starts) == 3
    assert starts[1] - starts[0] == pytest.approx(700.5)
    assert starts[2] - starts[1] == pytest.approx(700.5)
    assert not event_times(lane, "BackOff")


def test_image_pull_backoff_alternates_err_image_pull_and_image_pull_back_off():
    """§3.4: ErrImagePull, then ImagePullBackOff while waiting 10, 20, 40 s; Pending."""
    program = behavior(image_pull_seconds=2, image_pull_fails=True)
    scn = scenario(variant(bare_pod(), program=program), duration=120)
    lane = only_lane(simulate(scn))
    web = pod_of(lane, "solo")
    assert web.phase == "Pending"
    statuses = [row["status"] for row in lane.kubectl.history(web)]
    assert "ErrImagePull" in statuses
    assert "ImagePullBackOff" in statuses
    pulls = event_times(lane, "Pulling")
    gaps = [round(b - a) for a, b in itertools.pairwise(pulls)]
    # Each attempt takes 2 s, then waits 10, 20, 40 s.
    assert gaps[:3] == [12, 22, 42]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(10, "10s"), (40, "40s"), (80, "1m20s"), (300, "5m0s"), (2.5, "2.5s"), (3700, "1h1m40s")],
)
def test_go_duration_strings(seconds, text):
    assert go_duration(seconds) == text
