"""The scenario's own sections: cluster, service, traffic and behavior.

Each parser starts from a ``base`` and changes only the fields given, so the same code reads the
scenario's sections (base: the defaults) and a variant's partial overrides (base: the scenario's
resolved sections).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from typing import Any, cast

from simulator.scenario.field_readers import (
    check_dns_subdomain,
    read_bool,
    read_choice,
    read_duration,
    read_int,
    read_list,
    read_mapping,
    read_number,
)
from simulator.scenario.manifests.service import (
    SERVICE_MANIFEST_FIELDS,
    parse_selector,
    parse_target_port,
)
from simulator.scenario.spec.serving import parse_memory, parse_serving
from simulator.scenario.types import (
    Behavior,
    ClusterSpec,
    ContainerBehavior,
    CrashLoopBackOff,
    ProxyMode,
    ServiceSpec,
    TrafficSpec,
)
from simulator.scenario.validation import FieldPath, Problems

MAX_NODES = 50  # simulator limit
MAX_REQUESTS_PER_SECOND = 10_000  # simulator limit
PROXY_MODES = ("iptables", "nftables", "ipvs")
ALL_CONTAINERS = "*"

CLUSTER_FIELDS = (
    "nodes",
    "nodeMonitorGracePeriod",
    "tolerationSeconds",
    "endpointPropagation",
    "crashLoopBackOff",
)
SERVICE_FIELDS = ("proxyMode", "publishNotReadyAddresses", *SERVICE_MANIFEST_FIELDS)
TRAFFIC_FIELDS = ("requestsPerSecond", "clientTimeoutSeconds")
BEHAVIOR_FIELDS = ("imagePullSeconds", "containers")
CONTAINER_BEHAVIOR_FIELDS = (
    "bootSeconds",
    "hangAfterSeconds",
    "exitAfterSeconds",
    "exitCode",
    "handlesSigterm",
    "imagePullFails",
    "commandSeconds",
    "serving",
    "memory",
)
# Where an exec command is declared in a container: its probes and its preStop hook.
COMMAND_PLACES = ("readinessProbe", "livenessProbe", "startupProbe", "preStop")
_BACKOFF_FIELDS = ("initial", "max", "reset")


def parse_cluster(raw: Any, path: FieldPath, problems: Problems, base: ClusterSpec) -> ClusterSpec:
    cluster = _section(raw, path, problems, CLUSTER_FIELDS)
    changes: dict[str, Any] = {}
    if cluster.get("nodes") is not None:
        nodes = _nodes(cluster["nodes"], path.child("nodes"), problems)
        if nodes:
            changes["nodes"] = nodes
    for name, attribute, positive in (
        ("nodeMonitorGracePeriod", "node_monitor_grace_period", True),
        ("tolerationSeconds", "toleration_seconds", False),
        ("endpointPropagation", "endpoint_propagation", False),
    ):
        seconds = read_duration(cluster, name, path, problems, default=None, positive=positive)
        if seconds is not None:
            changes[attribute] = seconds
    if cluster.get("crashLoopBackOff") is not None:
        changes["crash_loop_backoff"] = _crash_loop_backoff(
            cluster["crashLoopBackOff"],
            path.child("crashLoopBackOff"),
            problems,
            base.crash_loop_backoff,
        )
    return replace(base, **changes)


def _nodes(raw: Any, path: FieldPath, problems: Problems) -> tuple[str, ...]:
    """A count (names node1..nodeN) or a list of distinct node names."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        if raw < 1:
            problems.invalid(path, raw, "must be greater than or equal to 1")
            return ()
        if raw > MAX_NODES:
            problems.invalid(
                path, raw, f"must be less than or equal to {MAX_NODES} (simulator limit)"
            )
            return ()
        return tuple(f"node{number}" for number in range(1, raw + 1))
    if not isinstance(raw, list):
        problems.invalid(path, raw, "must be a number of nodes or a list of node names")
        return ()
    names = read_list(raw, path, problems)
    if not names:
        problems.required(path)
        return ()
    if len(names) > MAX_NODES:
        problems.too_many(path, len(names), MAX_NODES)
        return ()
    valid: list[str] = []
    for index, name in enumerate(names):
        item_path = path.index(index)
        if not isinstance(name, str):
            problems.invalid(item_path, name, "must be a string")
        elif check_dns_subdomain(name, item_path, problems):
            if name in valid:
                problems.duplicate(item_path, name)
            valid.append(name)
    return tuple(valid) if len(valid) == len(names) else ()


def _crash_loop_backoff(
    raw: Any, path: FieldPath, problems: Problems, base: CrashLoopBackOff
) -> CrashLoopBackOff:
    backoff = _section(raw, path, problems, _BACKOFF_FIELDS)
    changes = {
        name: seconds
        for name in _BACKOFF_FIELDS
        if (seconds := read_duration(backoff, name, path, problems, default=None, positive=True))
        is not None
    }
    # A max below initial is valid: the kubelet then waits max from the first restart on
    # (KubeletCrashLoopBackOffMax; docs/kubernetes-model.md §3.1).
    return replace(base, **changes)


def parse_service(raw: Any, path: FieldPath, problems: Problems, base: ServiceSpec) -> ServiceSpec:
    service = _section(raw, path, problems, SERVICE_FIELDS)
    return replace(
        base,
        proxy_mode=cast(
            ProxyMode,
            read_choice(
                service, "proxyMode", path, problems, supported=PROXY_MODES, default=base.proxy_mode
            ),
        ),
        publish_not_ready_addresses=read_bool(
            service,
            "publishNotReadyAddresses",
            path,
            problems,
            default=base.publish_not_ready_addresses,
        ),
        selector=base.selector
        if service.get("selector") is None
        else parse_selector(service, path, problems),
        target_port=base.target_port
        if service.get("ports") is None
        else parse_target_port(service, path, problems),
    )


