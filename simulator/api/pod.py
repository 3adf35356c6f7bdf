"""A pod object: spec, status as the API server holds it, and its history of kubectl rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.api.conditions import POD_SCHEDULED, READY, Condition
from simulator.api.container import CONTAINER_CREATING, POD_INITIALIZING, Container
from simulator.api.phase import PENDING, TERMINAL_PHASES
from simulator.printing.kubectl import PodRow, print_pod
from simulator.scenario.types import Behavior, PodTemplate

if TYPE_CHECKING:
    from simulator.api.node import Node


class Pod:
    """One pod, from creation until its API object is removed (``deleted_at``)."""

    def __init__(
        self,
        name: str,
        uid: str,
        template: PodTemplate,
        behavior: Behavior,
        created_at: float,
        owner: object | None,
        workload: str,
    ) -> None:
        self.name = name
        self.uid = uid
        self.template = template
        self.owner = owner  # ReplicaSet, Job or None
        self.workload = workload
        self.created_at = created_at
        self.restart_policy = template.restart_policy
        self.grace_period = template.termination_grace_period_seconds
        waiting = POD_INITIALIZING if template.init_containers else CONTAINER_CREATING
        self.init_containers = [
            Container(spec, behavior.for_container(spec.name), True, waiting)
            for spec in template.init_containers
        ]
        self.containers = [
            Container(spec, behavior.for_container(spec.name), False, waiting)
            for spec in template.containers
        ]
        self.node: Node | None = None
        self.ip: str | None = None
        self.statuses_reported = False  # the kubelet has posted a status
        self.sandbox_ready = False
        self.phase = PENDING
        self.status_reason: str | None = None
        self.conditions: dict[str, Condition] = {}
        self.deletion_timestamp: float | None = None
        self.deletion_grace_period: float | None = None
        self.deleted_at: float | None = None
        self.history: list[dict] = []
        self.row: PodRow = self.print()

    @property
    def node_name(self) -> str | None:
        return self.node.name if self.node else None

    @property
    def terminal(self) -> bool:
        return self.phase in TERMINAL_PHASES

    @property
    def removed(self) -> bool:
        return self.deleted_at is not None

    @property
    def active(self) -> bool:
        """Counted by controllers: not terminal and not being deleted (k/k IsPodActive)."""
        return self.deletion_timestamp is None and not self.terminal and self.deleted_at is None

    @property
    def ready(self) -> bool:
        condition = self.conditions.get(READY)
        return condition is not None and condition.is_true

    @property
    def scheduled(self) -> bool:
        condition = self.conditions.get(POD_SCHEDULED)
        return condition is not None and condition.is_true

    @property
    def all_containers(self) -> list[Container]:
        return self.init_containers + self.containers

    @property
    def serving_container(self) -> Container:
        """The container behind the Service port: the first app container."""
        return self.containers[0]

    def container(self, name: str) -> Container | None:
        for container in self.all_containers:
            if container.name == name:
                return container
        return None

    def print(self) -> PodRow:
        return print_pod(
            self.phase,
            self.status_reason,
            self.conditions,
            self.init_containers,
            self.containers,
            self.deletion_timestamp,
            self.statuses_reported,
        )

    def record_history(self, now: float) -> bool:
        """Append a history row if phase or the kubectl row changed; True when it did."""
        self.row = self.print()
        row = {
            "time": now,
            "phase": self.phase,
            "status": self.row.status,
            "ready": self.row.ready,
            "restarts": self.row.restarts,
        }
        history = self.history
        if history and _same_row(history[-1], row):
            return False
        if history and history[-1]["time"] == now:
            # Several changes in one instant make one row: the state the instant ends with.
            history.pop()
            if history and _same_row(history[-1], row):
                return False
        history.append(row)
        return True


def _same_row(a: dict, b: dict) -> bool:
    return (
        a["phase"] == b["phase"]
        and a["status"] == b["status"]
        and a["ready"] == b["ready"]
        and a["restarts"] == b["restarts"]
    )
