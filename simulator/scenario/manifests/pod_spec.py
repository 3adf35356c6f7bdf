"""A pod spec from a real manifest: containers, probes, preStop hooks, restart policy, grace period.

Fields the simulator does not model (resource requests, env, volumeMounts, securityContext, ...) are
ignored, as a real manifest carries many; the fields it uses are validated like the API server
does (k8s ``pkg/apis/core/validation/validation.go`` (ValidatePodSpec, validateContainers,
validateInitContainers, validateLifecycle)).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from simulator.scenario.field_readers import (
    check_dns_label,
    list_of_mappings,
    read_choice,
    read_int,
    read_list,
    read_mapping,
    read_str,
)
from simulator.scenario.manifests.probes import (
    PROBE_ATTRIBUTES,
    PROBE_KINDS,
    parse_command,
    parse_probe,
)
from simulator.scenario.manifests.resources import memory_limit_mib
from simulator.scenario.types import ContainerSpec, PodTemplate, Toleration
from simulator.scenario.validation import FieldPath, Problems

MAX_CONTAINERS = 10  # per list (containers, initContainers): simulator limit
DEFAULT_GRACE_PERIOD = 30  # k8s SetDefaults_PodSpec (DefaultTerminationGracePeriodSeconds)

_PRE_STOP_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")
# An exec preStop that sleeps: ["sleep", "5"], ["/bin/sh", "-c", "sleep 5 && ..."]
_SHELLS = ("sh", "bash", "ash", "dash")
# Every ``sleep N`` command of a shell script: at its start or after ; & | or a newline.
_SLEEP_SCRIPT = re.compile(
    r"(?:^|[;&|\n])\s*(?:exec\s+)?(?:/bin/|/usr/bin/)?sleep\s+(\d+(?:\.\d+)?)s?(?=\s*(?:$|[;&|\n]))"
)


def parse_pod_spec(
    raw: Any,
    path: FieldPath,
    problems: Problems,
    *,
    labels: Mapping[str, str],
    allowed_restart_policies: tuple[str, ...],
    default_restart_policy: str | None,
) -> PodTemplate | None:
    """The pod template; ``allowed_restart_policies`` is the workload kind's rule."""
    spec = read_mapping(raw, path, problems)
    if spec is None:
        return None
    before = len(problems.found)
    grace = read_int(
        spec,
        "terminationGracePeriodSeconds",
        path,
        problems,
        default=DEFAULT_GRACE_PERIOD,
        minimum=0,
    )
    restart_policy = read_choice(
        spec,
        "restartPolicy",
        path,
        problems,
        supported=allowed_restart_policies,
        default=default_restart_policy,
        required=default_restart_policy is None,
    )
    names: set[str] = set()
    containers = _containers(spec, "containers", path, problems, grace, names)
    init_containers = _containers(spec, "initContainers", path, problems, grace, names)
    if not spec.get("containers"):
        problems.required(path.child("containers"))
    node_name = read_str(spec, "nodeName", path, problems)
    tolerations = _tolerations(spec, path, problems)
    readiness_gates = _readiness_gates(spec, path, problems)
    if len(problems.found) > before:
        return None
    return PodTemplate(
        containers=containers,
        init_containers=init_containers,
        restart_policy=restart_policy,  # type: ignore[arg-type]
        termination_grace_period_seconds=grace,
        node_name=node_name,
        labels=dict(labels),
        tolerations=tolerations,
        readiness_gates=readiness_gates,
    )


def _readiness_gates(
    spec: Mapping[str, Any], path: FieldPath, problems: Problems
) -> tuple[str, ...]:
    """``readinessGates[].conditionType`` (required, validation.go validateReadinessGates)."""
    gates = []
    for gate, item_path in list_of_mappings(spec, "readinessGates", path, problems):
        condition_type = read_str(gate, "conditionType", item_path, problems, required=True)
        if condition_type is not None:
            gates.append(condition_type)
    return tuple(gates)