def parse_traffic(raw: Any, path: FieldPath, problems: Problems, base: TrafficSpec) -> TrafficSpec:
    traffic = _section(raw, path, problems, TRAFFIC_FIELDS)
    rate = read_requests_per_second(traffic, path, problems, default=base.requests_per_second)
    timeout = base.client_timeout_seconds
    if "clientTimeoutSeconds" in traffic:
        # null is meaningful: clients that wait (and, in a variant, it overrides the scenario's).
        timeout = read_duration(
            traffic, "clientTimeoutSeconds", path, problems, default=None, positive=True
        )
    return replace(base, requests_per_second=rate, client_timeout_seconds=timeout)


def read_requests_per_second[D: (float | None)](
    parent: Mapping[str, Any],
    path: FieldPath,
    problems: Problems,
    *,
    default: D,
    required: bool = False,
) -> float | D:
    return read_number(
        parent,
        "requestsPerSecond",
        path,
        problems,
        default=default,
        minimum=0,
        limit=MAX_REQUESTS_PER_SECOND,
        required=required,
    )


def parse_behavior(
    raw: Any,
    path: FieldPath,
    problems: Problems,
    base: Behavior,
    container_names: Collection[str] | None,
) -> Behavior:
    """Behaviour of the programs; named entries start from the ``"*"`` entry.

    ``container_names`` are the workload's containers (None when unknown: names go unchecked).
    """
    behavior = _section(raw, path, problems, BEHAVIOR_FIELDS)
    image_pull = read_duration(
        behavior, "imagePullSeconds", path, problems, default=base.image_pull_seconds
    )
    containers = dict(base.containers)
    if behavior.get("containers") is not None:
        containers_path = path.child("containers")
        entries = read_mapping(behavior["containers"], containers_path, problems) or {}
        # "*" first: named entries, given here or inherited, build on it.
        ordered = sorted(entries.items(), key=lambda item: item[0] != ALL_CONTAINERS)
        for name, entry in ordered:
            entry_path = containers_path.key(str(name))
            known = container_names is None or name in container_names
            if name != ALL_CONTAINERS and not known:
                problems.unsupported(entry_path, name, [ALL_CONTAINERS, *(container_names or ())])
                continue
            changes = _container_behavior_changes(entry, entry_path, problems)
            if name == ALL_CONTAINERS:
                # "*" changes every container's behaviour, named ones included.
                containers = {key: replace(value, **changes) for key, value in containers.items()}
                containers.setdefault(ALL_CONTAINERS, ContainerBehavior(**changes))
            else:
                entry_base = containers.get(name) or containers.get(ALL_CONTAINERS)
                containers[name] = replace(entry_base or ContainerBehavior(), **changes)
    return replace(base, image_pull_seconds=image_pull, containers=containers)


def _container_behavior_changes(raw: Any, path: FieldPath, problems: Problems) -> dict[str, Any]:
    """The ``ContainerBehavior`` fields an entry sets, by attribute name."""
    entry = _section(raw, path, problems, CONTAINER_BEHAVIOR_FIELDS)
    changes: dict[str, Any] = {}
    boot = read_duration(entry, "bootSeconds", path, problems, default=None)
    if boot is not None:
        changes["boot_seconds"] = boot
    # null is meaningful here: "never" (and, in a variant, it overrides the scenario's value).
    for name, attribute in (
        ("hangAfterSeconds", "hang_after_seconds"),
        ("exitAfterSeconds", "exit_after_seconds"),
    ):
        if name in entry:
            changes[attribute] = read_duration(entry, name, path, problems, default=None)
    exit_code = read_int(entry, "exitCode", path, problems, default=None, minimum=0, maximum=255)
    if exit_code is not None:
        changes["exit_code"] = exit_code
    for name, attribute in (
        ("handlesSigterm", "handles_sigterm"),
        ("imagePullFails", "image_pull_fails"),
    ):
        if entry.get(name) is not None:
            changes[attribute] = read_bool(entry, name, path, problems, default=False)
    if entry.get("commandSeconds") is not None:
        changes["command_seconds"] = _command_seconds(entry["commandSeconds"], path, problems)
    # null removes the model (a variant without it).
    if "serving" in entry:
        raw = entry["serving"]
        changes["serving"] = (
            None if raw is None else parse_serving(raw, path.child("serving"), problems)
        )
    if "memory" in entry:
        raw = entry["memory"]
        changes["memory"] = (
            None if raw is None else parse_memory(raw, path.child("memory"), problems)
        )
    return changes


def _command_seconds(raw: Any, path: FieldPath, problems: Problems) -> dict[str, float]:
    """``commandSeconds``: how long each exec command of the container runs, by where it is
    declared (a probe or the preStop hook)."""
    commands_path = path.child("commandSeconds")
    commands = read_mapping(raw, commands_path, problems, known=COMMAND_PLACES) or {}
    seconds = {}
    for place in COMMAND_PLACES:
        value = read_duration(commands, place, commands_path, problems, default=None)
        if value is not None:
            seconds[place] = value
    return seconds


def _section(
    raw: Any, path: FieldPath, problems: Problems, known: tuple[str, ...]
) -> Mapping[str, Any]:
    if raw is None:
        return {}
    return read_mapping(raw, path, problems, known=known) or {}
