"""Pod conditions the kubelet regenerates on every status update (docs/kubernetes-model.md §1.2).

k/k pkg/kubelet/status/generate.go (GeneratePodReadyToStartContainersCondition,
GeneratePodInitializedCondition, GeneratePodReadyCondition, GenerateContainersReadyCondition);
pkg/kubelet/kubelet_pods.go (generateAPIPodStatus).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from simulator.api.container import Container
from simulator.api.phase import FAILED, SUCCEEDED

POD_READY_TO_START_CONTAINERS = "PodReadyToStartContainers"
INITIALIZED = "Initialized"
READY = "Ready"
CONTAINERS_READY = "ContainersReady"
POD_SCHEDULED = "PodScheduled"
DISRUPTION_TARGET = "DisruptionTarget"

# `kubectl describe pod` order; conditions not owned by the kubelet come first.
DESCRIBE_ORDER = (
    DISRUPTION_TARGET,
    POD_READY_TO_START_CONTAINERS,
    INITIALIZED,
    READY,
    CONTAINERS_READY,
    POD_SCHEDULED,
)

TRUE = "True"
FALSE = "False"


class Condition(NamedTuple):
    """One pod condition (immutable: a tuple, made several times per status update)."""

    type: str
    status: str
    reason: str | None = None
    message: str | None = None
    last_transition_time: float = 0.0

    @property
    def is_true(self) -> bool:
        return self.status == TRUE

    def to_dict(self) -> dict:
        return {
            "type": self.type,
            "status": self.status,
            "reason": self.reason,
            "message": self.message,
            "lastTransitionTime": self.last_transition_time,
        }


# The conditions a status update makes most often, made once (conditions are immutable).
_CONTAINERS_READY = Condition(CONTAINERS_READY, TRUE)
_READY = Condition(READY, TRUE)
_INITIALIZED = Condition(INITIALIZED, TRUE)
_SANDBOX_READY = Condition(POD_READY_TO_START_CONTAINERS, TRUE)
_SANDBOX_NOT_READY = Condition(POD_READY_TO_START_CONTAINERS, FALSE)
_SCHEDULED = Condition(POD_SCHEDULED, TRUE)


def _go_list(names: Sequence[str]) -> str:
    """Go's ``%s`` of a []string: ``[a b]``."""
    return "[" + " ".join(names) + "]"


def containers_ready_condition(containers: Sequence[Container], phase: str) -> Condition:
    if phase == SUCCEEDED:
        return Condition(CONTAINERS_READY, FALSE, "PodCompleted")
    if phase == FAILED:
        return Condition(CONTAINERS_READY, FALSE, "PodFailed")
    unready = [c.name for c in containers if not c.ready]
    if unready:
        message = f"containers with unready status: {_go_list(unready)}"
        return Condition(CONTAINERS_READY, FALSE, "ContainersNotReady", message)
    return _CONTAINERS_READY


def ready_condition(
    containers_ready: Condition,
    readiness_gates: Sequence[str] = (),
    conditions: Mapping[str, Condition] | None = None,
) -> Condition:
    """Ready copies ContainersReady while that is not True; then every readiness gate's
    condition must be True too (k/k pkg/kubelet/status/generate.go (GeneratePodReadyCondition))."""
    if not containers_ready.is_true:
        return Condition(
            READY,
            containers_ready.status,
            containers_ready.reason,
            containers_ready.message,
            containers_ready.last_transition_time,
        )
    unready = []
    for gate in readiness_gates:
        condition = (conditions or {}).get(gate)
        if condition is None:
            unready.append(
                f'corresponding condition of pod readiness gate "{gate}" does not exist.'
            )
        elif not condition.is_true:
            unready.append(
                f'the status of pod readiness gate "{gate}" is not "True", but {condition.status}'
            )
    if unready:
        return Condition(READY, FALSE, "ReadinessGatesNotReady", ", ".join(unready))
    return _READY


def initialized_condition(
    init_containers: Sequence[Container], containers: Sequence[Container], phase: str
) -> Condition:
    if phase == SUCCEEDED:
        return Condition(INITIALIZED, TRUE, "PodCompleted")
    for container in containers:
        if container.state in ("Running", "Terminated"):
            return _INITIALIZED
    # A sidecar counts once it has started (GeneratePodInitializedCondition).
    incomplete = [
        c.name for c in init_containers if not (c.started if c.spec.is_sidecar else c.ready)
    ]
    if incomplete:
        message = f"containers with incomplete status: {_go_list(incomplete)}"
        return Condition(INITIALIZED, FALSE, "ContainersNotInitialized", message)
    return _INITIALIZED


def kubelet_conditions(
    sandbox_ready: bool,
    init_containers: Sequence[Container],
    containers: Sequence[Container],
    phase: str,
    readiness_gates: Sequence[str] = (),
    conditions: Mapping[str, Condition] | None = None,
) -> list[Condition]:
    """The kubelet-owned conditions for a pod with these container statuses; ``conditions`` are
    the pod's current ones (where readiness gates look for theirs)."""
    # Sidecars count for ContainersReady, listed first (GenerateContainersReadyCondition).
    if init_containers:
        sidecars = [c for c in init_containers if c.spec.is_sidecar]
        containers_ready = containers_ready_condition([*sidecars, *containers], phase)
    else:
        containers_ready = containers_ready_condition(containers, phase)
    return [
        _SANDBOX_READY if sandbox_ready else _SANDBOX_NOT_READY,
        initialized_condition(init_containers, containers, phase),
        ready_condition(containers_ready, readiness_gates, conditions),
        containers_ready,
        _SCHEDULED,
    ]


def with_transition_times(
    old: dict[str, Condition], new: Sequence[Condition], now: float
) -> dict[str, Condition]:
    """Merge ``new`` over ``old``, keeping a condition's transition time while its status holds.

    ``old`` is a pod's conditions as this function last returned them (in ``DESCRIBE_ORDER``);
    it is returned itself when nothing changes."""
    merged: dict[str, Condition] | None = None
    for condition in new:
        previous = old.get(condition.type)
        if previous is None or previous.status != condition.status:
            changed = Condition(
                condition.type, condition.status, condition.reason, condition.message, now
            )
        elif previous.reason != condition.reason or previous.message != condition.message:
            changed = Condition(
                condition.type,
                condition.status,
                condition.reason,
                condition.message,
                previous.last_transition_time,
            )
        else:
            continue
        if merged is None:
            merged = dict(old)
        merged[condition.type] = changed
    if merged is None:
        return old
    return {t: merged[t] for t in DESCRIBE_ORDER if t in merged}
