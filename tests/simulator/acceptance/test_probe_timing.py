"""docs/kubernetes-model.md §2.4: when probes run and how long detection takes (and §7 A1)."""

import pytest

from .builders import container, deployment, event, http_probe, program, scenario
from .reading import (
    assert_between,
    events,
    not_ready_since,
    only_lane,
    pod,
    ready_since,
    run,
    running_since,
)

FAULT_AT = 47.3


@pytest.mark.parametrize(("delay", "period"), [(0, 10), (5, 10), (15, 10), (5, 5), (0, 3)])
def test_first_readiness_attempt_falls_in_the_band(delay, period):
    """§2.4: first real attempt in [S+D, S+D+P+1]; ready there when the app is healthy."""
    doc = scenario(
        deployment(
            [container(readiness=http_probe(initialDelaySeconds=delay, periodSeconds=period))]
        ),
        duration=40,
        requests_per_second=1,
    )
    web = pod(only_lane(run(doc)), "web-1")
    started = running_since(web)
    assert_between(ready_since(web) - started, delay, delay + period + 1, "ready after start")


def test_readiness_waits_for_the_boot_when_it_outlasts_the_delay():
    """§2.4, §7 A15 B: Ready within [S + max(B, D), S + max(B, D) + P + 1]."""
    boot, delay, period = 12, 5, 10
    doc = scenario(
        deployment(
            [container(readiness=http_probe(initialDelaySeconds=delay, periodSeconds=period))]
        ),
        duration=40,
        requests_per_second=1,
        programs={"app": program(bootSeconds=boot)},
    )
    web = pod(only_lane(run(doc)), "web-1")
    elapsed = ready_since(web) - running_since(web)
    assert_between(elapsed, max(boot, delay), max(boot, delay) + period + 1, "ready after start")


def test_success_threshold_adds_periods_before_ready():
    """§2.4: Ready at the first success plus (successThreshold − 1)·P."""
    period = 5
    doc = scenario(
        deployment([container(readiness=http_probe(periodSeconds=period, successThreshold=2))]),
        duration=40,
        requests_per_second=1,
    )
    web = pod(only_lane(run(doc)), "web-1")
    assert_between(ready_since(web) - running_since(web), period, 2 * period + 1, "ready")


@pytest.mark.parametrize(("period", "threshold"), [(10, 3), (5, 2), (3, 5), (2, 1)])
def test_readiness_detects_a_hang_between_ft_minus_one_and_ft_periods(period, threshold):
    """§2.4: Δ_r ∈ [(FT−1)·P, FT·P] after the app breaks."""
    probe = http_probe(periodSeconds=period, failureThreshold=threshold)
    doc = scenario(
        deployment([container(readiness=probe)]),
        duration=FAULT_AT + threshold * period + 10,
        requests_per_second=1,
        events=[event(FAULT_AT, "AppHang", pod="web-1")],
    )
    web = pod(only_lane(run(doc)), "web-1")
    detected = not_ready_since(web, after=FAULT_AT) - FAULT_AT
    assert_between(detected, (threshold - 1) * period, threshold * period, "Δ_r")


@pytest.mark.parametrize(("period", "threshold"), [(10, 3), (5, 2), (3, 5)])
def test_liveness_detects_a_hang_between_ft_minus_one_and_ft_periods(period, threshold):
    """§2.4: the liveness kill comes Δ_l ∈ [(FT−1)·P, FT·P] after the app breaks."""
    probe = http_probe(periodSeconds=period, failureThreshold=threshold)
    doc = scenario(
        deployment([container(liveness=probe)]),
        duration=FAULT_AT + threshold * period + 10,
        requests_per_second=1,
        events=[event(FAULT_AT, "AppHang", pod="web-1")],
    )
    kills = [
        entry["time"]
        for entry in events(only_lane(run(doc)), "Killing", "Pod/web-1")
        if "liveness" in entry["message"]
    ]
    assert kills
    assert_between(kills[0] - FAULT_AT, (threshold - 1) * period, threshold * period, "Δ_l")


@pytest.mark.parametrize("timeout", [1, 4])
def test_an_unresponsive_app_adds_up_to_ft_timeouts_to_detection(timeout):
    """§2.4, §7 A15: "no response" ⇒ Δ grows by up to FT·timeoutSeconds."""
    period, threshold = 10, 3
    probe = http_probe(periodSeconds=period, failureThreshold=threshold, timeoutSeconds=timeout)
    doc = scenario(
        deployment([container(readiness=probe)]),
        duration=FAULT_AT + 60,
        requests_per_second=1,
        events=[event(FAULT_AT, "AppUnresponsive", pod="web-1")],
    )
    web = pod(only_lane(run(doc)), "web-1")
    detected = not_ready_since(web, after=FAULT_AT) - FAULT_AT
    low, high = (threshold - 1) * period, threshold * period + threshold * timeout
    assert_between(detected, low, high, "Δ_r with timeouts")


@pytest.mark.parametrize("delay", [0, 10])
def test_startup_probe_kills_within_its_window(delay):
    """§2.4: killed between D + (FT−1)·P and D + FT·P after start."""
    period, threshold = 5, 3
    probe = http_probe(initialDelaySeconds=delay, periodSeconds=period, failureThreshold=threshold)
    doc = scenario(
        deployment([container(startup=probe)]),
        duration=60,
        requests_per_second=1,
        programs={"app": program(bootSeconds=100_000)},
    )
    lane = only_lane(run(doc))
    started = running_since(pod(lane, "web-1"))
    kills = [
        entry["time"]
        for entry in events(lane, "Killing", "Pod/web-1")
        if "startup" in entry["message"]
    ]
    assert kills
    window = (delay + (threshold - 1) * period, delay + threshold * period)
    assert_between(kills[0] - started, *window, "startup kill after start")


def test_initial_delay_counts_from_container_start_even_with_a_startup_probe():
    """§2.4 (code behaviour): first readiness attempt = max(S + D, startup success)."""
    delay, period, boot = 30, 5, 8
    doc = scenario(
        deployment(
            [
                container(
                    startup=http_probe(periodSeconds=5, failureThreshold=10),
                    readiness=http_probe(initialDelaySeconds=delay, periodSeconds=period),
                )
            ]
        ),
        duration=80,
        requests_per_second=1,
        programs={"app": program(bootSeconds=boot)},
    )
    web = pod(only_lane(run(doc)), "web-1")
    assert_between(ready_since(web) - running_since(web), delay, delay + period + 1, "ready")


def test_a1_readiness_with_initial_delay():
    """§7 A1: not ready before 15 s; Ready within [15, 26] s; Running; no restart for 4 min."""
    doc = scenario(
        deployment([container(readiness=http_probe(initialDelaySeconds=15, periodSeconds=10))]),
        duration=250,
        requests_per_second=1,
    )
    web = pod(only_lane(run(doc)), "web-1")
    started = running_since(web)
    assert_between(ready_since(web) - started, 15, 26, "readyTime − startedAt")
    assert {row["phase"] for row in web["history"] if row["time"] >= started} == {"Running"}
    assert web["restarts"] == 0
    assert not_ready_since(web, after=ready_since(web)) is None