_TOLERATION_OPERATORS = ("Exists", "Equal")
_TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def _tolerations(
    spec: Mapping[str, Any], path: FieldPath, problems: Problems
) -> tuple[Toleration, ...]:
    """``tolerations`` with the API server's checks (validation.go ValidateTolerations)."""
    parsed = []
    for entry, item_path in list_of_mappings(spec, "tolerations", path, problems):
        key = read_str(entry, "key", item_path, problems) or ""
        operator = read_choice(
            entry,
            "operator",
            item_path,
            problems,
            supported=_TOLERATION_OPERATORS,
            default="Equal",
        )
        value = read_str(entry, "value", item_path, problems) or ""
        effect = read_choice(
            entry, "effect", item_path, problems, supported=_TAINT_EFFECTS, default=""
        )
        seconds = read_int(entry, "tolerationSeconds", item_path, problems, default=None)
        if not key and operator != "Exists":
            problems.invalid(
                item_path.child("operator"),
                operator,
                'operator must be Exists when `key` is empty, which means "match all values and '
                'all keys"',
            )
        if operator == "Exists" and value:
            problems.invalid(
                item_path.child("operator"),
                value,
                "value must be empty when `operator` is 'Exists'",
            )
        if seconds is not None and effect != "NoExecute":
            problems.invalid(
                item_path.child("effect"),
                effect,
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            )
        parsed.append(
            Toleration(
                key=key,
                operator=operator,  # type: ignore[arg-type]
                value=value,
                effect=effect or "",
                toleration_seconds=None if seconds is None else float(seconds),
            )
        )
    return tuple(parsed)


def _containers(
    spec: Mapping[str, Any],
    list_name: str,
    path: FieldPath,
    problems: Problems,
    grace: int,
    names: set[str],
) -> tuple[ContainerSpec, ...]:
    raw_list = spec.get(list_name)
    if raw_list is None:
        return ()
    list_path = path.child(list_name)
    items = read_list(raw_list, list_path, problems)
    if len(items) > MAX_CONTAINERS:
        problems.too_many(list_path, len(items), MAX_CONTAINERS)
        return ()
    parsed = []
    for index, raw in enumerate(items):
        container = _container(raw, list_path.index(index), problems, grace, names, list_name)
        if container is not None:
            parsed.append(container)
    return tuple(parsed)


def _container(
    raw: Any,
    path: FieldPath,
    problems: Problems,
    grace: int,
    names: set[str],
    list_name: str,
) -> ContainerSpec | None:
    container = read_mapping(raw, path, problems)
    if container is None:
        return None
    name = read_str(container, "name", path, problems, required=True)
    if name is not None and check_dns_label(name, path.child("name"), problems):
        if name in names:
            problems.duplicate(path.child("name"), name)
        names.add(name)
    image = read_str(container, "image", path, problems, required=True)
    restart_policy = _container_restart_policy(container, path, problems, list_name)
    probes = _probes(
        container,
        path,
        problems,
        is_init=list_name == "initContainers" and restart_policy is None,
    )
    pre_stop = _pre_stop_seconds(container, path, problems, grace)
    named_ports = _named_ports(container, path, problems)
    memory_limit = memory_limit_mib(container, path, problems)
    if name is None or image is None:
        return None
    return ContainerSpec(
        name=name,
        image=image,
        pre_stop_seconds=pre_stop,
        named_ports=named_ports,
        restart_policy=restart_policy,
        memory_limit_mib=memory_limit,
        **probes,
    )


def _container_restart_policy(
    container: Mapping[str, Any], path: FieldPath, problems: Problems, list_name: str
) -> str | None:
    """A container's ``restartPolicy``: only ``Always``, and only on an init container, which
    makes it a sidecar (k/k pkg/apis/core/validation/validation.go, validateInitContainers and
    validateContainers; docs/kubernetes-model.md §1.9)."""
    raw = container.get("restartPolicy")
    if raw is None:
        return None
    field_path = path.child("restartPolicy")
    if list_name != "initContainers":
        problems.forbidden(field_path, "may not be set for non-init containers")
        return None
    if raw != "Always":
        problems.unsupported(field_path, raw, ("Always",))
        return None
    return "Always"


