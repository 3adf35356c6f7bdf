"""The scheduler: binds each new pod to the schedulable node with the fewest pods of its workload.

Ties go to the earlier node in the cluster's node list (scenario-format.md). Nodes with a
NoSchedule taint are skipped; ``spec.nodeName`` bypasses the scheduler.
"""

from __future__ import annotations

from simulator.api.conditions import FALSE, POD_SCHEDULED, TRUE, Condition, with_transition_times
from simulator.api.events import EventRecorder
from simulator.api.meta import NAMESPACE
from simulator.api.node import Node
from simulator.api.phase import TERMINAL_PHASES
from simulator.api.pod import Pod
from simulator.api.server import ApiServer


class Scheduler:
    def __init__(self, api: ApiServer, events: EventRecorder) -> None:
        self.api = api
        self.events = events
        self.pending: list[Pod] = []

    def schedule(self, pod: Pod) -> None:
        pinned = pod.template.node_name
        if pinned is not None:
            node = self.api.node(pinned)
            if node is not None:
                self._bind(pod, node)
            return
        candidates = [node for node in self.api.nodes if node.schedulable]
        if not candidates:
            self._unschedulable(pod)
            return

        counts = dict.fromkeys((node.name for node in candidates), 0)
        workload = pod.workload
        # Removed pods stay in ``api.pods``: reject them by the cheapest test first.
        for other in self.api.pods:
            if other.deleted_at is not None:
                continue
            node = other.node
            if node is None or other.workload != workload or other.phase in TERMINAL_PHASES:
                continue
            name = node.name
            if name in counts:
                counts[name] += 1
        self._bind(pod, min(candidates, key=lambda node: (counts[node.name], node.index)))

    def nodes_changed(self) -> None:
        """Retry pods that found no node."""
        waiting, self.pending = self.pending, []
        for pod in waiting:
            if not pod.removed and pod.deletion_timestamp is None:
                self.schedule(pod)

    def _unschedulable(self, pod: Pod) -> None:
        total = len(self.api.nodes)
        message = (
            f"0/{total} nodes are available: {total} node(s) had untolerated taint "
            f"{{node.kubernetes.io/unreachable: }}. preemption: 0/{total} nodes are available: "
            f"{total} Preemption is not helpful for scheduling."
        )
        first_attempt = pod not in self.pending
        self.pending.append(pod)
        if first_attempt:
            condition = Condition(POD_SCHEDULED, FALSE, "Unschedulable", message)
            pod.conditions = with_transition_times(pod.conditions, [condition], self.api.clock.now)
            self.events.warning(f"Pod/{pod.name}", "FailedScheduling", message)
            self.api.pod_changed(pod)

    def _bind(self, pod: Pod, node: Node) -> None:
        pod.node = node
        pod.conditions = with_transition_times(
            pod.conditions, [Condition(POD_SCHEDULED, TRUE)], self.api.clock.now
        )
        self.events.normal(
            f"Pod/{pod.name}",
            "Scheduled",
            f"Successfully assigned {NAMESPACE}/{pod.name} to {node.name}",
        )
        self.api.pod_changed(pod)  # the node's kubelet, watching, admits the pod
