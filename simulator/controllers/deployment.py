"""The Deployment controller: one ReplicaSet per revision, rolling updates between them.

k/k pkg/controller/deployment/rolling.go (rolloutRolling, reconcileNewReplicaSet,
reconcileOldReplicaSets, cleanupUnhealthyReplicas, scaleDownOldReplicaSetsForRollingUpdate);
pkg/controller/deployment/util/deployment_util.go (NewRSNewReplicas, ResolveFenceposts,
DeploymentProgressing, DeploymentTimedOut); pkg/controller/deployment/progress.go
(syncRolloutStatus). A pod counts as available once Ready for minReadySeconds.
``strategy: Recreate`` follows pkg/controller/deployment/recreate.go (rolloutRecreate): the old
ReplicaSets are scaled to 0, and the new one is scaled up only once none of their pods is left
but terminal ones (oldPodsRunning), docs/kubernetes-model.md §8.8.
[model] A Scale during a rollout goes through the same rolling logic instead of proportional
scaling across ReplicaSets.
"""

from __future__ import annotations

import hashlib
import math

from simulator.api.conditions import FALSE, TRUE, Condition
from simulator.clock import Timer
from simulator.controllers.replicaset import ReplicaSet
from simulator.controllers.workloads import ControllerServices
from simulator.scenario.types import Workload

UNKNOWN = "Unknown"
# Characters of a pod-template-hash (k8s.io/apimachinery/pkg/util/rand SafeEncodeString).
_SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def template_hash(name: str, revision: int) -> str:
    digest = hashlib.sha256(f"{name}/{revision}".encode()).digest()
    return "".join(_SAFE_ALPHABET[b % len(_SAFE_ALPHABET)] for b in digest[:10])


def resolve_int_or_percent(value: int | str, total: int, round_up: bool) -> int:
    """intstr.GetScaledValueFromIntOrPercent."""
    if isinstance(value, int):
        return value
    percent = int(str(value).rstrip("%"))
    scaled = percent * total / 100
    return math.ceil(scaled) if round_up else math.floor(scaled)


