"""``kubectl drain``: cordon the node, then evict its pods through the eviction API, which honours
PodDisruptionBudgets; a refused eviction is retried every 5 s until it succeeds.

docs/kubernetes-model.md §8.11. k/k staging/src/k8s.io/kubectl/pkg/drain/drain.go
(evictPods: one retry loop per pod, 5 s apart, printing "error when evicting pods/... (will
retry after 5s): ..."), staging/src/k8s.io/kubectl/pkg/drain/cordon.go;
pkg/registry/core/pod/storage/eviction.go (Create, canIgnorePDB, checkAndDecrement: a pod that
is not Running is evicted whatever the budget; a Ready pod needs disruptionsAllowed > 0; with the
default unhealthyPodEvictionPolicy IfHealthyBudget, an unready Running pod may go only while
currentHealthy ≥ desiredHealthy; the refusal "Cannot evict pod as it would violate the pod's
disruption budget."); pkg/controller/disruption/disruption.go (getExpectedPodCount,
countHealthyPods: only Ready pods not being deleted are healthy, so an unready pod counts as
disrupted).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from simulator.api.conditions import DISRUPTION_TARGET, TRUE, Condition, with_transition_times
from simulator.api.events import EventRecorder
from simulator.api.meta import NAMESPACE
from simulator.api.node import NO_SCHEDULE
from simulator.api.phase import RUNNING
from simulator.api.pod import Pod
from simulator.api.server import ApiServer
from simulator.clock import Clock
from simulator.scenario.types import PodDisruptionBudget

UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable"
RETRY_SECONDS = 5.0
VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget."
SEVERAL_BUDGETS = (
    "This pod has more than one PodDisruptionBudget, which the eviction subresource does not "
    "support."
)


class DisruptionController:
    """Drains nodes; ``expected_pods()`` is the workload's scale (the PDB's expected count)."""

    def __init__(
        self,
        clock: Clock,
        api: ApiServer,
        events: EventRecorder,
        budgets: Sequence[PodDisruptionBudget],
        expected_pods: Callable[[], int],
        nodes_changed: Callable[[], None],
    ) -> None:
        self.clock = clock
        self.api = api
        self.events = events
        self.budgets = tuple(budgets)
        self.expected_pods = expected_pods
        self.nodes_changed = nodes_changed

    def drain(self, node_name: str) -> None:
        """kubectl drain NODE: cordon, then evict every pod bound to it."""
        node = self.api.node(node_name)
        if node is None:
            return
        if node.add_taint(UNSCHEDULABLE_TAINT, NO_SCHEDULE, self.clock.now):
            self.events.normal(
                f"Node/{node_name}",
                "NodeNotSchedulable",
                f"Node {node_name} status is now: NodeNotSchedulable",
            )
            self.nodes_changed()
        for pod in list(self.api.pods):
            if pod.node is node and self._present(pod):
                self._try_evict(pod)

    @staticmethod
    def _present(pod: Pod) -> bool:
        return not pod.removed and pod.deletion_timestamp is None

    def _try_evict(self, pod: Pod) -> None:
        if not self._present(pod):
            return  # gone meanwhile (deleted, evicted for its node): nothing left to drain
        refusal = self._refusal(pod)
        if refusal is None:
            self._evict(pod)
            return
        self.events.warning(
            f"Pod/{pod.name}",
            "EvictionBlocked",
            f'error when evicting pods/"{pod.name}" -n "{NAMESPACE}" '
            f"(will retry after {RETRY_SECONDS:g}s): {refusal}",
        )
        self.clock.schedule(self.clock.now + RETRY_SECONDS, self._try_evict, pod)

    def _refusal(self, pod: Pod) -> str | None:
        """Why the eviction API refuses ``pod`` now (None: it evicts)."""
        if pod.terminal or pod.phase != RUNNING:
            return None  # canIgnorePDB
        labels = pod.template.labels
        matching = [budget for budget in self.budgets if _selects(budget, labels)]
        if not matching:
            return None
        if len(matching) > 1:
            return SEVERAL_BUDGETS
        budget = matching[0]
        healthy = self._healthy(budget)
        desired = self._desired(budget)
        if pod.ready:
            return None if healthy - desired > 0 else VIOLATION
        return None if healthy >= desired else VIOLATION

    def _healthy(self, budget: PodDisruptionBudget) -> int:
        return sum(
            1
            for pod in self.api.pods
            if self._present(pod) and pod.ready and _selects(budget, pod.template.labels)
        )

    def _desired(self, budget: PodDisruptionBudget) -> int:
        """desiredHealthy: minAvailable, or the expected count less maxUnavailable (percentages
        of the expected count, rounded up)."""
        expected = self.expected_pods()
        if budget.min_available is not None:
            return _scaled(budget.min_available, expected)
        if budget.max_unavailable is not None:
            return max(0, expected - _scaled(budget.max_unavailable, expected))
        return 0

    def _evict(self, pod: Pod) -> None:
        condition = Condition(
            DISRUPTION_TARGET, TRUE, "EvictionByEvictionAPI", "Eviction API: evicting"
        )
        pod.conditions = with_transition_times(pod.conditions, [condition], self.clock.now)
        self.api.delete_pod(pod)


def _selects(budget: PodDisruptionBudget, labels: Mapping[str, str]) -> bool:
    """A policy/v1 selector: every pair among the labels; an empty one selects every pod."""
    return all(labels.get(key) == value for key, value in budget.selector.items())


def _scaled(value: int | str, total: int) -> int:
    if isinstance(value, int):
        return value
    return math.ceil(int(value.rstrip("%")) * total / 100)
