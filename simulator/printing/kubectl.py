"""What ``kubectl get pods`` / ``kubectl get nodes`` print (docs/kubernetes-model.md §1.7).

A port of k/k pkg/printers/internalversion/printers.go (printPod); sidecars and readiness
gates are not modelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, TypedDict

from simulator.api.conditions import POD_SCHEDULED, READY, Condition
from simulator.api.container import RUNNING, TERMINATED, WAITING, Container
from simulator.api.phase import TERMINAL_PHASES
from simulator.api.pod import Pod
from simulator.clock import Clock
from simulator.printing.durations import human_duration

NODE_LOST = "NodeLost"


class HistoryRow(TypedDict):
    """One ``kubectl get pods --watch`` row: kept each time one of its columns changed."""

    time: float
    phase: str
    status: str
    ready: str
    restarts: int


class PodRow(NamedTuple):
    """STATUS, READY and RESTARTS of one pod; ``last_restart_at`` feeds "(5m ago)"."""

    status: str
    ready: str
    restarts: int
    last_restart_at: float | None

    def restarts_text(self, now: float) -> str:
        if self.restarts and self.last_restart_at is not None:
            return f"{self.restarts} ({human_duration(now - self.last_restart_at)} ago)"
        return str(self.restarts)


def _later(current: float | None, container: Container) -> float | None:
    last = container.last_state
    if last is None:
        return current
    if current is None or last.finished_at > current:
        return last.finished_at
    return current


def print_pod(
    phase: str,
    status_reason: str | None,
    conditions: dict[str, Condition],
    init_containers: Sequence[Container],
    containers: Sequence[Container],
    deletion_timestamp: float | None,
    statuses_reported: bool,
) -> PodRow:
    """printPod for a pod whose container statuses are ``init_containers``/``containers``.

    Sidecars count in READY's total, and as ready once started and ready; once the pod is
    initialized RESTARTS adds their restarts to the app containers' (k/k
    pkg/printers/internalversion/printers.go printPod, isRestartableInitContainer)."""
    restarts = 0
    ready_containers = 0
    last_restart: float | None = None
    sidecar_restarts = 0
    sidecar_last_restart: float | None = None
    total = len(containers)
    if init_containers:
        total += sum(1 for c in init_containers if c.spec.is_sidecar)
    reason = status_reason or phase
    scheduled = conditions.get(POD_SCHEDULED)
    if scheduled is not None and scheduled.reason == "SchedulingGated":
        reason = "SchedulingGated"
    init_statuses = init_containers if statuses_reported else ()
    statuses = containers if statuses_reported else ()

    initializing = False
    for index, container in enumerate(init_statuses):
        restarts += container.restart_count
        last_restart = _later(last_restart, container)
        if container.spec.is_sidecar:
            sidecar_restarts += container.restart_count
            sidecar_last_restart = _later(sidecar_last_restart, container)
        if container.state == TERMINATED and container.exit_code == 0:
            continue
        if container.spec.is_sidecar and container.started:
            if container.ready:
                ready_containers += 1
            continue
        if container.state == TERMINATED:
            reason = (
                f"Init:{container.reason}"
                if container.reason
                else (f"Init:ExitCode:{container.exit_code}")
            )
        elif (
            container.state == WAITING
            and container.reason
            and (container.reason != "PodInitializing")
        ):
            reason = f"Init:{container.reason}"
        else:
            reason = f"Init:{index}/{len(init_containers)}"
        initializing = True
        break

    initialized = conditions.get("Initialized")
    if not initializing or (initialized is not None and initialized.is_true):
        restarts = sidecar_restarts
        last_restart = sidecar_last_restart
        has_running = False
        for container in reversed(statuses):
            restarts += container.restart_count
            last_restart = _later(last_restart, container)
            if container.state in (WAITING, TERMINATED) and container.reason:
                reason = container.reason
            elif container.state == TERMINATED:
                reason = f"ExitCode:{container.exit_code}"
            elif container.ready and container.state == RUNNING:
                has_running = True
                ready_containers += 1
        if reason == "Completed" and has_running:
            ready = conditions.get(READY)
            reason = "Running" if ready is not None and ready.is_true else "NotReady"

    if deletion_timestamp is not None and status_reason == NODE_LOST:
        reason = "Unknown"
    elif deletion_timestamp is not None and phase not in TERMINAL_PHASES:
        reason = "Terminating"

    return PodRow(reason, f"{ready_containers}/{total}", restarts, last_restart)


def pod_row(pod: Pod) -> PodRow:
    """The row ``kubectl get pods`` prints for ``pod`` now."""
    return print_pod(
        pod.phase,
        pod.status_reason,
        pod.conditions,
        pod.init_containers,
        pod.containers,
        pod.deletion_timestamp,
        pod.statuses_reported,
    )


class PodTable:
    """``kubectl get pods --watch`` on one cluster: each pod's row now and the rows it had.

    ``pod_changed`` is an API server pod listener. A history row is ``{"time", "phase", "status",
    "ready", "restarts"}``; several changes at one instant make one row, the state the instant
    ends with.
    """

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._rows: dict[Pod, PodRow] = {}
        self._history: dict[Pod, list[HistoryRow]] = {}

    def row(self, pod: Pod) -> PodRow:
        row = self._rows.get(pod)
        return row if row is not None else pod_row(pod)

    def history(self, pod: Pod) -> list[HistoryRow]:
        return self._history.get(pod, [])

    def pod_changed(self, pod: Pod) -> None:
        """Print the pod again; add a history row if its phase or kubectl row changed."""
        printed = self._rows[pod] = pod_row(pod)
        now = self.clock.now
        phase = pod.phase
        history = self._history.get(pod)
        if history is None:
            history = self._history[pod] = []
        elif _same_row(history[-1], phase, printed):
            return
        elif history[-1]["time"] == now:
            history.pop()
            if history and _same_row(history[-1], phase, printed):
                return
        history.append(
            {
                "time": now,
                "phase": phase,
                "status": printed.status,
                "ready": printed.ready,
                "restarts": printed.restarts,
            }
        )


def _same_row(row: HistoryRow, phase: str, printed: PodRow) -> bool:
    return (
        row["phase"] == phase
        and row["status"] == printed.status
        and row["ready"] == printed.ready
        and row["restarts"] == printed.restarts
    )


def node_status(ready_condition_status: str) -> str:
    """STATUS of ``kubectl get nodes``: Ready only when the Ready condition is True."""
    return "Ready" if ready_condition_status == "True" else "NotReady"