def resolve_fenceposts(max_surge: int | str, max_unavailable: int | str, replicas: int):
    """(maxSurge, maxUnavailable) as numbers; both 0 would deadlock, so unavailable becomes 1."""
    surge = resolve_int_or_percent(max_surge, replicas, True)
    unavailable = resolve_int_or_percent(max_unavailable, replicas, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


class Deployment:
    def __init__(self, services: ControllerServices, workload: Workload) -> None:
        self.services = services
        self.workload = workload
        self.replicas = workload.replicas
        self.replica_sets: list[ReplicaSet] = []
        self._dirty = False
        # Rollout progress (the Progressing condition): the counts last seen, when they last
        # moved, and the condition as the controller last wrote it.
        self._counts: tuple[int, int, int, int] | None = None
        self._progress_at = 0.0
        self._deadline_timer: Timer | None = None
        self.progressing = Condition("Progressing", TRUE, "NewReplicaSetCreated", "")

    @property
    def ref(self) -> str:
        return f"Deployment/{self.workload.name}"

    @property
    def new_replica_set(self) -> ReplicaSet:
        return self.replica_sets[-1]

    def start(self) -> None:
        if self.workload.paused:
            # A Deployment created paused is only synced (dc.sync): no ReplicaSet exists and
            # none is made, so no pod runs; Progressing is Unknown, DeploymentPaused
            # (deployment_controller.go syncDeployment, sync.go checkPausedConditions).
            self.progressing = Condition(
                "Progressing", UNKNOWN, "DeploymentPaused", "Deployment is paused"
            )
            return
        self._new_revision()
        self.reconcile()

    def scale(self, replicas: int) -> None:
        self.replicas = replicas
        if self.replica_sets:
            self.mark_dirty()

    def rollout_restart(self) -> None:
        """kubectl rollout restart: a new template revision, rolled out like any change."""
        self._new_revision()
        self.mark_dirty()

    def _new_revision(self) -> None:
        revision = len(self.replica_sets) + 1
        name = f"{self.workload.name}-{template_hash(self.workload.name, revision)}"
        self.replica_sets.append(
            ReplicaSet(
                self.services,
                name,
                self.workload.name,
                self.workload.template,
                self.services.clock.now,
                self.mark_dirty,
                self.workload.min_ready_seconds,
                # Recreate waits for old pods to be gone: their removal must wake it.
                watch_removal=self._recreate,
            )
        )

    def mark_dirty(self) -> None:
        if not self._dirty:
            self._dirty = True
            self.services.clock.call_soon(self.reconcile)

    def _scale(self, replica_set: ReplicaSet, replicas: int) -> None:
        old = replica_set.replicas
        if old == replicas:
            return
        direction = "up" if replicas > old else "down"
        self.services.events.normal(
            self.ref,
            "ScalingReplicaSet",
            f"Scaled {direction} replica set {replica_set.name} from {old} to {replicas}",
        )
        replica_set.set_replicas(replicas)

    @property
    def _recreate(self) -> bool:
        return self.workload.strategy_type == "Recreate"

    def reconcile(self) -> None:
        self._dirty = False
        if self._recreate:
            self._rollout_recreate()
            self._sync_rollout_status()
            return
        surge, unavailable = resolve_fenceposts(
            self.workload.max_surge, self.workload.max_unavailable, self.replicas
        )
        self._reconcile_new(surge)
        self._reconcile_old(unavailable)
        self._sync_rollout_status()

    def status(self) -> dict:
        """The Deployment's status counts and its Progressing condition."""
        if not self.replica_sets:
            return {
                "kind": "Deployment",
                "name": self.workload.name,
                "replicas": 0,
                "updatedReplicas": 0,
                "readyReplicas": 0,
                "availableReplicas": 0,
                "conditions": [self.progressing.to_dict()],
            }
        new = self.new_replica_set
        return {
            "kind": "Deployment",
            "name": self.workload.name,
            "replicas": sum(len(rs.active_pods()) for rs in self.replica_sets),
            "updatedReplicas": len(new.active_pods()),
            "readyReplicas": sum(rs.ready for rs in self.replica_sets),
            "availableReplicas": sum(rs.available for rs in self.replica_sets),
            "conditions": [self.progressing.to_dict()],
        }

    def _sync_rollout_status(self) -> None:
        """syncRolloutStatus: Progressing is True while the rollout moves (or has completed) and
        turns False, ProgressDeadlineExceeded, after progressDeadlineSeconds without progress."""
        now = self.services.clock.now
        new = self.new_replica_set
        old_replicas = sum(len(rs.active_pods()) for rs in self.replica_sets[:-1])
        updated = len(new.active_pods())
        available = sum(rs.available for rs in self.replica_sets)
        ready = sum(rs.ready for rs in self.replica_sets)
        counts = (updated, ready, available, old_replicas)
        name = f'ReplicaSet "{new.name}"'
        complete = updated == self.replicas and available == self.replicas and old_replicas == 0
        if self._counts is None or _progressed(self._counts, counts):
            self._progress_at = now
            reason = "NewReplicaSetAvailable" if complete else "ReplicaSetUpdated"
            message = (
                f"{name} has successfully progressed." if complete else f"{name} is progressing."
            )
            self._set_progressing(TRUE, reason, message, now)
        elif complete and self.progressing.reason != "NewReplicaSetAvailable":
            self._set_progressing(
                TRUE, "NewReplicaSetAvailable", f"{name} has successfully progressed.", now
            )
        self._counts = counts
        if complete:
            return
        deadline = self._progress_at + self.workload.progress_deadline_seconds
        if now >= deadline:
            if self.progressing.reason != "ProgressDeadlineExceeded":
                self._set_progressing(
                    FALSE, "ProgressDeadlineExceeded", f"{name} has timed out progressing.", now
                )
        elif self._deadline_timer is None or self._deadline_timer.at != deadline:
            if self._deadline_timer is not None:
                self._deadline_timer.cancel()
            self._deadline_timer = self.services.clock.schedule(deadline, self._deadline_due)

    def _deadline_due(self) -> None:
        self._deadline_timer = None
        self.mark_dirty()

    def _set_progressing(self, status: str, reason: str, message: str, now: float) -> None:
        if (self.progressing.status, self.progressing.reason) == (status, reason):
            return
        self.progressing = Condition("Progressing", status, reason, message, now)

    def _rollout_recreate(self) -> None:
        """rolloutRecreate: scale every old ReplicaSet to 0; scale the new one up only when no
        old pod is left but terminal ones (a terminating pod still counts, oldPodsRunning)."""
        new = self.new_replica_set
        old_sets = self.replica_sets[:-1]
        for rs in old_sets:
            if rs.replicas:
                self._scale(rs, 0)
        if any(not pod.removed and not pod.terminal for rs in old_sets for pod in rs.pods):
            return
        self._scale(new, self.replicas)

    def _reconcile_new(self, surge: int) -> None:
        new = self.new_replica_set
        desired = self.replicas
        if new.replicas == desired:
            return
        if new.replicas > desired:
            self._scale(new, desired)
            return
        current = sum(rs.replicas for rs in self.replica_sets)
        max_total = desired + surge
        if current >= max_total:
            return
        scale_up = min(max_total - current, desired - new.replicas)
        self._scale(new, new.replicas + scale_up)

    def _reconcile_old(self, unavailable: int) -> None:
        new = self.new_replica_set
        old_sets = self.replica_sets[:-1]
        if sum(rs.replicas for rs in old_sets) == 0:
            return
        all_pods = sum(rs.replicas for rs in self.replica_sets)
        min_available = self.replicas - unavailable
        new_unavailable = new.replicas - new.available
        max_scaled_down = all_pods - min_available - new_unavailable
        if max_scaled_down <= 0:
            return
        # Unhealthy old replicas go first so they cannot block the rollout.
        cleaned = 0
        for rs in old_sets:
            if cleaned >= max_scaled_down:
                break
            unhealthy = rs.replicas - rs.available
            if rs.replicas == 0 or unhealthy <= 0:
                continue
            step = min(max_scaled_down - cleaned, unhealthy)
            self._scale(rs, rs.replicas - step)
            cleaned += step
        available = sum(rs.available for rs in self.replica_sets)
        total_scale_down = available - min_available
        scaled = 0
        for rs in old_sets:
            if scaled >= total_scale_down:
                break
            if rs.replicas == 0:
                continue
            step = min(rs.replicas, total_scale_down - scaled)
            self._scale(rs, rs.replicas - step)
            scaled += step


def _progressed(before: tuple[int, int, int, int], after: tuple[int, int, int, int]) -> bool:
    """DeploymentProgressing: more updated, ready or available replicas, or fewer old ones."""
    return (
        after[0] > before[0]
        or after[1] > before[1]
        or after[2] > before[2]
        or (after[3] < before[3])
    )
