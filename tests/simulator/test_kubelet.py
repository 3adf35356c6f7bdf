"""The kubelet: startup sequence, conditions, init containers, restart policies and graceful
termination (docs/kubernetes-model.md §1, §6)."""

from __future__ import annotations

import pytest

from simulator.kubelet.timing import KUBELET_OBSERVATION_LAG as LAG
from simulator.scenario.types import Behavior, ContainerBehavior

from .factories import (
    bare_pod,
    behavior,
    deployment,
    event,
    event_times,
    only_lane,
    pod_of,
    scenario,
    simulate,
    template,
    variant,
)
from .factories import container as spec


def run(workload, duration=60, events=(), program=None, rate=10):
    scn = scenario(
        variant(workload, program=program or behavior(), rate=rate),
        duration=duration,
        events=events,
    )
    return only_lane(simulate(scn))


def statuses(lane, pod) -> list[str]:
    return [row["status"] for row in lane.kubectl.history(pod)]


def test_startup_events_and_conditions_in_order():
    lane = run(bare_pod(), duration=10)
    reasons = [e["reason"] for e in lane.events if e["object"] == "Pod/solo"]
    assert reasons == ["Scheduled", "Pulling", "Pulled", "Created", "Started"]
    web = pod_of(lane, "solo")
    assert list(web.conditions) == [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
    ]
    assert all(c.is_true for c in web.conditions.values())
    assert lane.kubectl.history(web)[0] == {
        "time": 0.0,
        "phase": "Pending",
        "status": "ContainerCreating",
        "ready": "0/1",
        "restarts": 0,
    }


def test_first_status_is_pending_with_containers_not_ready():
    lane = only_lane(simulate(scenario(variant(bare_pod())), until=0.2))
    web = pod_of(lane, "solo")
    assert web.phase == "Pending"
    assert web.conditions["PodReadyToStartContainers"].status == "False"
    assert web.conditions["Initialized"].is_true
    ready = web.conditions["Ready"]
    assert (ready.status, ready.reason, ready.message) == (
        "False",
        "ContainersNotReady",
        "containers with unready status: [app]",
    )
    assert web.containers[0].reason == "ContainerCreating"


def test_a_later_pod_on_the_node_finds_the_image_present():
    lane = run(deployment(3), duration=30, events=[event(20, "Scale", replicas=4)])
    pulled = [e["message"] for e in lane.events if e["reason"] == "Pulled"]
    assert pulled[:3] == ['Successfully pulled image "web:1" in 2s (2s including waiting)'] * 3
    assert pulled[3] == 'Container image "web:1" already present on machine'


def test_a_pod_waiting_for_a_pull_in_progress_shares_it():
    lane = run(deployment(4), duration=10)
    pulled = [e for e in lane.events if e["reason"] == "Pulled"]
    assert [e["time"] for e in pulled] == [2.5] * 4
    assert pulled[3]["message"] == 'Successfully pulled image "web:1" in 0s (2s including waiting)'


def test_without_readiness_probe_a_container_is_ready_one_observation_after_start():
    lane = run(bare_pod(), duration=10)
    web = pod_of(lane, "solo")
    (started,) = event_times(lane, "Started")
    ready = next(row["time"] for row in lane.kubectl.history(web) if row["ready"] == "1/1")
    assert ready == started + LAG


def init_pod(restart_policy="Always"):
    return template(
        spec(),
        init=(spec("migrate", image="tool:1"), spec("warm", image="tool:1")),
        restart_policy=restart_policy,
    )


def programs(init_exit_after=3.0, init_code=0) -> Behavior:
    return Behavior(
        image_pull_seconds=1,
        containers={
            "migrate": ContainerBehavior(exit_after_seconds=init_exit_after, exit_code=init_code),
            "warm": ContainerBehavior(exit_after_seconds=init_exit_after),
            "app": ContainerBehavior(),
        },
    )


def test_init_containers_run_one_after_another():
    lane = run(bare_pod(init_pod()), duration=30, program=programs())
    web = pod_of(lane, "solo")
    assert statuses(lane, web)[:4] == ["Init:0/2", "Init:1/2", "PodInitializing", "Running"]
    started = [e["message"] for e in lane.events if e["reason"] == "Started"]
    assert started == [
        "Started container migrate",
        "Started container warm",
        "Started container app",
    ]
    assert web.conditions["Initialized"].is_true
    assert web.phase == "Running"


def test_init_not_initialized_condition_names_incomplete_containers():
    lane = only_lane(simulate(scenario(variant(bare_pod(init_pod()), program=programs())), until=2))
    initialized = pod_of(lane, "solo").conditions["Initialized"]
    assert (initialized.status, initialized.reason, initialized.message) == (
        "False",
        "ContainersNotInitialized",
        "containers with incomplete status: [migrate warm]",
    )


def test_failing_init_container_crash_loops_and_keeps_the_pod_pending():
    lane = run(bare_pod(init_pod()), duration=60, program=programs(1.0, init_code=1))
    web = pod_of(lane, "solo")
    assert "Init:Error" in statuses(lane, web)
    assert lane.kubectl.row(web).status == "Init:CrashLoopBackOff"
    assert web.phase == "Pending"
    assert lane.kubectl.row(web).restarts >= 2


