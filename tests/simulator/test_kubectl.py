"""`kubectl get pods` STATUS/READY/RESTARTS: printPod over every row of docs/kubernetes-model.md
§1.7."""

from __future__ import annotations

import pytest

from simulator.api.conditions import FALSE, INITIALIZED, READY, TRUE, Condition
from simulator.api.container import (
    CONTAINER_CREATING,
    CRASH_LOOP_BACK_OFF,
    ERR_IMAGE_PULL,
    IMAGE_PULL_BACK_OFF,
    POD_INITIALIZING,
    Container,
    TerminatedRecord,
    terminated_reason,
)
from simulator.printing.kubectl import node_status, print_pod
from simulator.scenario.types import ContainerBehavior, ContainerSpec

from .factories import (
    behavior,
    deployment,
    event,
    only_lane,
    pod_of,
    scenario,
    simulate,
    variant,
)


def make(name: str = "app", init: bool = False, waiting: str = CONTAINER_CREATING) -> Container:
    return Container(ContainerSpec(name=name, image="img"), ContainerBehavior(), init, waiting)


def running(ready: bool = False, restarts: int = 0) -> Container:
    c = make()
    for _ in range(restarts + 1):
        c.set_running(0.0, has_startup_probe=False)
    c.ready = ready
    return c


def exited(code: int, init: bool = False, at: float = 5.0) -> Container:
    c = make(init=init)
    c.set_running(0.0, has_startup_probe=False)
    c.set_terminated(TerminatedRecord(code, terminated_reason(code), 0.0, at))
    return c


def waiting(reason: str, init: bool = False, after_exit: bool = False) -> Container:
    c = exited(1, init) if after_exit else make(init=init)
    c.set_waiting(reason)
    return c


def ready_conditions(ready: bool, initialized: bool = True) -> dict[str, Condition]:
    return {
        INITIALIZED: Condition(INITIALIZED, TRUE if initialized else FALSE),
        READY: Condition(READY, TRUE if ready else FALSE),
    }


def row(
    containers,
    init=(),
    phase="Running",
    ready=False,
    deleting=False,
    reason=None,
    reported=True,
    initialized=True,
):
    return print_pod(
        phase,
        reason,
        ready_conditions(ready, initialized),
        list(init),
        list(containers),
        10.0 if deleting else None,
        reported,
    )


TABLE = [
    ("unschedulable", dict(containers=[make()], phase="Pending", reported=False), "Pending", "0/1"),
    ("creating", dict(containers=[make()], phase="Pending"), "ContainerCreating", "0/1"),
    (
        "bad image",
        dict(containers=[waiting(ERR_IMAGE_PULL)], phase="Pending"),
        "ErrImagePull",
        "0/1",
    ),
    (
        "image backoff",
        dict(containers=[waiting(IMAGE_PULL_BACK_OFF)], phase="Pending"),
        "ImagePullBackOff",
        "0/1",
    ),
    ("running, not ready", dict(containers=[running()]), "Running", "0/1"),
    ("running and ready", dict(containers=[running(True)], ready=True), "Running", "1/1"),
    ("just exited (error)", dict(containers=[exited(1)]), "Error", "0/1"),
    ("just exited (ok)", dict(containers=[exited(0)]), "Completed", "0/1"),
    (
        "waiting in backoff",
        dict(containers=[waiting(CRASH_LOOP_BACK_OFF, after_exit=True)]),
        "CrashLoopBackOff",
        "0/1",
    ),
    (
        "deleted, shutting down",
        dict(containers=[running(True)], ready=False, deleting=True),
        "Terminating",
        "1/1",
    ),
    ("silent node, stale", dict(containers=[running(True)], ready=False), "Running", "1/1"),
    (
        "evicted, node down",
        dict(containers=[running(True)], ready=False, deleting=True),
        "Terminating",
        "1/1",
    ),
    ("job done", dict(containers=[exited(0)], phase="Succeeded"), "Completed", "0/1"),
    (
        "deleted after finishing",
        dict(containers=[exited(1)], phase="Failed", deleting=True),
        "Error",
        "0/1",
    ),
    (
        "node lost",
        dict(containers=[running(True)], deleting=True, reason="NodeLost"),
        "Unknown",
        "1/1",
    ),
    (
        "evicted reason",
        dict(containers=[exited(137)], phase="Failed", reason="Evicted"),
        "Error",
        "0/1",
    ),
]


