"""The ReplicaSet controller: keeps ``replicas`` active pods, replacing deleted ones at once.

k/k pkg/controller/replicaset/replica_set.go (manageReplicas); pkg/controller/controller_utils.go
(FilterActivePods: pods being deleted do not count, so a replacement is created immediately,
§5.3; ActivePodsWithRanks for which pods go first on scale-down).
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.api.phase import PENDING, RUNNING
from simulator.api.pod import Pod
from simulator.controllers.workloads import ControllerServices
from simulator.scenario.types import PodTemplate

_PHASE_RANK = {PENDING: 0, "Unknown": 1, RUNNING: 2}


class ReplicaSet:
    def __init__(
        self,
        services: ControllerServices,
        name: str,
        workload: str,
        template: PodTemplate,
        created_at: float,
        on_pods_changed: Callable[[], None],
        min_ready_seconds: float = 0.0,
        *,
        watch_removal: bool = False,
    ) -> None:
        """``watch_removal``: also tell ``on_pods_changed`` when a pod's object is removed (a
        Recreate rollout waits for that)."""
        self.services = services
        self.name = name
        self.workload = workload
        self.template = template
        self.created_at = created_at
        self.replicas = 0
        self.pods: list[Pod] = []
        self._on_pods_changed = on_pods_changed
        self.min_ready_seconds = min_ready_seconds
        self.watch_removal = watch_removal
        self._seen: dict[str, tuple[bool, ...]] = {}
        self._dirty = False

    @property
    def ref(self) -> str:
        return f"ReplicaSet/{self.name}"

    def active_pods(self) -> list[Pod]:
        return [pod for pod in self.pods if pod.active]

    def is_available(self, pod: Pod) -> bool:
        """Active and Ready for at least minReadySeconds (k/k podutil IsPodAvailable)."""
        if not (pod.active and pod.ready):
            return False
        if not self.min_ready_seconds:
            return True
        ready_since = pod.conditions["Ready"].last_transition_time
        return ready_since + self.min_ready_seconds <= self.services.clock.now

    @property
    def available(self) -> int:
        return sum(1 for pod in self.pods if self.is_available(pod))

    @property
    def ready(self) -> int:
        return sum(1 for pod in self.pods if pod.active and pod.ready)

    def set_replicas(self, replicas: int) -> None:
        self.replicas = replicas
        self.mark_dirty()

    def pod_changed(self, pod: Pod) -> None:
        state = (
            (pod.active, pod.ready, pod.removed) if self.watch_removal else (pod.active, pod.ready)
        )
        if self._seen.get(pod.name) == state:
            return
        self._seen[pod.name] = state
        self.mark_dirty()
        self._on_pods_changed()
        if pod.ready and pod.active and self.min_ready_seconds:
            # The pod becomes available later: look again then (the controller's requeue
            # after minReadySeconds).
            ready_since = pod.conditions["Ready"].last_transition_time
            self.services.clock.schedule(ready_since + self.min_ready_seconds, self._available_now)

    def _available_now(self) -> None:
        self.mark_dirty()
        self._on_pods_changed()

    def mark_dirty(self) -> None:
        if not self._dirty:
            self._dirty = True
            self.services.clock.call_soon(self.reconcile)

    def reconcile(self) -> None:
        self._dirty = False
        active = self.active_pods()
        missing = self.replicas - len(active)
        if missing > 0:
            for _ in range(missing):
                self._create_pod()
        elif missing < 0:
            for pod in self._pods_to_delete(active, -missing):
                self.services.events.normal(
                    self.ref, "SuccessfulDelete", f"Deleted pod: {pod.name}"
                )
                self.services.api.delete_pod(pod)

    def _create_pod(self) -> None:
        api = self.services.api
        pod = api.create_pod(
            api.next_pod_name(self.workload),
            self.template,
            self.services.behavior,
            self,
            self.workload,
        )
        self.pods.append(pod)
        self.services.events.normal(self.ref, "SuccessfulCreate", f"Created pod: {pod.name}")
        self.services.scheduler.schedule(pod)

    def _pods_to_delete(self, active: list[Pod], count: int) -> list[Pod]:
        """ActivePodsWithRanks: unscheduled, pending, unready, crowded, fresh, newest first."""
        per_node: dict[str | None, int] = {}
        for pod in active:
            per_node[pod.node_name] = per_node.get(pod.node_name, 0) + 1

        def rank(pod: Pod) -> tuple:
            ready = pod.ready
            ready_since = pod.conditions["Ready"].last_transition_time if ready else 0.0
            return (
                pod.node is not None,
                _PHASE_RANK.get(pod.phase, 2),
                ready,
                -per_node[pod.node_name],
                -ready_since,
                -pod.max_container_restarts,
                -pod.created_at,
                -self.pods.index(pod),
            )

        return sorted(active, key=rank)[:count]
