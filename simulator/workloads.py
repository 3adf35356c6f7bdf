"""What the workload controllers of a lane share, and the bare-Pod "controller"."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.apiserver import ApiServer
from simulator.clock import Clock
from simulator.events import EventRecorder
from simulator.pod import Pod
from simulator.scenario import Behavior, Workload
from simulator.scheduler import Scheduler


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
        self.s = services
        self.workload = workload
        self.pod: Pod | None = None

    def start(self) -> None:
        pod = self.s.api.create_pod(
            self.workload.name, self.workload.template, self.s.behavior, None, self.workload.name
        )
        self.pod = pod
        self.s.scheduler.schedule(pod)

    def pod_changed(self, pod: Pod) -> None:
        return None

    def scale(self, replicas: int) -> None:
        return None

    def rollout_restart(self) -> None:
        return None
