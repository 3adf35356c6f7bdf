"""Probe workers: initial values, delays, thresholds, on-hold, startup gating, manual triggers,
timing and termination (docs/kubernetes-model.md §2.2-§2.4)."""

from __future__ import annotations

import math

import pytest

from simulator.engine.simulation import Simulation
from simulator.kubelet.prober import FAILURE_RESULT, INITIAL_RESULT, LIVENESS, READINESS, STARTUP
from simulator.kubelet.timing import KUBELET_OBSERVATION_LAG as LAG

from .factories import (
    NODES,
    bare_pod,
    behavior,
    container,
    event,
    event_times,
    http_probe,
    only_lane,
    pod_of,
    scenario,
    simulate,
    tcp_probe,
    template,
    variant,
)

PULL = 2.0
SANDBOX = 0.5
START = SANDBOX + PULL  # first container start of a pod created at 0


def single(
    spec,
    duration: float = 120,
    events=(),
    grace: int = 30,
    rate: float = 10,
    **program,
):
    scn = scenario(
        variant(
            bare_pod(template(spec, grace=grace)),
            program=behavior(image_pull_seconds=PULL, **program),
            rate=rate,
        ),
        duration=duration,
        events=events,
    )
    return simulate(scn)


def attempts(lane, probe_type: str) -> list[dict]:
    return [a for a in lane.probe_log if a["probeType"] == probe_type]


def ready_times(lane, pod) -> list[float]:
    return [row["time"] for row in lane.kubectl.history(pod) if row["ready"] == "1/1"]


def first_ready(lane, pod, after: float = 0.0) -> float:
    times = [
        row["time"]
        for row in lane.kubectl.history(pod)
        if row["ready"] == "1/1" and row["time"] >= after
    ]
    assert times, "never ready"
    return times[0]


def test_initial_cached_results():
    assert INITIAL_RESULT == {READINESS: "Failure", LIVENESS: "Success", STARTUP: "Unknown"}


def test_readiness_first_attempt_is_the_start_sync_and_then_every_period():
    lane = only_lane(single(container(readiness=http_probe(period_seconds=10)), duration=45))
    times = [a["time"] for a in attempts(lane, READINESS)]
    assert times == [START + LAG + k * 10 for k in range(5)]


def test_readiness_initial_delay_skips_whole_periods():
    """A1: D=15, P=10 → first attempt at S+δ+⌈(15−δ)/10⌉·10 = S+20.5; ready in [S+15, S+26]."""
    probe = http_probe(initial_delay_seconds=15, period_seconds=10)
    simulation = single(container(readiness=probe), duration=60)
    lane = only_lane(simulation)
    times = [a["time"] for a in attempts(lane, READINESS)]
    assert times[0] == START + LAG + 20
    ready = first_ready(lane, pod_of(lane, "solo"))
    assert START + 15 <= ready <= START + 26


def test_initial_delay_uses_floor_of_elapsed_seconds():
    """doProbe skips while floor(now − startedAt) < D: D=1, P=1 probes at S+1.5, not S+0.5."""
    probe = http_probe(initial_delay_seconds=1, period_seconds=1)
    lane = only_lane(single(container(readiness=probe), duration=6))
    times = [a["time"] for a in attempts(lane, READINESS)]
    assert times[0] == START + LAG + 1
    assert all(math.floor(t - START) >= 1 for t in times)


def test_readiness_needs_success_threshold_consecutive_successes():
    probe = http_probe(period_seconds=5, success_threshold=3)
    lane = only_lane(single(container(readiness=probe), duration=40, boot_seconds=7))
    # Attempts at S+.5 (fail), S+5.5 (fail), S+10.5, S+15.5, S+20.5 (third success).
    assert first_ready(lane, pod_of(lane, "solo")) == START + LAG + 20


def test_readiness_failure_threshold_detection_window():
    """Δ ∈ [(FT−1)·P, FT·P] after the hang; published at the FT-th consecutive failure."""
    hang = 50.0
    probe = http_probe(period_seconds=10, failure_threshold=3)
    lane = only_lane(
        single(
            container(readiness=probe), duration=120, events=[event(hang, "AppHang", pod="solo")]
        )
    )
    web = pod_of(lane, "solo")
    unready = next(
        row["time"]
        for row in lane.kubectl.history(web)
        if row["ready"] == "0/1" and row["time"] > hang
    )
    assert 20 <= unready - hang <= 30
    failing = [a for a in attempts(lane, READINESS) if a["time"] >= hang]
    assert [a["consecutiveFailures"] for a in failing[:3]] == [1, 2, 3]
    assert lane.kubectl.row(web).restarts == 0  # readiness never restarts anything
    assert lane.kubectl.row(web).status == "Running"


