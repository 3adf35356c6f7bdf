"""The node lifecycle controller: notices silent nodes, marks their pods, taints them.

docs/kubernetes-model.md §5.1-§5.2; k/k pkg/controller/nodelifecycle/node_lifecycle_controller.go
(monitorNodeHealth, tryUpdateNodeHealth, processTaintBaseEviction, handleDisruption,
ComputeZoneState); pkg/controller/util/node/controller_utils.go (MarkPodsNotReady).
All nodes are in one zone.
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.api.conditions import FALSE, READY, Condition, with_transition_times
from simulator.api.events import EventRecorder
from simulator.api.node import NO_EXECUTE, NO_SCHEDULE, UNREACHABLE_TAINT, Node
from simulator.api.server import ApiServer
from simulator.clock import Clock, Timer
from simulator.controllers.taint_eviction import TaintEvictionController

# The controller's pass runs every 5 s (k/k node_lifecycle_controller.go nodeMonitorPeriod).
NODE_MONITOR_PERIOD = 5.0
# Rate-limited NoExecute tainting: 0.1 node/s, first node at once (Kubernetes docs:
# concepts/architecture/nodes, "Reliability").
NODE_EVICTION_INTERVAL = 10.0
# Zone safeguards (Kubernetes docs: concepts/architecture/nodes, "Reliability"; k/k
# node_lifecycle_controller.go ComputeZoneState).
UNHEALTHY_ZONE_THRESHOLD = 0.55
LARGE_CLUSTER_SIZE_THRESHOLD = 50

NORMAL = "Normal"
PARTIAL_DISRUPTION = "PartialDisruption"
FULL_DISRUPTION = "FullDisruption"


class NodeLifecycleController:
    def __init__(
        self,
        clock: Clock,
        api: ApiServer,
        events: EventRecorder,
        grace_period: float,
        taint_eviction: TaintEvictionController,
        on_nodes_changed: Callable[[], None],
    ) -> None:
        self.clock = clock
        self.api = api
        self.events = events
        self.grace_period = grace_period
        self.taint_eviction = taint_eviction
        self.on_nodes_changed = on_nodes_changed
        self.zone_state = NORMAL
        self._probe_timestamp: dict[str, float] = {}
        self._observed_renewal: dict[str, float] = {}
        self._taint_queue: list[Node] = []
        self._next_taint_at = float("-inf")
        self._taint_timer: Timer | None = None
        for node in api.nodes:
            self._probe_timestamp[node.name] = clock.now
            self._observed_renewal[node.name] = node.latest_lease_renewal(clock.now)
        clock.schedule(clock.now, self._monitor)

    def _monitor(self) -> None:
        now = self.clock.now
        changed = False
        for node in self.api.nodes:
            renewal = node.latest_lease_renewal(now)
            if renewal > self._observed_renewal[node.name]:
                self._observed_renewal[node.name] = renewal
                self._probe_timestamp[node.name] = now
            if node.ready_status == "True":
                if now > self._probe_timestamp[node.name] + self.grace_period:
                    self._mark_unknown(node)
                    changed = True
                elif node.taints and self._untaint(node):
                    changed = True
        self._update_zone_state()
        self._enqueue_unhealthy()
        if changed:
            self.on_nodes_changed()
        self.clock.schedule(now + NODE_MONITOR_PERIOD, self._monitor)

    def _mark_unknown(self, node: Node) -> None:
        now = self.clock.now
        node.ready_status = "Unknown"
        node.ready_reason = "NodeStatusUnknown"
        node.ready_message = "Kubelet stopped posting node status."
        node.ready_since = now
        self.events.normal(
            f"Node/{node.name}", "NodeNotReady", f"Node {node.name} status is now: NodeNotReady"
        )
        for pod in self.api.pods:
            if pod.node is node and not pod.removed and pod.ready:
                ready = pod.conditions[READY]
                pod.conditions = with_transition_times(
                    pod.conditions,
                    [Condition(READY, FALSE, ready.reason, ready.message)],
                    now,
                )
                self.events.warning(f"Pod/{pod.name}", "NodeNotReady", "Node is not ready")
                self.api.pod_changed(pod)
        node.add_taint(UNREACHABLE_TAINT, NO_SCHEDULE, now)

    def _untaint(self, node: Node) -> bool:
        """A Ready node loses the unreachable taints (and leaves the taint queue)."""
        if node in self._taint_queue:
            self._taint_queue.remove(node)
        had_no_schedule = node.remove_taint(UNREACHABLE_TAINT, NO_SCHEDULE)
        had_no_execute = node.remove_taint(UNREACHABLE_TAINT, NO_EXECUTE)
        if had_no_execute:
            self.taint_eviction.taints_removed(node)
        return had_no_schedule or had_no_execute

    def _update_zone_state(self) -> None:
        nodes = self.api.nodes
        not_ready = sum(1 for node in nodes if node.ready_status != "True")
        ready = len(nodes) - not_ready
        if ready == 0 and not_ready > 0:
            state = FULL_DISRUPTION
        elif not_ready > 2 and not_ready / len(nodes) >= UNHEALTHY_ZONE_THRESHOLD:
            state = PARTIAL_DISRUPTION
        else:
            state = NORMAL
        if state == self.zone_state:
            return
        self.zone_state = state
        if state == FULL_DISRUPTION:
            # Every node unhealthy: assume a control-plane problem and evict nothing.
            self._taint_queue.clear()
            for node in nodes:
                if node.remove_taint(UNREACHABLE_TAINT, NO_EXECUTE):
                    self.taint_eviction.taints_removed(node)

    def _eviction_interval(self) -> float | None:
        if self.zone_state == NORMAL:
            return NODE_EVICTION_INTERVAL
        if self.zone_state == PARTIAL_DISRUPTION and len(self.api.nodes) > (
            LARGE_CLUSTER_SIZE_THRESHOLD
        ):
            return 100.0  # 0.01 node/s
        return None

    def _enqueue_unhealthy(self) -> None:
        if self.zone_state == FULL_DISRUPTION:
            return
        for node in self.api.nodes:
            if (
                node.ready_status != "True"
                and not node.has_taint(UNREACHABLE_TAINT, NO_EXECUTE)
                and node not in self._taint_queue
            ):
                self._taint_queue.append(node)
        if self._taint_timer is None:
            self._process_taint_queue()

    def _process_taint_queue(self) -> None:
        self._taint_timer = None
        interval = self._eviction_interval()
        if interval is None or not self._taint_queue:
            return
        now = self.clock.now
        if now < self._next_taint_at:
            self._taint_timer = self.clock.schedule(self._next_taint_at, self._process_taint_queue)
            return
        node = self._taint_queue.pop(0)
        if node.ready_status != "True" and node.add_taint(UNREACHABLE_TAINT, NO_EXECUTE, now):
            self._next_taint_at = now + interval
            self.taint_eviction.node_tainted(node)
        if self._taint_queue:
            self._process_taint_queue()