@pytest.mark.parametrize(("case", "pod", "status", "ready"), TABLE, ids=[t[0] for t in TABLE])
def test_print_pod_rows(case, pod, status, ready):
    printed = row(**pod)
    assert (printed.status, printed.ready) == (status, ready), case


def test_first_container_in_spec_order_wins():
    printed = row([waiting(CRASH_LOOP_BACK_OFF, after_exit=True), exited(1), running(True)])
    assert printed.status == "CrashLoopBackOff"
    assert printed.ready == "1/3"


def test_completed_with_a_running_ready_container_prints_running_or_not_ready():
    assert row([running(True), exited(0)], ready=True).status == "Running"
    assert row([running(True), exited(0)], ready=False).status == "NotReady"


def test_terminated_without_reason_prints_exit_code():
    c = exited(3)
    c.set_terminated(TerminatedRecord(3, "", 0.0, 1.0))
    c.reason = None
    assert row([c]).status == "ExitCode:3"


@pytest.mark.parametrize(
    ("init", "status"),
    [
        ([make("a", True, POD_INITIALIZING), make("b", True, POD_INITIALIZING)], "Init:0/2"),
        ([exited(0, True), make("b", True, POD_INITIALIZING)], "Init:1/2"),
        ([exited(0, True), running()], "Init:1/2"),
        ([exited(1, True)], "Init:Error"),
        ([waiting(CRASH_LOOP_BACK_OFF, init=True, after_exit=True)], "Init:CrashLoopBackOff"),
        ([waiting(IMAGE_PULL_BACK_OFF, init=True)], "Init:ImagePullBackOff"),
        ([exited(137, True)], "Init:Error"),
    ],
)
def test_init_container_statuses(init, status):
    printed = row([make(waiting=POD_INITIALIZING)], init=init, phase="Pending", initialized=False)
    assert printed.status == status
    assert printed.ready == "0/1"


def test_pod_initializing_after_init_containers_finish():
    printed = row([make(waiting=POD_INITIALIZING)], init=[exited(0, True)], phase="Pending")
    assert printed.status == "PodInitializing"


def test_restarts_sum_app_containers_and_tell_the_last_restart():
    a = running(True, restarts=2)
    b = exited(1, at=40.0)
    b.set_running(41.0, has_startup_probe=False)  # restart: lastState finished at 40
    printed = row([a, b], ready=True)
    assert printed.restarts == 3
    assert printed.last_restart_at == 40.0
    assert printed.restarts_text(340.0) == "3 (5m ago)"


def test_restarts_of_init_containers_count_only_while_initializing():
    init = waiting(CRASH_LOOP_BACK_OFF, init=True, after_exit=True)
    init.restart_count = 4
    assert row([make()], init=[init], phase="Pending", initialized=False).restarts == 4
    done = exited(0, True)
    done.restart_count = 4
    assert row([running(True)], init=[done], ready=True).restarts == 0


def test_node_status_column():
    assert node_status("True") == "Ready"
    assert node_status("Unknown") == "NotReady"
    assert node_status("False") == "NotReady"


def test_engine_prints_stale_running_on_a_silent_node_then_terminating_after_eviction():
    """§1.7/§5: 1/1 Running (stale) before eviction, Terminating forever while the node is down."""
    scn = scenario(
        variant(deployment(2), program=behavior()),
        duration=500,
        events=[event(60, "NodeDown", node="node2")],
    )
    before = only_lane(simulate(scn, until=200))
    web2 = pod_of(before, "web-2")
    assert (before.kubectl.row(web2).status, before.kubectl.row(web2).ready, web2.phase) == (
        "Running",
        "1/1",
        "Running",
    )
    assert not web2.ready
    after = only_lane(simulate(scn))
    web2 = pod_of(after, "web-2")
    assert (after.kubectl.row(web2).status, after.kubectl.row(web2).ready, web2.phase) == (
        "Terminating",
        "1/1",
        "Running",
    )
    assert web2.deleted_at is None
