"""Pod phase from container statuses: the kubelet's getPhase (docs/kubernetes-model.md §1.1).

k/k pkg/kubelet/kubelet_pods.go (getPhase, generateAPIPodStatus). Restartable init containers
(sidecars) are not modelled. ``Unknown`` is never produced.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

PENDING = "Pending"
RUNNING = "Running"
SUCCEEDED = "Succeeded"
FAILED = "Failed"
TERMINAL_PHASES = (SUCCEEDED, FAILED)


class _Terminated(Protocol):
    @property
    def exit_code(self) -> int: ...


class ContainerStatusView(Protocol):
    """What getPhase reads of one container status."""

    state: str  # Waiting / Running / Terminated

    @property
    def exit_code(self) -> int | None: ...

    @property
    def last_state(self) -> _Terminated | None: ...


def has_any_regular_container_started(statuses: Sequence[ContainerStatusView | None]) -> bool:
    """k/k pkg/kubelet/container/helpers.go (HasAnyRegularContainerStarted)."""
    return any(s is not None and s.state in ("Running", "Terminated") for s in statuses)


def compute_phase(
    init_statuses: Sequence[ContainerStatusView | None],
    statuses: Sequence[ContainerStatusView | None],
    restart_policy: str,
    pod_is_terminal: bool,
    sidecar_statuses: Sequence[ContainerStatusView | None] = (),
) -> str:
    """The phase for these statuses (``None`` = the container has no status yet).

    ``init_statuses`` are the regular init containers; ``sidecar_statuses`` the restartable ones
    (k/k pkg/kubelet/kubelet_pods.go getPhase): a running sidecar counts as running, and as
    pending initialization until it has started; an exited one is not counted at all."""
    pending_initialization = 0
    failed_initialization = 0
    for status in init_statuses:
        if status is None or status.state == "Running":
            pending_initialization += 1
        elif status.state == "Terminated":
            if status.exit_code != 0:
                failed_initialization += 1
        elif status.last_state is not None:
            if status.last_state.exit_code != 0:
                failed_initialization += 1
        else:
            pending_initialization += 1

    unknown = running = waiting = stopped = succeeded = 0
    pending_sidecars = 0
    for status in sidecar_statuses:
        if status is None:
            pending_sidecars += 1
            unknown += 1
        elif status.state == "Running":
            running += 1
            if not getattr(status, "started", True):
                pending_sidecars += 1
        elif status.state != "Terminated" and status.last_state is None:
            pending_sidecars += 1
            waiting += 1
    for status in statuses:
        if status is None:
            unknown += 1
        elif status.state == "Running":
            running += 1
        elif status.state == "Terminated":
            stopped += 1
            if status.exit_code == 0:
                succeeded += 1
        elif status.last_state is not None:
            stopped += 1
        else:
            waiting += 1

    if failed_initialization > 0 and restart_policy == "Never":
        return FAILED
    if (
        pending_initialization + pending_sidecars > 0
        and not has_any_regular_container_started(statuses)
    ) or waiting > 0:
        return PENDING
    if running > 0 and unknown == 0:
        return RUNNING
    if running == 0 and stopped > 0 and unknown == 0:
        if pod_is_terminal:
            return SUCCEEDED if stopped == succeeded else FAILED
        if restart_policy == "Always":
            return RUNNING
        if stopped == succeeded:
            return SUCCEEDED
        if restart_policy == "Never":
            return FAILED
        return RUNNING
    return PENDING


def next_phase(old_phase: str, computed: str) -> str:
    """Terminal phases are sticky: the kubelet refuses to leave Succeeded/Failed."""
    return old_phase if old_phase in TERMINAL_PHASES else computed