def test_readiness_failure_publish_triggers_an_immediate_extra_attempt():
    """The sync after a readiness change re-triggers the probe (UpdatePodStatus)."""
    hang = 50.0
    lane = only_lane(
        single(
            container(readiness=http_probe(period_seconds=10)),
            duration=100,
            events=[event(hang, "AppHang", pod="solo")],
        )
    )
    failing = [a for a in attempts(lane, READINESS) if a["time"] >= hang]
    third = failing[2]
    fourth = failing[3]
    assert fourth["time"] == third["time"]
    assert fourth["consecutiveFailures"] == 4
    assert failing[4]["time"] == third["time"] + 10  # the ticker was reset to the trigger


def test_liveness_starts_as_success_and_kills_after_failure_threshold():
    hang = 50.0
    lane = only_lane(
        single(
            container(liveness=http_probe(period_seconds=10)),
            duration=100,
            events=[event(hang, "AppHang", pod="solo")],
        )
    )
    kills = event_times(lane, "Killing", "Pod/solo")
    assert len(kills) == 1
    assert 20 <= kills[0] - hang <= 30
    killing = next(e for e in lane.events if e["reason"] == "Killing")
    assert killing["message"] == "Container app failed liveness probe, will be restarted"
    unhealthy = next(e for e in lane.events if e["reason"] == "Unhealthy")
    assert unhealthy["message"] == ("Liveness probe failed: HTTP probe failed with statuscode: 500")
    assert unhealthy["type"] == "Warning"
    web = pod_of(lane, "solo")
    assert lane.kubectl.row(web).restarts == 1
    # The new instance is healthy again and ready at once (no readiness probe).
    assert lane.kubectl.row(web).ready == "1/1"


def test_liveness_worker_is_on_hold_after_its_verdict():
    """No liveness attempts between the verdict and the new container (k/k#117153)."""
    hang = 50.0
    lane = only_lane(
        single(
            container(liveness=http_probe(period_seconds=2, failure_threshold=2)),
            duration=120,
            events=[event(hang, "AppHang", pod="solo")],
            handles_sigterm=False,
            grace=20,
        )
    )
    kill = event_times(lane, "Killing")[0]
    restart = event_times(lane, "Started")[1]
    assert restart >= kill + 20
    live = [a["time"] for a in attempts(lane, LIVENESS)]
    assert not [t for t in live if kill < t < restart]


def test_startup_probe_gates_liveness_and_readiness():
    startup = http_probe(period_seconds=5, failure_threshold=30)
    spec = container(
        startup=startup,
        readiness=http_probe(period_seconds=10),
        liveness=http_probe(period_seconds=10),
    )
    lane = only_lane(single(spec, duration=80, boot_seconds=22))
    started_at = next(a["time"] for a in attempts(lane, STARTUP) if a["result"] == "success")
    assert [a for a in attempts(lane, READINESS) if a["time"] < started_at] == []
    assert [a for a in attempts(lane, LIVENESS) if a["time"] < started_at] == []
    # Readiness runs at once after the startup success (manual trigger), and the pod is ready.
    readiness = attempts(lane, READINESS)
    assert readiness[0]["time"] == started_at
    assert first_ready(lane, pod_of(lane, "solo")) == started_at
    # The startup worker stops after its verdict.
    assert attempts(lane, STARTUP)[-1]["time"] == started_at


def test_startup_probe_failure_kills_the_container():
    startup = http_probe(period_seconds=2, failure_threshold=3)
    lane = only_lane(single(container(startup=startup), duration=30, boot_seconds=100))
    killing = [e for e in lane.events if e["reason"] == "Killing"]
    assert killing[0]["message"] == "Container app failed startup probe, will be restarted"
    assert killing[0]["time"] == START + LAG + 4  # the third failed attempt


def test_tcp_liveness_does_not_restart_a_hung_app():
    lane = only_lane(
        single(
            container(liveness=tcp_probe(period_seconds=5)),
            duration=120,
            events=[event(30, "AppHang", pod="solo")],
        )
    )
    assert lane.kubectl.row(pod_of(lane, "solo")).restarts == 0
    assert not event_times(lane, "Killing")


def test_unresponsive_app_times_out_and_detection_grows_by_the_timeout():
    hang = 50.0
    probe = http_probe(period_seconds=10, timeout_seconds=3)
    lane = only_lane(
        single(
            container(liveness=probe),
            duration=120,
            events=[event(hang, "AppUnresponsive", pod="solo")],
        )
    )
    timeouts = [a for a in attempts(lane, LIVENESS) if a["result"] == "timeout"]
    assert len(timeouts) == 3
    kill = event_times(lane, "Killing")[0]
    assert kill == timeouts[-1]["time"]
    assert 20 + 3 <= kill - hang <= 30 + 3