def test_failing_init_container_with_never_fails_the_pod():
    lane = run(bare_pod(init_pod("Never")), duration=30, program=programs(1.0, init_code=1))
    web = pod_of(lane, "solo")
    assert web.phase == "Failed"
    assert lane.kubectl.row(web).status == "Init:Error"
    assert web.conditions["Ready"].reason == "PodFailed"


@pytest.mark.parametrize(
    ("policy", "code", "phase", "status", "restarts"),
    [
        ("Never", 0, "Succeeded", "Completed", 0),
        ("Never", 1, "Failed", "Error", 0),
        ("OnFailure", 0, "Succeeded", "Completed", 0),
        ("OnFailure", 1, "Running", "CrashLoopBackOff", 2),
        ("Always", 0, "Running", "CrashLoopBackOff", 2),
    ],
)
def test_restart_policies(policy, code, phase, status, restarts):
    lane = run(
        bare_pod(template(spec(), restart_policy=policy)),
        duration=30,
        program=behavior(exit_after_seconds=5, exit_code=code),
    )
    web = pod_of(lane, "solo")
    assert (web.phase, lane.kubectl.row(web).status, lane.kubectl.row(web).restarts) == (
        phase,
        status,
        restarts,
    )
    if phase == "Succeeded":
        assert web.conditions["Ready"].reason == "PodCompleted"
        assert web.conditions["Initialized"].reason == "PodCompleted"
        assert lane.kubectl.row(web).ready == "0/1"


@pytest.mark.parametrize(
    ("handles", "code", "phase", "exit_code", "stop_seconds"),
    [(True, 0, "Succeeded", 0, 0), (True, 3, "Failed", 3, 0), (False, 0, "Failed", 137, 30)],
)
def test_graceful_delete_exit_codes_and_phase(handles, code, phase, exit_code, stop_seconds):
    lane = run(
        deployment(1),
        duration=100,
        events=[event(40, "DeletePod", pod="web-1")],
        program=behavior(handles_sigterm=handles, exit_code=code),
    )
    web = pod_of(lane, "web-1")
    assert web.deletion_timestamp == 40
    assert web.deleted_at == pytest.approx(40 + stop_seconds)
    assert web.phase == phase
    assert web.containers[0].terminated.exit_code == exit_code
    killing = [e for e in lane.events if e["reason"] == "Killing"]
    assert killing[0]["message"] == "Stopping container app"
    # The ReplicaSet replaced it at once.
    assert pod_of(lane, "web-2").created_at == 40


def test_terminating_pod_prints_terminating_until_its_containers_stop():
    lane = only_lane(
        simulate(
            scenario(
                variant(deployment(1), program=behavior(handles_sigterm=False)),
                duration=100,
                events=[event(40, "DeletePod", pod="web-1")],
            ),
            until=55,
        )
    )
    web = pod_of(lane, "web-1")
    assert (lane.kubectl.row(web).status, lane.kubectl.row(web).ready, web.phase) == (
        "Terminating",
        "1/1",
        "Running",
    )


def test_pre_stop_runs_before_sigterm_and_serves_meanwhile():
    """§6.3: a preStop sleep ≥ p avoids the connection-refused race."""
    with_hook = run(
        deployment(2, template(spec(pre_stop=5))),
        duration=80,
        rate=100,
        events=[event(40, "DeletePod", pod="web-1")],
    )
    without = run(
        deployment(2),
        duration=80,
        rate=100,
        events=[event(40, "DeletePod", pod="web-1")],
    )
    assert pod_of(with_hook, "web-1").deleted_at == 45
    assert pod_of(without, "web-1").deleted_at == 40
    refused_with = sum(with_hook.series["errorsByCause"]["ConnectionRefused"][40:50])
    refused_without = sum(without.series["errorsByCause"]["ConnectionRefused"][40:50])
    assert refused_with == 0
    assert refused_without > 0  # the race: routed for ≈p after the app exited


def test_pre_stop_is_bounded_by_the_grace_period_plus_the_minimum():
    lane = run(
        deployment(1, template(spec(pre_stop=100), grace=10)),
        duration=80,
        events=[event(40, "DeletePod", pod="web-1")],
        program=behavior(handles_sigterm=False),
    )
    assert pod_of(lane, "web-1").deleted_at == 52  # 10 s hook + 2 s minimum


def test_app_crash_event_exits_with_its_code():
    lane = run(
        bare_pod(),
        duration=40,
        events=[event(20, "AppCrash", pod="solo", exit_code=2)],
    )
    web = pod_of(lane, "solo")
    assert web.containers[0].last_state.exit_code == 2
    assert web.containers[0].last_state.reason == "Error"
    assert lane.kubectl.row(web).restarts == 1
    assert "Error" in statuses(lane, web)


def test_exit_while_node_is_down_is_seen_when_it_returns():
    lane = run(
        bare_pod(template(spec(), node_name="node2")),
        duration=100,
        events=[
            event(20, "NodeDown", node="node2"),
            event(30, "AppCrash", pod="solo"),
            event(60, "NodeUp", node="node2"),
        ],
    )
    web = pod_of(lane, "solo")
    rows = [r for r in lane.kubectl.history(web) if 30 <= r["time"] < 60]
    assert rows == []  # nothing reported while the kubelet is gone
    assert web.containers[0].last_state.finished_at == 30
    assert lane.kubectl.row(web).restarts == 1
    assert event_times(lane, "Started")[-1] >= 60
