"""The API server's object store for one lane: pods and nodes, with change notifications."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from simulator.api.node import Node
from simulator.api.pod import Pod
from simulator.api.tolerations import with_default_tolerations
from simulator.clock import Clock
from simulator.scenario.types import Behavior, PodTemplate


def _uid(seed: int, name: str) -> str:
    """A stable, UUID-shaped uid: same scenario seed and pod name, same uid."""
    digest = hashlib.sha256(f"{seed}/{name}".encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


class ApiServer:
    def __init__(self, clock: Clock, seed: int, default_toleration_seconds: float = 300.0) -> None:
        """``default_toleration_seconds``: the API server's flags
        ``--default-not-ready-toleration-seconds`` and
        ``--default-unreachable-toleration-seconds`` (one value for both)."""
        self.clock = clock
        self.seed = seed
        self.default_toleration_seconds = default_toleration_seconds
        self.pods: list[Pod] = []
        self.nodes: list[Node] = []
        self._pods_by_name: dict[str, Pod] = {}
        self._name_counters: dict[str, int] = {}
        self._listeners: list[Callable[[Pod], None]] = []
        self._node_listeners: dict[str, list[Callable[[Pod], None]]] = {}

    def add_pod_listener(
        self, listener: Callable[[Pod], None], node_name: str | None = None
    ) -> None:
        """Watch pods: ``listener(pod)`` runs after every change of a pod (creation and removal
        included). With ``node_name``, only pods bound to that node (the kubelet's
        ``spec.nodeName`` field selector); those listeners run after the unfiltered ones."""
        if node_name is None:
            self._listeners.append(listener)
        else:
            self._node_listeners.setdefault(node_name, []).append(listener)

    def node(self, name: str) -> Node | None:
        for node in self.nodes:
            if node.name == name:
                return node
        return None

    def pod(self, name: str) -> Pod | None:
        """The current pod called ``name`` (a removed pod only if no newer one took the name)."""
        return self._pods_by_name.get(name)

    def next_pod_name(self, workload: str) -> str:
        """``<workload>-<k>``, k = 1, 2, ... in creation order (scenario-format.md)."""
        k = self._name_counters.get(workload, 0) + 1
        self._name_counters[workload] = k
        return f"{workload}-{k}"

    def create_pod(
        self,
        name: str,
        template: PodTemplate,
        behavior: Behavior,
        owner: object | None,
        workload: str,
        uid_key: str | None = None,
    ) -> Pod:
        """A new pod; its UID derives from the seed and ``uid_key`` (default: the name), so a
        pod made again under the same name (a StatefulSet's) gets a UID of its own."""
        uid = _uid(self.seed, uid_key or name)
        pod = Pod(name, uid, template, behavior, self.clock.now, owner, workload)
        pod.tolerations = with_default_tolerations(
            template.tolerations, self.default_toleration_seconds
        )
        self.pods.append(pod)
        self._pods_by_name[name] = pod
        self.pod_changed(pod)
        return pod

    def pod_changed(self, pod: Pod) -> None:
        for listener in self._listeners:
            listener(pod)
        if pod.node is not None:
            for listener in self._node_listeners.get(pod.node.name, ()):
                listener(pod)

    def delete_pod(self, pod: Pod, grace_period: float | None = None) -> bool:
        """A graceful DELETE: sets deletionTimestamp; the pod's kubelet, watching, finishes it.
        False if it changes nothing."""
        if pod.deletion_timestamp is not None or pod.removed:
            return False
        pod.deletion_timestamp = self.clock.now
        pod.deletion_grace_period = pod.grace_period if grace_period is None else grace_period
        # An unscheduled or terminal pod is deleted at once (pod strategy CheckGracefulDelete).
        if pod.node is None or pod.terminal:
            self.pod_changed(pod)
            self.remove_pod(pod)
            return True
        self.pod_changed(pod)
        return True

    def remove_pod(self, pod: Pod) -> None:
        """The API object is gone (the kubelet confirmed termination)."""
        if pod.removed:
            return
        pod.deleted_at = self.clock.now
        self.pod_changed(pod)
