"""``spec.events``: what happens to the cluster and the programs, at simulated times.

Events are the same in every variant, so each target must exist in every lane: nodes by name, pods
by the naming rule ``<workload>-<k>`` (k = 1, 2, ... in creation order; replacements continue the
count, so any k may come to exist), a bare Pod by its own name.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any, cast

from simulator.scenario.field_readers import (
    read_choice,
    read_duration,
    read_int,
    read_list,
    read_mapping,
    read_str,
)
from simulator.scenario.manifests.workload import MAX_REPLICAS
from simulator.scenario.spec.sections import read_requests_per_second
from simulator.scenario.types import EVENT_ACTIONS, EventAction, ScenarioEvent, Workload
from simulator.scenario.validation import FieldPath, Problems, format_value

MAX_EVENTS = 500  # simulator limit
EVENT_FIELDS = (
    "at",
    "action",
    "node",
    "pod",
    "container",
    "exitCode",
    "replicas",
    "requestsPerSecond",
    "dependency",
    "latency",
)

# The target fields of each action: (required, optional).
_TARGETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "NodeDown": (("node",), ()),
    "NodeUp": (("node",), ()),
    "AppHang": (("pod",), ("container",)),
    "AppUnresponsive": (("pod",), ("container",)),
    "AppRecover": (("pod",), ("container",)),
    "AppCrash": (("pod",), ("container", "exitCode")),
    "DeletePod": (("pod",), ()),
    "Scale": (("replicas",), ()),
    "RolloutRestart": ((), ()),
    "SetTraffic": (("requestsPerSecond",), ()),
    "DrainNode": (("node",), ()),
    "DependencyDown": (("dependency",), ()),
    "DependencySlow": (("dependency", "latency"), ()),
    "DependencyRecover": (("dependency",), ()),
}
_DEPLOYMENT_ONLY = ("Scale", "RolloutRestart")
# (variant name, or None for the scenario's own cluster; node names)
NodeSet = tuple[str | None, tuple[str, ...]]
_TARGET_FIELDS = (
    "node",
    "pod",
    "container",
    "exitCode",
    "replicas",
    "requestsPerSecond",
    "dependency",
    "latency",
)


def parse_events(
    raw: Any,
    path: FieldPath,
    problems: Problems,
    *,
    duration: float | None,
    workload: Workload | None,
    node_sets: Sequence[NodeSet],
    dependencies: Collection[str] = (),
) -> tuple[ScenarioEvent, ...]:
    """The events in time order (events at the same time keep the file's order).

    ``node_sets`` are the nodes of the scenario, then of every variant that changes them;
    ``dependencies`` the names under ``spec.dependencies``.
    """
    if raw is None:
        return ()
    items = read_list(raw, path, problems)
    if len(items) > MAX_EVENTS:
        problems.too_many(path, len(items), MAX_EVENTS)
        return ()
    events = []
    for index, item in enumerate(items):
        event = _event(
            item, path.index(index), problems, duration, workload, node_sets, dependencies
        )
        if event is not None:
            events.append(event)
    return tuple(sorted(events, key=lambda event: event.at))


def _event(
    raw: Any,
    path: FieldPath,
    problems: Problems,
    duration: float | None,
    workload: Workload | None,
    node_sets: Sequence[NodeSet],
    dependencies: Collection[str],
) -> ScenarioEvent | None:
    event = read_mapping(raw, path, problems, known=EVENT_FIELDS)
    if event is None:
        return None
    before = len(problems.found)
    at = read_time(event, path, problems, duration)
    action = read_choice(
        event, "action", path, problems, supported=EVENT_ACTIONS, default=None, required=True
    )
    if action is None:
        return None
    _check_target_fields(event, path, problems, action)
    if (
        action in _DEPLOYMENT_ONLY
        and workload is not None
        and workload.kind not in ("Deployment", "StatefulSet")
    ):
        problems.forbidden(
            path.child("action"), f"needs a Deployment or a StatefulSet, not a {workload.kind}"
        )
    if action == "RolloutRestart" and workload is not None and workload.paused:
        # kubectl rollout restart refuses a paused Deployment (k/k staging/src/k8s.io/kubectl/
        # pkg/polymorphichelpers/objectrestarter.go).
        problems.forbidden(
            path.child("action"), "can't restart paused deployment (run rollout resume first)"
        )
    if action == "DrainNode" and workload is not None and workload.kind == "Pod":
        # kubectl drain without --force refuses pods that declare no controller.
        problems.forbidden(
            path.child("action"),
            "cannot delete Pods that declare no controller (kubectl drain needs --force): "
            "a bare Pod is not drained",
        )
    fields: dict[str, Any] = {
        "node": _node(event, path, problems, node_sets),
        "pod": _pod(event, path, problems, workload),
        "container": _container(event, path, problems, workload),
        "exit_code": read_int(event, "exitCode", path, problems, default=1, minimum=0, maximum=255),
        "replicas": read_int(
            event, "replicas", path, problems, default=None, minimum=0, limit=MAX_REPLICAS
        ),
        "requests_per_second": read_requests_per_second(event, path, problems, default=None),
        "dependency": _dependency(event, path, problems, dependencies),
        "latency": read_duration(event, "latency", path, problems, default=None),
    }
    if at is None or len(problems.found) > before:
        return None
    return ScenarioEvent(at=at, action=cast(EventAction, action), **fields)


def read_time(
    parent: Mapping[str, Any], path: FieldPath, problems: Problems, duration: float | None
) -> float | None:
    """``at``: a time within the run, [0, duration]."""
    at = read_duration(parent, "at", path, problems, default=None, required=True)
    if at is not None and duration is not None and at > duration:
        problems.invalid(
            path.child("at"), parent["at"], f"must be between 0 and spec.duration ({duration:g})"
        )
        return None
    return at


def _check_target_fields(
    event: Mapping[str, Any], path: FieldPath, problems: Problems, action: str
) -> None:
    required, optional = _TARGETS[action]
    for name in required:
        if event.get(name) is None:
            problems.required(path.child(name), f"action {action} needs it")
    for name in _TARGET_FIELDS:
        if event.get(name) is not None and name not in required + optional:
            problems.forbidden(path.child(name), f"may not be set for action {action}")


def _node(
    event: Mapping[str, Any], path: FieldPath, problems: Problems, node_sets: Sequence[NodeSet]
) -> str | None:
    node = read_str(event, "node", path, problems)
    if node is None or check_node(node, path.child("node"), problems, node_sets):
        return node
    return None


def check_node(
    node: str, path: FieldPath, problems: Problems, node_sets: Sequence[NodeSet]
) -> bool:
    """A node must exist in the scenario's cluster and in every variant's."""
    for variant, nodes in node_sets:
        if node in nodes:
            continue
        if variant is None:
            problems.unsupported(path, node, nodes)
        else:
            problems.invalid(path, node, f"not a node of variant {format_value(variant)}")
        return False
    return True


def _pod(
    event: Mapping[str, Any], path: FieldPath, problems: Problems, workload: Workload | None
) -> str | None:
    pod = read_str(event, "pod", path, problems)
    if pod is None or workload is None:
        return pod
    if workload.kind == "Pod":
        if pod != workload.name:
            problems.invalid(
                path.child("pod"), pod, f"must be {format_value(workload.name)}, the only pod"
            )
            return None
        return pod
    if workload.kind == "StatefulSet":
        if not re.fullmatch(re.escape(workload.name) + r"-(0|[1-9][0-9]*)", pod):
            problems.invalid(
                path.child("pod"),
                pod,
                f"must name a pod of StatefulSet {format_value(workload.name)}: "
                f"{workload.name}-0, {workload.name}-1, ... by ordinal",
            )
            return None
        return pod
    if not re.fullmatch(re.escape(workload.name) + r"-[1-9][0-9]*", pod):
        problems.invalid(
            path.child("pod"),
            pod,
            f"must name a pod of {workload.kind} {format_value(workload.name)}: "
            f"{workload.name}-1, {workload.name}-2, ... in creation order",
        )
        return None
    return pod


def _dependency(
    event: Mapping[str, Any], path: FieldPath, problems: Problems, dependencies: Collection[str]
) -> str | None:
    name = read_str(event, "dependency", path, problems)
    if name is not None and name not in dependencies:
        problems.unsupported(path.child("dependency"), name, dependencies)
        return None
    return name


def _container(
    event: Mapping[str, Any], path: FieldPath, problems: Problems, workload: Workload | None
) -> str | None:
    container = read_str(event, "container", path, problems)
    if container is None or workload is None:
        return container
    # App faults hit the program of an app container; init containers have their own behavior.
    names = [spec.name for spec in workload.template.containers]
    if container not in names:
        problems.unsupported(path.child("container"), container, names)
        return None
    return container
