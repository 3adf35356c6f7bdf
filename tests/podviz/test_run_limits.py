"""Limits on starting runs: per client, per process, a run's size; runs nobody joins are dropped."""

import dataclasses

import pytest

from core import limits
from core.limits import CommandRate, LimitExceeded
from simulator.scenario.loader import load_scenario

from .conftest import TWO_POD_SCENARIO


async def test_runs_per_client_are_counted_per_address(run_manager, two_pod_scenario, settings):
    settings.PODVIZ_LIMITS = {"runs_per_client": 2}
    run_manager.start(two_pod_scenario, client="10.0.0.1")
    run_manager.start(two_pod_scenario, client="10.0.0.1")
    with pytest.raises(LimitExceeded, match="you already have 2 runs open here") as refused:
        run_manager.start(two_pod_scenario, client="10.0.0.1")
    assert refused.value.code == "too_many_runs"
    run_manager.start(two_pod_scenario, client="10.0.0.2")
    assert len(run_manager) == 3


async def test_a_stopped_run_no_longer_counts(run_manager, two_pod_scenario, settings):
    settings.PODVIZ_LIMITS = {"runs_per_client": 1}
    first = run_manager.start(two_pod_scenario, client="10.0.0.1")
    run_manager.stop(first.run_id)
    run_manager.start(two_pod_scenario, client="10.0.0.1")


async def test_a_run_nobody_watches_soon_stops_counting_for_its_client(
    run_manager, two_pod_scenario, settings
):
    settings.PODVIZ_LIMITS = {"runs_per_client": 1}
    closed = run_manager.start(two_pod_scenario, client="10.0.0.1")
    closed.viewer_joined()
    closed.viewer_left()
    with pytest.raises(LimitExceeded):
        run_manager.start(two_pod_scenario, client="10.0.0.1")
    closed.last_viewer_left -= limits.current().unjoined_run_seconds + 1
    run_manager.start(two_pod_scenario, client="10.0.0.1")
    assert run_manager.get(closed.run_id) is closed  # kept for a reload, not counted


async def test_at_the_process_limit_the_longest_idle_run_makes_room(
    run_manager, two_pod_scenario, settings
):
    settings.PODVIZ_LIMITS = {"runs_per_process": 2}
    idle = run_manager.start(two_pod_scenario)
    idle.viewer_joined()
    idle.viewer_left()
    idle.last_viewer_left -= 60
    watched = run_manager.start(two_pod_scenario)
    watched.viewer_joined()
    newest = run_manager.start(two_pod_scenario)
    assert run_manager.get(idle.run_id) is None
    assert {run_manager.get(run.run_id) for run in (watched, newest)} == {watched, newest}


async def test_runs_per_process(run_manager, two_pod_scenario, settings):
    settings.PODVIZ_LIMITS = {"runs_per_process": 3}
    for client in ("a", "b", "c"):
        run_manager.start(two_pod_scenario, client=client)
    with pytest.raises(LimitExceeded, match="this server runs 3 runs, its limit"):
        run_manager.start(two_pod_scenario, client="d")


async def test_a_run_too_large_to_run_live_is_refused_with_the_longest_duration(
    run_manager, settings
):
    settings.PODVIZ_LIMITS = {"run_pod_seconds": 1000}
    scenario = load_scenario(TWO_POD_SCENARIO)  # 2 pods × 600 s × 1 variant
    with pytest.raises(LimitExceeded) as refused:
        run_manager.start(scenario)
    assert refused.value.code == "run_too_large"
    assert "1200 pod-seconds, the limit is 1000" in str(refused.value)
    assert "at most 500 s" in str(refused.value)
    assert len(run_manager) == 0


async def test_a_run_nobody_joins_is_dropped_after_a_few_seconds(run_manager, two_pod_scenario):
    unjoined = run_manager.start(two_pod_scenario)
    watched = run_manager.start(two_pod_scenario)
    watched.viewer_joined()
    watched.viewer_left()
    seconds = limits.current().unjoined_run_seconds
    assert run_manager.reap_idle() == []
    for run in (unjoined, watched):
        run.last_viewer_left -= seconds + 1
    # The run watched once keeps the longer grace that lets a viewer reload its page.
    assert run_manager.reap_idle() == [unjoined.run_id]
    assert run_manager.get(watched.run_id) is watched


def test_an_unknown_limit_name_is_an_error(settings):
    settings.PODVIZ_LIMITS = {"runs_per_cleint": 3}
    with pytest.raises(TypeError, match="runs_per_cleint"):
        limits.current()


def test_the_defaults_are_the_documented_settings(settings):
    assert dataclasses.asdict(limits.Limits()) == settings.PODVIZ_LIMITS


def test_command_rate_refills_at_its_rate():
    now = [0.0]
    rate = CommandRate(per_second=2, burst=2, clock=lambda: now[0])
    rate.take()
    rate.take()
    with pytest.raises(LimitExceeded):
        rate.take()
    now[0] += 0.5
    rate.take()
    with pytest.raises(LimitExceeded):
        rate.take()


@pytest.mark.django_db(transaction=True)
async def test_a_permalink_counts_against_the_limits(async_client, run_manager, settings):
    settings.PODVIZ_LIMITS = {"runs_per_client": 1}
    first = await async_client.get("/scenarios/crashloop-backoff/play?t=5")
    assert first.status_code == 302
    second = await async_client.get("/scenarios/crashloop-backoff/play")
    assert second.status_code == 429
    assert "you already have 1 runs open here" in second.content.decode()
    assert len(run_manager) == 1


@pytest.mark.django_db(transaction=True)
async def test_the_home_page_button_counts_against_the_limits(async_client, run_manager, settings):
    settings.PODVIZ_LIMITS = {"runs_per_process": 1}
    assert (await async_client.post("/scenarios/crashloop-backoff/run")).status_code == 302
    refused = await async_client.post("/scenarios/crashloop-backoff/run")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"


def test_command_rate_says_how_long_to_wait():
    now = [0.0]
    rate = CommandRate(per_second=4, burst=1, clock=lambda: now[0])
    assert rate.delay() == 0
    rate.take()
    assert rate.delay() == 0.25
    now[0] += 0.25
    assert rate.delay() == 0


async def test_clients_at_their_own_limit_leave_the_last_quarter_to_others(
    run_manager, two_pod_scenario, settings
):
    # Five addresses that watch their runs used to fill all 40 places and lock a teacher out.
    settings.PODVIZ_LIMITS = {"runs_per_process": 8, "runs_per_client": 4}
    for client in ("a", "a", "a", "b", "b", "b"):
        run_manager.start(two_pod_scenario, client=client).viewer_joined()
    with pytest.raises(LimitExceeded, match="keeps its last places") as refused:
        run_manager.start(two_pod_scenario, client="a")
    assert refused.value.code == "too_many_runs"
    run_manager.start(two_pod_scenario, client="teacher").viewer_joined()
    run_manager.start(two_pod_scenario, client="teacher").viewer_joined()
    assert len(run_manager) == 8
