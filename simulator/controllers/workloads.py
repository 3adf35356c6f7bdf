"""What the workload controllers of a lane share, and the bare-Pod "controller"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from simulator.api.events import EventRecorder
from simulator.api.pod import Pod
from simulator.api.server import ApiServer
from simulator.clock import Clock
from simulator.controllers.scheduler import Scheduler
from simulator.scenario.types import Behavior, Workload


class WorkloadController(Protocol):
    """The controller of a lane's workload: Deployment, Job or a bare Pod."""

    def start(self) -> None: ...

    def scale(self, replicas: int) -> None: ...

    def rollout_restart(self) -> None: ...

    def status(self) -> dict:
        """The workload object's status as the results show it (``kind``, ``name``, counts,
        ``conditions``)."""
        ...


@dataclass
class ControllerServices:
    clock: Clock
    api: ApiServer
    events: EventRecorder
    scheduler: Scheduler
    behavior: Behavior


class BarePod:
    """A workload that is a single Pod: created once, never replaced."""

    def __init__(self, services: ControllerServices, workload: Workload) -> None:
        self.services = services
        self.workload = workload
        self.pod: Pod | None = None

    def start(self) -> None:
        pod = self.services.api.create_pod(
            self.workload.name,
            self.workload.template,
            self.services.behavior,
            None,
            self.workload.name,
        )
        self.pod = pod
        self.services.scheduler.schedule(pod)

    def scale(self, replicas: int) -> None:
        return None

    def rollout_restart(self) -> None:
        return None

    def status(self) -> dict:
        return {"kind": "Pod", "name": self.workload.name, "conditions": []}
