"""The taint-eviction controller: deletes pods on a NoExecute-tainted node after their toleration.

k/k pkg/controller/tainteviction/taint_eviction.go (processPodOnNode, addConditionAndDeletePod,
emitPodDeletionEvent, emitCancelPodDeletionEvent). A pod that does not tolerate a NoExecute taint
of its node is evicted at once, else after the smallest tolerationSeconds of the tolerations used
(never when none sets one). The API server gave every pod the default tolerations of the
unreachable/not-ready taints (api/tolerations.py).
"""

from __future__ import annotations

from simulator.api.conditions import DISRUPTION_TARGET, TRUE, Condition, with_transition_times
from simulator.api.events import EventRecorder
from simulator.api.meta import NAMESPACE
from simulator.api.node import NO_EXECUTE, Node
from simulator.api.pod import Pod
from simulator.api.server import ApiServer
from simulator.api.tolerations import toleration_time
from simulator.clock import Clock, Timer


class TaintEvictionController:
    def __init__(self, clock: Clock, api: ApiServer, events: EventRecorder) -> None:
        self.clock = clock
        self.api = api
        self.events = events
        self._scheduled: dict[str, Timer] = {}

    def _evictable(self, pod: Pod) -> bool:
        return pod.deletion_timestamp is None and not pod.removed and not pod.terminal

    def node_tainted(self, node: Node) -> None:
        """A NoExecute taint was added to ``node``: schedule its pods' evictions."""
        for pod in self.api.pods:
            if pod.node is node:
                self.pod_on_tainted_node(pod)

    def pod_on_tainted_node(self, pod: Pod) -> None:
        node = pod.node
        if node is None or pod.name in self._scheduled or not self._evictable(pod):
            return
        taints = [t for t in node.taints if t.effect == NO_EXECUTE]
        if not taints:
            return
        wait = toleration_time(pod.tolerations, taints)
        if wait is None:
            return  # tolerated for ever
        start = max(self.clock.now, min(t.time_added for t in taints))
        self._scheduled[pod.name] = self.clock.schedule(start + wait, self._evict, pod)

    def taints_removed(self, node: Node) -> None:
        """The node lost its NoExecute taints: pending evictions of its pods are cancelled."""
        for pod in self.api.pods:
            if pod.node is node and pod.name in self._scheduled:
                self._scheduled.pop(pod.name).cancel()
                self.events.normal(
                    f"Pod/{pod.name}",
                    "TaintManagerEviction",
                    f"Cancelling deletion of Pod {NAMESPACE}/{pod.name}",
                )

    def _evict(self, pod: Pod) -> None:
        self._scheduled.pop(pod.name, None)
        if not self._evictable(pod):
            return
        condition = Condition(
            DISRUPTION_TARGET,
            TRUE,
            "DeletionByTaintManager",
            "Taint manager: deleting due to NoExecute taint",
        )
        pod.conditions = with_transition_times(pod.conditions, [condition], self.clock.now)
        self.events.normal(
            f"Pod/{pod.name}",
            "TaintManagerEviction",
            f"Marking for deletion Pod {NAMESPACE}/{pod.name}",
        )
        self.api.delete_pod(pod)