def test_liveness_kill_is_graceful_and_traffic_continues_until_exit():
    """§2.3: the container is still Running and in the endpoints while it stops."""
    hang = 50.0
    lane = only_lane(
        single(
            container(liveness=http_probe(period_seconds=10)),
            duration=150,
            events=[event(hang, "AppHang", pod="solo")],
            handles_sigterm=False,
            grace=30,
        )
    )
    kill = event_times(lane, "Killing")[0]
    restart = event_times(lane, "Started")[1]
    assert restart == pytest.approx(kill + 30)
    server_errors = lane.series["errorsByCause"]["ServerError"]
    # Errors are 500s (still routed) during the whole stop window.
    assert all(count > 0 for count in server_errors[int(kill) + 1 : int(kill) + 29])
    web = pod_of(lane, "solo")
    assert web.containers[0].last_state.exit_code == 137


def test_probe_level_grace_period_and_pre_stop():
    """Probe-level terminationGracePeriodSeconds bounds the kill; preStop runs first; ≥ 2 s."""
    hang = 50.0
    probe = http_probe(period_seconds=10, termination_grace_period_seconds=5)
    lane = only_lane(
        single(
            container(liveness=probe, pre_stop=4),
            duration=150,
            events=[event(hang, "AppHang", pod="solo")],
            handles_sigterm=False,
        )
    )
    kill = event_times(lane, "Killing")[0]
    restart = event_times(lane, "Started")[1]
    # preStop 4 s, then the 1 s left is raised to the 2 s minimum: exit at kill + 6.
    assert restart == pytest.approx(kill + 6)


def test_no_liveness_kill_during_graceful_termination():
    """§2.2 step 5: liveness/startup stop when the pod is being deleted; readiness goes on."""
    lane = only_lane(
        single(
            container(
                liveness=http_probe(period_seconds=2, failure_threshold=1),
                readiness=http_probe(period_seconds=2),
            ),
            duration=80,
            events=[event(30, "DeletePod", pod="solo"), event(31, "AppHang", pod="solo")],
            handles_sigterm=False,
            grace=30,
        )
    )
    assert next(e for e in lane.events if e["reason"] == "Killing")["message"] == (
        "Stopping container app"
    )
    assert len(event_times(lane, "Killing")) == 1
    assert [a for a in attempts(lane, LIVENESS) if a["time"] > 32] == []
    assert [a for a in attempts(lane, READINESS) if a["time"] > 32]


def test_worker_snapshot_shows_counters_against_thresholds():
    lane = only_lane(single(container(readiness=http_probe(period_seconds=5)), duration=30))
    (probe,) = lane.snapshot()["pods"][0]["containers"][0]["probes"]
    assert probe["type"] == READINESS
    assert probe["handler"] == "httpGet"
    assert probe["result"] == "Success"
    assert probe["lastResult"] == "success"
    assert probe["consecutiveSuccesses"] >= 1
    assert probe["consecutiveFailures"] == 0
    assert probe["successThreshold"] == 1
    assert probe["failureThreshold"] == 3
    assert probe["onHold"] is False


def test_readiness_after_a_crash_starts_again_from_failure():
    lane = only_lane(
        single(
            container(readiness=http_probe(period_seconds=5)),
            duration=60,
            boot_seconds=8,
            events=[event(30, "AppCrash", pod="solo")],
        )
    )
    web = pod_of(lane, "solo")
    restart = event_times(lane, "Started")[1]
    assert restart == pytest.approx(30 + LAG)
    ready_again = first_ready(lane, web, after=restart)
    assert restart + 8 <= ready_again <= restart + 8 + 5 + 1
    assert (
        next(a for a in attempts(lane, READINESS) if a["time"] == restart + LAG)["result"]
        == "failure"
    )
    assert (
        lane.kubelets[web.node_name].probes.workers(web, web.containers[0])[0].result
        != FAILURE_RESULT
    )


def probe_states(simulation, time_: float) -> list[tuple[bool, bool]]:
    """(active, waiting) of the solo pod's readiness worker at ``time_``, as frames carry it."""
    simulation.advance_to(time_)
    (pod,) = only_lane(simulation).snapshot()["pods"]
    (probe,) = pod["containers"][0]["probes"]
    return probe["active"], probe["waiting"]


def test_a_worker_waits_for_its_container_then_probes_and_a_lost_kubelet_stops_it():
    """The page tells a worker waiting for its container (created, image pulled) from one no
    kubelet runs (its node down): both are inactive, for different reasons."""
    scn = scenario(
        variant(
            bare_pod(template(container(readiness=http_probe(period_seconds=5)))),
            program=behavior(image_pull_seconds=PULL),
        ),
        duration=60,
        events=[event(30, "NodeDown", node=NODES[0])],
    )
    simulation = Simulation(scn)
    assert probe_states(simulation, START / 2) == (False, True)
    assert probe_states(simulation, START + 10) == (True, False)
    assert probe_states(simulation, 45) == (False, False)
