"""One container of a pod: its reported status (what the API shows) and the kubelet's bookkeeping.

docs/kubernetes-model.md §1.3. The status is written only by the kubelet; while a node is down the
process (runtime/runtime.py) may exit without the status changing (``pending_exit``) until the
kubelet returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulator.scenario.types import ContainerBehavior, ContainerSpec

if TYPE_CHECKING:
    from simulator.clock import Timer

WAITING = "Waiting"
RUNNING = "Running"
TERMINATED = "Terminated"

# Waiting reasons (k/k pkg/kubelet/kubelet_pods.go, pkg/kubelet/images/types.go).
CONTAINER_CREATING = "ContainerCreating"
POD_INITIALIZING = "PodInitializing"
CRASH_LOOP_BACK_OFF = "CrashLoopBackOff"
ERR_IMAGE_PULL = "ErrImagePull"
IMAGE_PULL_BACK_OFF = "ImagePullBackOff"

# Terminated reasons set by the runtime / kubelet.
COMPLETED = "Completed"
ERROR = "Error"
CONTAINER_STATUS_UNKNOWN = "ContainerStatusUnknown"


def terminated_reason(exit_code: int) -> str:
    """containerd's reason for an exit code: Completed for 0, else Error."""
    return COMPLETED if exit_code == 0 else ERROR


@dataclass(frozen=True)
class TerminatedRecord:
    """``state.terminated`` / ``lastState.terminated`` of a container status."""

    exit_code: int
    reason: str
    started_at: float | None
    finished_at: float
    message: str | None = None

    def to_dict(self) -> dict:
        return {
            "exitCode": self.exit_code,
            "reason": self.reason,
            "message": self.message,
            "startedAt": self.started_at,
            "finishedAt": self.finished_at,
        }


class Container:
    """A container of one pod across its instances (restarts keep the same Container)."""

    def __init__(
        self, spec: ContainerSpec, behavior: ContainerBehavior, is_init: bool, waiting_reason: str
    ) -> None:
        self.spec = spec
        self.name = spec.name
        self.behavior = behavior
        self.is_init = is_init
        # Reported status.
        self.state = WAITING
        self.reason: str | None = waiting_reason
        self.message: str | None = None
        self.started_at: float | None = None  # state.running.startedAt
        self.terminated: TerminatedRecord | None = None
        self.last_state: TerminatedRecord | None = None
        self.restart_count = 0
        self.ready = False
        self.started = False
        # Runtime.
        self.instance = 0  # container ID: a new one per created instance
        self.pulling = False
        self.stopping = False
        self.on_stopped: Callable[[], None] | None = None  # what the kill leads to
        self.observed_instance = 0  # the instance a kubelet status sync has seen running
        self.pending_exit = False
        self.retry_timer: Timer | None = None

    @property
    def exit_code(self) -> int | None:
        return self.terminated.exit_code if self.terminated else None

    @property
    def newest_exit_finished_at(self) -> float | None:
        """finishedAt of the newest exited instance (what doBackOff looks at)."""
        if self.terminated is not None:
            return self.terminated.finished_at
        if self.last_state is not None:
            return self.last_state.finished_at
        return None

    @property
    def succeeded(self) -> bool:
        return self.state == TERMINATED and self.exit_code == 0

    def cancel_retry(self) -> None:
        if self.retry_timer is not None:
            self.retry_timer.cancel()
            self.retry_timer = None

    def set_waiting(self, reason: str, message: str | None = None) -> None:
        """Waiting; a terminated instance moves to ``lastState``."""
        if self.terminated is not None:
            self.last_state = self.terminated
            self.terminated = None
        self.state = WAITING
        self.reason = reason
        self.message = message
        self.started_at = None
        self.ready = False
        self.started = False

    def set_running(self, now: float, has_startup_probe: bool) -> None:
        """A new instance runs: restartCount grows if an earlier one existed (§1.3)."""
        if self.instance > 0:
            self.restart_count += 1
            if self.terminated is not None:
                self.last_state = self.terminated
        self.instance += 1
        self.terminated = None
        self.state = RUNNING
        self.reason = None
        self.message = None
        self.started_at = now
        self.ready = False
        self.started = not has_startup_probe

    def set_terminated(self, record: TerminatedRecord) -> None:
        self.state = TERMINATED
        self.terminated = record
        self.reason = record.reason
        self.message = record.message
        self.started_at = None
        # An init container that exited 0 is "ready" (k/k convertToAPIContainerStatuses).
        self.ready = self.is_init and record.exit_code == 0 and not self.spec.is_sidecar
        self.started = False

    def status_dict(self) -> dict:
        """The container status as the results and snapshots show it."""
        return {
            "name": self.name,
            "state": self.state,
            "reason": self.reason,
            "message": self.message,
            "exitCode": self.exit_code,
            "startedAt": self.started_at,
            "restartCount": self.restart_count,
            "started": self.started,
            "ready": self.ready,
            "lastState": self.last_state.to_dict() if self.last_state else None,
        }