def _named_ports(
    container: Mapping[str, Any], path: FieldPath, problems: Problems
) -> dict[str, int]:
    """``ports[].name`` → ``containerPort``, with the API server's checks (validateContainerPorts:
    containerPort 1–65535, names unique within the container)."""
    named: dict[str, int] = {}
    for port, item_path in list_of_mappings(container, "ports", path, problems):
        number = read_int(
            port,
            "containerPort",
            item_path,
            problems,
            default=None,
            minimum=1,
            maximum=65535,
            required=True,
        )
        name = read_str(port, "name", item_path, problems)
        if name is None or number is None:
            continue
        if name in named:
            problems.duplicate(item_path.child("name"), name)
            continue
        named[name] = number
    return named


def _probes(
    container: Mapping[str, Any], path: FieldPath, problems: Problems, *, is_init: bool
) -> dict[str, Any]:
    probes: dict[str, Any] = {}
    for kind in PROBE_KINDS:
        raw = container.get(kind)
        if raw is None:
            continue
        if is_init:
            # validateInitContainers: probes belong to sidecars only.
            problems.forbidden(
                path.child(kind), "may not be set for init containers without restartPolicy=Always"
            )
            continue
        probes[PROBE_ATTRIBUTES[kind]] = parse_probe(raw, path.child(kind), problems, kind)
    return probes


def _pre_stop_seconds(
    container: Mapping[str, Any], path: FieldPath, problems: Problems, grace: int
) -> float | None:
    """How long the preStop hook takes: a sleep action, an exec of ``sleep N``, else no time."""
    lifecycle = container.get("lifecycle")
    if lifecycle is None:
        return None
    lifecycle_path = path.child("lifecycle")
    lifecycle = read_mapping(lifecycle, lifecycle_path, problems)
    if lifecycle is None or lifecycle.get("preStop") is None:
        return None
    hook_path = lifecycle_path.child("preStop")
    hook = read_mapping(lifecycle["preStop"], hook_path, problems)
    if hook is None:
        return None
    given = [name for name in _PRE_STOP_HANDLERS if hook.get(name) is not None]
    if not given:
        problems.required(hook_path, "must specify a handler type")
        return None
    for extra in given[1:]:
        problems.forbidden(hook_path.child(extra), "may not specify more than 1 handler type")
    action = read_mapping(hook[given[0]], hook_path.child(given[0]), problems)
    if action is None:
        return None
    if given[0] == "sleep":
        return _sleep_action(action, hook_path.child("sleep"), problems, grace)
    if given[0] == "exec":
        command = parse_command(action, hook_path.child("exec"), problems)
        return exec_sleep_seconds(command)
    return 0.0


def _sleep_action(
    action: Mapping[str, Any], path: FieldPath, problems: Problems, grace: int
) -> float | None:
    # validateSleepAction, with PodLifecycleSleepActionAllowZero (beta, on by default since 1.33).
    seconds = read_int(action, "seconds", path, problems, default=None, required=True)
    if seconds is None:
        return None
    if not 0 <= seconds <= grace:
        problems.invalid(
            path.child("seconds"),
            seconds,
            f"must be non-negative and less than terminationGracePeriodSeconds ({grace})",
        )
        return None
    return float(seconds)


def exec_sleep_seconds(command: tuple[str, ...]) -> float:
    """Seconds an exec hook sleeps: ``sleep N`` directly, or the sum of a shell script's
    ``sleep N`` commands (other commands count as instant; ``behavior.containers.<name>.
    commandSeconds.preStop`` gives the real time when it differs)."""
    if not command:
        return 0.0
    program = command[0].rsplit("/", 1)[-1]
    if program == "sleep" and len(command) == 2:
        return _sleep_argument(command[1])
    if program in _SHELLS and len(command) >= 3 and command[1] == "-c":
        return sum(float(seconds) for seconds in _SLEEP_SCRIPT.findall(command[2]))
    return 0.0


def _sleep_argument(argument: str) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)s?", argument.strip())
    return float(match.group(1)) if match else 0.0
