"""A pod object: its spec and its status as the API server holds it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.api.conditions import POD_SCHEDULED, READY, Condition
from simulator.api.container import CONTAINER_CREATING, POD_INITIALIZING, Container
from simulator.api.phase import PENDING, TERMINAL_PHASES
from simulator.scenario.types import Behavior, PodTemplate, Toleration

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
        # As admitted by the API server (defaults added); see api/tolerations.py.
        self.tolerations: tuple[Toleration, ...] = template.tolerations

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
    def sidecars(self) -> list[Container]:
        """The restartable init containers, in declaration order."""
        return [container for container in self.init_containers if container.spec.is_sidecar]

    @property
    def regular_init_containers(self) -> list[Container]:
        return [container for container in self.init_containers if not container.spec.is_sidecar]

    @property
    def long_running_containers(self) -> list[Container]:
        """Sidecars and app containers: those with probes and a readiness (ContainersReady)."""
        return self.sidecars + self.containers

    @property
    def serving_container(self) -> Container:
        """The container behind the Service port: the first app container."""
        return self.containers[0]

    def container(self, name: str) -> Container | None:
        for container in self.all_containers:
            if container.name == name:
                return container
        return None

    @property
    def restart_count(self) -> int:
        """restartCount summed over init and app containers (what the Job controller counts)."""
        return sum(container.restart_count for container in self.all_containers)

    @property
    def max_container_restarts(self) -> int:
        """The highest app container restartCount (k/k controller_utils.go maxContainerRestarts)."""
        return max((container.restart_count for container in self.containers), default=0)
