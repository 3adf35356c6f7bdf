"""Pod phase: the kubelet's getPhase over every branch of docs/kubernetes-model.md §1.1."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from simulator.api.phase import compute_phase, next_phase


@dataclass
class Last:
    exit_code: int


@dataclass
class Status:
    state: str
    exit_code: int | None = None
    last_state: Last | None = None
    started: bool = True


RUNNING = Status("Running")
CREATING = Status("Waiting")  # never terminated before
CRASH_LOOP = Status("Waiting", last_state=Last(1))
EXITED_0 = Status("Terminated", 0)
EXITED_1 = Status("Terminated", 1)
INIT_RETRYING_FAILED = Status("Waiting", last_state=Last(1))

CASES = [
    # (init statuses, app statuses, restartPolicy, pod terminal, expected, why)
    ((), (None,), "Always", False, "Pending", "no status yet: unknown"),
    ((), (CREATING,), "Always", False, "Pending", "ContainerCreating keeps Pending"),
    ((), (RUNNING, CREATING), "Always", False, "Pending", "one container still creating"),
    ((), (RUNNING,), "Always", False, "Running", "running"),
    ((), (CRASH_LOOP,), "Always", False, "Running", "CrashLoopBackOff counts as stopped"),
    ((), (EXITED_1,), "Always", False, "Running", "Always restarts: Running"),
    ((), (EXITED_0,), "Always", False, "Running", "Always, even after exit 0"),
    ((), (EXITED_0,), "OnFailure", False, "Succeeded", "OnFailure, all exited 0"),
    ((), (EXITED_1,), "OnFailure", False, "Running", "OnFailure restarts a failure"),
    ((), (EXITED_0,), "Never", False, "Succeeded", "Never, exit 0"),
    ((), (EXITED_1,), "Never", False, "Failed", "Never, exit 1"),
    ((), (EXITED_0, EXITED_1), "Never", False, "Failed", "one failure fails the pod"),
    ((), (RUNNING, EXITED_1), "Never", False, "Running", "still one running"),
    ((), (EXITED_0,), "Always", True, "Succeeded", "deleted pod, all exit 0"),
    ((), (Status("Terminated", 137),), "Always", True, "Failed", "deleted pod, SIGKILL"),
    ((), (CRASH_LOOP,), "Always", True, "Failed", "deleted while crash-looping"),
    ((EXITED_1,), (CREATING,), "Never", False, "Failed", "init failed, Never"),
    ((INIT_RETRYING_FAILED,), (CREATING,), "Always", False, "Pending", "init retrying"),
    ((EXITED_1,), (CREATING,), "OnFailure", False, "Pending", "init failed, will retry"),
    ((RUNNING,), (CREATING,), "Always", False, "Pending", "init running"),
    ((None,), (None,), "Always", False, "Pending", "init without status"),
    ((EXITED_0,), (RUNNING,), "Always", False, "Running", "initialized and running"),
    ((EXITED_0, RUNNING), (RUNNING,), "Always", False, "Running", "an app container started"),
]


@pytest.mark.parametrize(
    ("init", "apps", "policy", "terminal", "expected", "why"), CASES, ids=[c[-1] for c in CASES]
)
def test_phase_follows_get_phase(init, apps, policy, terminal, expected, why):
    assert compute_phase(init, apps, policy, terminal) == expected, why


def test_phase_is_never_unknown():
    statuses = [None, RUNNING, CREATING, CRASH_LOOP, EXITED_0, EXITED_1]
    seen = {
        compute_phase(init, (app,), policy, terminal)
        for init in ((), (EXITED_1,), (RUNNING,))
        for app in statuses
        for policy in ("Always", "OnFailure", "Never")
        for terminal in (False, True)
    }
    assert seen <= {"Pending", "Running", "Succeeded", "Failed"}
    assert "Unknown" not in seen


@pytest.mark.parametrize("terminal", ["Succeeded", "Failed"])
def test_terminal_phases_are_sticky(terminal):
    assert next_phase(terminal, "Running") == terminal
    assert next_phase(terminal, "Pending") == terminal


def test_non_terminal_phases_follow_the_computation():
    assert next_phase("Pending", "Running") == "Running"
    assert next_phase("Running", "Failed") == "Failed"


SIDECAR_NOT_STARTED = Status("Running", started=False)
SIDECAR_CASES = [
    # (sidecar statuses, app statuses, restartPolicy, pod terminal, expected, why)
    ((SIDECAR_NOT_STARTED,), (CREATING,), "Always", False, "Pending", "sidecar not started"),
    ((RUNNING,), (CREATING,), "Always", False, "Pending", "started, app still creating"),
    ((RUNNING,), (RUNNING,), "Always", False, "Running", "sidecar and app running"),
    ((RUNNING,), (EXITED_0,), "Never", False, "Running", "app done, sidecar still running"),
    ((EXITED_0,), (EXITED_0,), "Never", False, "Succeeded", "stopped sidecar not counted"),
    ((Status("Terminated", 143),), (EXITED_0,), "OnFailure", False, "Succeeded", "SIGTERM"),
    ((CRASH_LOOP,), (RUNNING,), "Never", False, "Running", "sidecar crash-looping"),
    ((None,), (None,), "Always", False, "Pending", "sidecar without status"),
]


@pytest.mark.parametrize(
    ("sidecars", "apps", "policy", "terminal", "expected", "why"),
    SIDECAR_CASES,
    ids=[c[-1] for c in SIDECAR_CASES],
)
def test_phase_with_sidecars_follows_get_phase(sidecars, apps, policy, terminal, expected, why):
    """§1.9: getPhase counts a running sidecar as running (pending until started) and an exited
    one not at all."""
    assert compute_phase((), apps, policy, terminal, sidecars) == expected, why
