"""The StatefulSet controller: pods with stable names ``<name>-<ordinal>``, made and updated in
order.

k/k pkg/controller/statefulset/stateful_set_control.go (updateStatefulSet,
processReplica, processCondemned, updateStatefulSetAfterInvariantEstablished),
stateful_set_utils.go (newVersionedStatefulSetPod, isHealthy), stateful_pod_control.go
(recordPodEvent: "create Pod web-0 in StatefulSet web successful"); docs/kubernetes-model.md
§8.10.

- Pods are named ``<name>-0`` … ``<name>-(replicas−1)``; a pod that is deleted or fails is made
  again under the same name once the old object is gone.
- ``OrderedReady`` (the default): ordinal by ordinal, each made only once every lower one is
  Running and Ready (and not terminating); scale-down removes the highest ordinal first, one at a
  time, and only while every other pod is healthy. ``Parallel``: all at once.
- ``RollingUpdate`` (``kubectl rollout restart`` makes a new revision): from the highest ordinal
  down to ``partition``, one pod at a time: a pod of the old revision is deleted, made again at
  the new one, and the next waits until it is Running and Ready, so a pod that never becomes
  Ready stalls the rollout. Ordinals below ``partition`` keep the old revision. ``OnDelete``:
  pods take the new revision only when deleted.
"""

from __future__ import annotations

from simulator.api.phase import RUNNING
from simulator.api.pod import Pod
from simulator.controllers.workloads import ControllerServices
from simulator.scenario.types import Workload


class StatefulSet:
    def __init__(self, services: ControllerServices, workload: Workload) -> None:
        self.services = services
        self.workload = workload
        self.replicas = workload.replicas
        self.pods: dict[int, Pod] = {}  # ordinal -> the pod object holding that name now
        self.revisions: dict[str, int] = {}  # pod uid -> the revision it was made at
        self.current_revision = 1
        self.update_revision = 1
        self._made: dict[int, int] = {}  # ordinal -> pods made at it (for distinct uids)
        self._dirty = False

    @property
    def ref(self) -> str:
        return f"StatefulSet/{self.workload.name}"

    @property
    def _ordered(self) -> bool:
        return self.workload.pod_management_policy == "OrderedReady"

    def start(self) -> None:
        self.reconcile()

    def scale(self, replicas: int) -> None:
        self.replicas = replicas
        self._mark_dirty()

    def rollout_restart(self) -> None:
        """kubectl rollout restart: a new template revision (an annotation changes)."""
        self.update_revision += 1
        self._mark_dirty()

    def pod_changed(self, pod: Pod) -> None:
        self._mark_dirty()

    def status(self) -> dict:
        """replicas, readyReplicas, currentReplicas, updatedReplicas and the revisions."""
        live = [pod for pod in self.pods.values() if not pod.removed]
        return {
            "kind": "StatefulSet",
            "name": self.workload.name,
            "replicas": len(live),
            "readyReplicas": sum(1 for pod in live if pod.ready),
            "currentReplicas": sum(
                1 for pod in live if self.revisions[pod.uid] == self.current_revision
            ),
            "updatedReplicas": sum(
                1 for pod in live if self.revisions[pod.uid] == self.update_revision
            ),
            "currentRevision": self._revision_name(self.current_revision),
            "updateRevision": self._revision_name(self.update_revision),
            "conditions": [],
        }

    def _revision_name(self, revision: int) -> str:
        return f"{self.workload.name}-{revision}"

    def _mark_dirty(self) -> None:
        if not self._dirty:
            self._dirty = True
            self.services.clock.call_soon(self.reconcile)

    @staticmethod
    def _healthy(pod: Pod) -> bool:
        """isHealthy: Running, Ready and not being deleted."""
        return pod.phase == RUNNING and pod.ready and pod.deletion_timestamp is None

    def reconcile(self) -> None:
        self._dirty = False
        if not self._process_replicas():
            return
        if not self._process_condemned():
            return
        self._roll()
        self._complete_rollout()

    def _process_replicas(self) -> bool:
        """processReplica for ordinals 0 … replicas−1; False to stop this sync (OrderedReady
        waits on a pod)."""
        for ordinal in range(self.replicas):
            pod = self.pods.get(ordinal)
            if pod is not None and not pod.removed and pod.terminal:
                # A failed (or succeeded) pod is deleted and made again.
                self._delete(pod)
                if self._ordered:
                    return False
                continue
            if pod is None or pod.removed:
                self._create(ordinal)
                if self._ordered:
                    return False
                continue
            if self._ordered and not self._healthy(pod):
                return False
        return True

    def _process_condemned(self) -> bool:
        """Ordinals at or above replicas go, highest first; OrderedReady one at a time, only
        while every remaining pod is healthy."""
        condemned = sorted(
            (o for o, pod in self.pods.items() if o >= self.replicas and not pod.removed),
            reverse=True,
        )
        for ordinal in condemned:
            pod = self.pods[ordinal]
            if pod.deletion_timestamp is not None:
                if self._ordered:
                    return False
                continue
            if self._ordered and not all(
                self._healthy(p)
                for o, p in self.pods.items()
                if o != ordinal and not p.removed and o < self.replicas
            ):
                return False
            self._delete(pod)
            if self._ordered:
                return False
        return True

    def _roll(self) -> None:
        """The rolling update: from the highest ordinal down to the partition, one pod of the
        old revision at a time, each only once the one above it is healthy again."""
        if self.workload.update_strategy_type != "RollingUpdate":
            return
        for ordinal in range(self.replicas - 1, self.workload.partition - 1, -1):
            pod = self.pods.get(ordinal)
            if pod is None or pod.removed:
                return
            if self.revisions[pod.uid] != self.update_revision:
                if pod.deletion_timestamp is None:
                    self._delete(pod)
                return
            if not self._healthy(pod):
                return

    def _complete_rollout(self) -> None:
        """currentRevision becomes updateRevision once every pod runs it."""
        live = [pod for o, pod in self.pods.items() if o < self.replicas and not pod.removed]
        if len(live) == self.replicas and all(
            self.revisions[pod.uid] == self.update_revision for pod in live
        ):
            self.current_revision = self.update_revision

    def _create(self, ordinal: int) -> None:
        name = f"{self.workload.name}-{ordinal}"
        made = self._made.get(ordinal, 0)
        self._made[ordinal] = made + 1
        api = self.services.api
        pod = api.create_pod(
            name,
            self.workload.template,
            self.services.behavior,
            self,
            self.workload.name,
            uid_key=name if made == 0 else f"{name}/{made}",
        )
        # newVersionedStatefulSetPod: below the partition, the current revision.
        below = (
            self.workload.update_strategy_type == "RollingUpdate"
            and ordinal < self.workload.partition
        )
        on_delete = self.workload.update_strategy_type == "OnDelete"
        self.revisions[pod.uid] = (
            self.current_revision if below and not on_delete else self.update_revision
        )
        self.pods[ordinal] = pod
        self.services.events.normal(
            self.ref,
            "SuccessfulCreate",
            f"create Pod {name} in StatefulSet {self.workload.name} successful",
        )
        self.services.scheduler.schedule(pod)

    def _delete(self, pod: Pod) -> None:
        if self.services.api.delete_pod(pod):
            self.services.events.normal(
                self.ref,
                "SuccessfulDelete",
                f"delete Pod {pod.name} in StatefulSet {self.workload.name} successful",
            )
