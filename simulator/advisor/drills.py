"""The standard drills: one workload, one fault, a real engine run, and what it cost.

| drill              | what happens at the fault time T                                       |
|--------------------|------------------------------------------------------------------------|
| node-failure       | the node of the first pod goes down (NodeDown) and stays down          |
| app-hang           | the first pod's app answers HTTP 500, process alive (AppHang)          |
| app-crash          | the first pod's app exits with code 1 (AppCrash)                       |
| slow-boot          | every instance boots ``slowBootFactor`` times slower, from the start   |
| rolling-update     | ``kubectl rollout restart`` (Deployments and StatefulSets)             |
| dependency-outage  | a shared dependency is down for ``outageSeconds``: every app answers   |
|                    | 500 to requests and to the probes that check it                        |

How the dependency outage is modelled: requests and readiness checks need the dependency. A
liveness or startup probe that asks the same question as the readiness probe (same handler) is
taken to check the dependency too; one that asks something else (another path, a TCP check) is
taken to check the process only, and runs as a tcpSocket check, which a live process passes.
The outage is an AppHang on every pod, repeated more often than the app boots so that a restarted
app is hung as soon as it has booted, then an AppRecover when the dependency returns.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from simulator.advisor import probe_fields
from simulator.advisor.assumptions import Assumptions
from simulator.engine.simulation import run_scenario
from simulator.results.recovery import recovery_after
from simulator.runs.figures import detection_seconds, restarts_after
from simulator.scenario.loader import load_scenario
from simulator.scenario.manifests.assumed_behavior import container_behaviors

NODE_FAILURE = "node-failure"
APP_HANG = "app-hang"
APP_CRASH = "app-crash"
SLOW_BOOT = "slow-boot"
ROLLING_UPDATE = "rolling-update"
DEPENDENCY_OUTAGE = "dependency-outage"
DRILLS = (NODE_FAILURE, APP_HANG, APP_CRASH, SLOW_BOOT, ROLLING_UPDATE, DEPENDENCY_OUTAGE)
# Drills with no faulted pod, so no detection time.
DRILLS_WITHOUT_DETECTION = (SLOW_BOOT, ROLLING_UPDATE)
DRILLS_BY_KIND = {
    "Deployment": DRILLS,
    "StatefulSet": DRILLS,
    "Pod": (NODE_FAILURE, APP_HANG, APP_CRASH, SLOW_BOOT, DEPENDENCY_OUTAGE),
    "Job": (NODE_FAILURE, APP_HANG, APP_CRASH, SLOW_BOOT),
}

NODES = ("node1", "node2", "node3")
IMAGE_PULL_SECONDS = 2.0
# Seconds watched after the fault: room for the node-monitor grace period (50 s), three
# failed probes at long periods, and a crash-loop backoff or two.
AFTER_FAULT_SECONDS = 180
SETTLE_MARGIN_SECONDS = 10
MIN_FAULT_AT = 30
# A Job's pods keep working through the drill (their end is not what is drilled).
JOB_WORK_SECONDS = 7000
# The engine takes at most 500 events per scenario (simulator limit).
MAX_OUTAGE_EVENTS = 500
_LIVENESS_KILL = re.compile(r"Container (?P<container>\S+) failed liveness probe")


@dataclass(frozen=True)
class DrillResult:
    """What one drill cost, counted from its fault time (``measuredFrom``) to the run's end.

    ``detection_seconds``: from the fault until Kubernetes first acted on a faulted pod (took it
    out of the Service's endpoints, or killed its container), None if it never did or the drill
    has no faulted pod. ``recovery_seconds``: from the cause's end (the fault, or the
    dependency's return) until errors stopped for good (``simulator.results.recovery``), None if
    they never did. ``restarts``: container restarts after the fault.
    """

    workload: str
    name: str
    requests: int
    errors: int
    errors_by_cause: dict[str, int]
    detection_seconds: float | None
    recovery_seconds: float | None
    restarts: int
    measured_from: float
    duration: float
    liveness_kills: dict[str, int]
    crash_loop: bool
    # Endpoints the Service routed to in the run's last second, and before the fault.
    endpoints_at_end: int
    endpoints_before: int

    def as_dict(self) -> dict[str, Any]:
        """The ``drills`` entry of ``check --json``."""
        return {
            "workload": self.workload,
            "name": self.name,
            "requests": self.requests,
            "errors": self.errors,
            "errorsByCause": dict(self.errors_by_cause),
            "detectionSeconds": self.detection_seconds,
            "recoverySeconds": self.recovery_seconds,
            "restarts": self.restarts,
        }

    def numbers(self) -> dict[str, Any]:
        """The figures findings quote as evidence."""
        return {
            "requests": self.requests,
            "errors": self.errors,
            "detectionSeconds": self.detection_seconds,
            "recoverySeconds": self.recovery_seconds,
            "restarts": self.restarts,
            "endpointsAtEnd": self.endpoints_at_end,
        }


@dataclass(frozen=True)
class _Plan:
    events: list[dict[str, Any]]
    duration: float
    fault_at: float
    recover_from: float
    targets: tuple[str, ...]
    boot_seconds: float
    workload: dict[str, Any]


def drill_names(kind: str) -> tuple[str, ...]:
    """The drills that apply to a workload kind."""
    return DRILLS_BY_KIND.get(kind, ())


def drill_scenario(
    workload: Mapping[str, Any],
    drill: str,
    assumptions: Assumptions,
    service: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The scenario document (podviz/v1 Scenario, a dict) of one drill on ``workload``.

    ``service``: the scenario's ``spec.service`` taken from the Service that selects the workload
    (``simulator.scenario.manifests.service.scenario_service``); None: a Service that selects
    the workload's pods is assumed."""
    plan = _plan(workload, drill, assumptions)
    return _document(workload, drill, plan, assumptions, service)


def run_drill(
    label: str,
    workload: Mapping[str, Any],
    drill: str,
    assumptions: Assumptions,
    service: Mapping[str, Any] | None = None,
    failing_probes: Mapping[str, Mapping[str, float]] | None = None,
) -> DrillResult:
    """Runs ``drill`` on ``workload`` (a manifest dict) in the engine and measures it.

    ``label`` names the workload in the result (``Deployment/web``); ``service`` as in
    ``drill_scenario``; ``failing_probes``: by container name, exec probes (by type) whose
    command fails every attempt, each with its ``timeoutSeconds`` (the engine runs no command:
    the command is made to outlast the timeout, which fails the attempt as a failing command
    does). Raises ``simulator.scenario.validation.ScenarioError`` when the engine refuses the
    workload; its problems' paths start at ``spec.workload``.
    """
    plan = _plan(workload, drill, assumptions)
    document = _document(workload, drill, plan, assumptions, service)
    containers = document["spec"]["behavior"]["containers"]
    for name, probes in (failing_probes or {}).items():
        seconds = {probe_type: timeout + 1 for probe_type, timeout in probes.items()}
        containers[name] = {**containers.get(name, {}), "commandSeconds": seconds}
    results = run_scenario(load_scenario(document))
    return _measure(label, drill, plan, results["variants"][0])


def _pod_names(workload: Mapping[str, Any]) -> tuple[str, ...]:
    """The names of the first pods (scenario-format.md: ``<workload>-<k>``, a StatefulSet's
    ``<workload>-<ordinal>`` from 0, a Pod its own)."""
    name = _name(workload)
    kind = workload.get("kind")
    if kind == "Pod":
        return (name,)
    spec = workload.get("spec")
    field = "parallelism" if kind == "Job" else "replicas"
    count = spec.get(field, 1) if isinstance(spec, dict) else 1
    count = count if isinstance(count, int) and count >= 1 else 1
    first = 0 if kind == "StatefulSet" else 1
    return tuple(f"{name}-{index}" for index in range(first, first + count))


def _name(workload: Mapping[str, Any]) -> str:
    metadata = workload.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    return name if isinstance(name, str) and name else "app"


def _pinned_node(workload: Mapping[str, Any]) -> str | None:
    node = probe_fields.pod_spec(workload).get("nodeName")
    return node if isinstance(node, str) and node else None


def _nodes(workload: Mapping[str, Any]) -> tuple[str, ...]:
    pinned = _pinned_node(workload)
    return NODES if pinned is None or pinned in NODES else (pinned, *NODES[1:])


def _settled_at(workload: Mapping[str, Any], boot_seconds: float) -> float:
    """When every first pod serves: pulled, booted and past its readiness probe's first pass."""
    readiness_wait = 0.0
    for container in probe_fields.containers(workload):
        for probe_type in ("startupProbe", "readinessProbe"):
            found = probe_fields.probe(container, probe_type)
            if found:
                timing = probe_fields.timing(found)
                readiness_wait += timing.initial_delay + timing.period * timing.success_threshold
    settle = IMAGE_PULL_SECONDS + boot_seconds + readiness_wait + SETTLE_MARGIN_SECONDS
    # A fault before the liveness probe's first attempt would drill a pod with no liveness at
    # all: the fault waits until every liveness probe runs (docs/kubernetes-model.md §2.2,
    # initialDelaySeconds).
    for container in probe_fields.containers(workload):
        liveness = probe_fields.probe(container, "livenessProbe")
        if liveness:
            timing = probe_fields.timing(liveness)
            first_attempt = IMAGE_PULL_SECONDS + timing.initial_delay + timing.period
            settle = max(settle, first_attempt + SETTLE_MARGIN_SECONDS)
    return float(max(MIN_FAULT_AT, math.ceil(settle)))


def _plan(workload: Mapping[str, Any], drill: str, assumptions: Assumptions) -> _Plan:
    boot = assumptions.boot_seconds
    fault_at = _settled_at(workload, boot)
    pods = _pod_names(workload)
    first = pods[0]
    end = fault_at + AFTER_FAULT_SECONDS
    if drill == NODE_FAILURE:
        event = {"at": fault_at, "action": "NodeDown", "node": _nodes(workload)[0]}
        return _Plan([event], end, fault_at, fault_at, (first,), boot, dict(workload))
    if drill == APP_HANG:
        event = {"at": fault_at, "action": "AppHang", "pod": first}
        return _Plan([event], end, fault_at, fault_at, (first,), boot, dict(workload))
    if drill == APP_CRASH:
        event = {"at": fault_at, "action": "AppCrash", "pod": first, "exitCode": 1}
        return _Plan([event], end, fault_at, fault_at, (first,), boot, dict(workload))
    if drill == ROLLING_UPDATE:
        event = {"at": fault_at, "action": "RolloutRestart"}
        return _Plan([event], end, fault_at, fault_at, (), boot, dict(workload))
    if drill == SLOW_BOOT:
        slow = assumptions.slow_boot_seconds
        duration = max(float(AFTER_FAULT_SECONDS), math.ceil(2 * slow) + AFTER_FAULT_SECONDS)
        return _Plan([], duration, 0.0, 0.0, (), slow, dict(workload))
    if drill == DEPENDENCY_OUTAGE:
        return _outage_plan(workload, assumptions, fault_at, pods)
    raise ValueError(f"unknown drill {drill!r}; drills: {', '.join(DRILLS)}")


def _outage_plan(
    workload: Mapping[str, Any], assumptions: Assumptions, fault_at: float, pods: Sequence[str]
) -> _Plan:
    back_at = fault_at + assumptions.outage_seconds
    # More often than the app boots, so a restarted app is hung as soon as it answers; less
    # often when that would exceed the scenario's event limit (many replicas).
    pulse = max(1.0, min(5.0, math.floor(assumptions.boot_seconds / 2)))
    most_pulses = max(1, MAX_OUTAGE_EVENTS // (len(pods) + 1) - 1)
    pulse = max(pulse, math.ceil(assumptions.outage_seconds / most_pulses))
    events = []
    at = fault_at
    while at < back_at:
        events += [{"at": at, "action": "AppHang", "pod": pod} for pod in pods]
        at += pulse
    events += [{"at": back_at, "action": "AppRecover", "pod": pod} for pod in pods]
    modelled = _dependency_model(workload)
    end = back_at + AFTER_FAULT_SECONDS
    return _Plan(events, end, fault_at, back_at, tuple(pods), assumptions.boot_seconds, modelled)


def _dependency_model(workload: Mapping[str, Any]) -> dict[str, Any]:
    """The workload with every liveness/startup probe that does not ask what readiness asks
    turned into a check of the process alone (see the module's docstring)."""
    modelled = dict(workload)
    for container in probe_fields.containers(workload):
        readiness = probe_fields.probe(container, "readinessProbe")
        readiness_key = probe_fields.handler_key(readiness) if readiness else None
        change = {}
        for probe_type in ("livenessProbe", "startupProbe"):
            found = probe_fields.probe(container, probe_type)
            if found and probe_fields.handler_key(found) != readiness_key:
                change[probe_type] = probe_fields.process_check(container, found)
        if change:
            modelled = probe_fields.with_probe_change(modelled, container["name"], change)
    return modelled


def _document(
    workload: Mapping[str, Any],
    drill: str,
    plan: _Plan,
    assumptions: Assumptions,
    service: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    nodes = _nodes(workload)
    work = JOB_WORK_SECONDS if workload.get("kind") == "Job" else None
    return {
        "apiVersion": "podviz/v1",
        "kind": "Scenario",
        "metadata": {"name": f"{drill}-{_slug(_name(workload))}"[:63].strip("-")},
        "spec": {
            "duration": plan.duration,
            "seed": assumptions.seed,
            "cluster": {"nodes": list(nodes)},
            **({"service": dict(service)} if service else {}),
            "traffic": {"requestsPerSecond": assumptions.requests_per_second},
            "workload": plan.workload,
            "behavior": {
                "imagePullSeconds": IMAGE_PULL_SECONDS,
                "containers": container_behaviors(
                    probe_fields.pod_spec(workload), plan.boot_seconds, work
                ),
            },
            "events": plan.events,
        },
    }


def _slug(name: str) -> str:
    return "".join(char if char.isalnum() else "-" for char in name.lower()).strip("-") or "app"


def _measure(label: str, drill: str, plan: _Plan, variant: Mapping[str, Any]) -> DrillResult:
    series = variant["series"]
    start = math.floor(plan.fault_at)
    by_cause = {cause: sum(values[start:]) for cause, values in series["errorsByCause"].items()}
    recovery = recovery_after(series["totalErrors"], plan.recover_from, plan.duration)
    events = [event for event in variant["events"] if event["time"] >= plan.fault_at]
    return DrillResult(
        workload=label,
        name=drill,
        requests=int(sum(series["totalRequests"][start:])),
        errors=int(sum(series["totalErrors"][start:])),
        errors_by_cause={cause: int(count) for cause, count in by_cause.items()},
        detection_seconds=_detection(variant, plan.fault_at, plan.targets),
        recovery_seconds=recovery,
        restarts=restarts_after(variant["pods"], plan.fault_at),
        measured_from=plan.fault_at,
        duration=plan.duration,
        liveness_kills=_liveness_kills(events),
        crash_loop=any(
            row["status"] == "CrashLoopBackOff" and row["time"] >= plan.fault_at
            for pod in variant["pods"]
            for row in pod["history"]
        ),
        endpoints_at_end=series["routedEndpoints"][-1],
        endpoints_before=series["routedEndpoints"][max(start - 1, 0)],
    )


def _detection(variant: Mapping[str, Any], fault_at: float, pods: Sequence[str]) -> float | None:
    """``detection_seconds``, where taking a pod out of the endpoints counts only for a pod that
    was in them just before the fault: one that never was (behind a Service that selects
    nothing, say) was not taken out by anything; its container's kill still counts."""
    series = variant["series"]
    before = max(math.floor(fault_at) - 1, 0)
    served = {
        pod: states
        for pod, states in series["podStates"].items()
        if pod in pods and states.get("inEndpoints", [])[before : before + 1] == [1]
    }
    return detection_seconds({**variant, "series": {**series, "podStates": served}}, fault_at, pods)


def _liveness_kills(events: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """Kills by a failed liveness probe, by container (the kubelet's Killing message names it:
    "Container app failed liveness probe, will be restarted")."""
    kills: dict[str, int] = {}
    for event in events:
        found = _LIVENESS_KILL.match(event["message"]) if event["reason"] == "Killing" else None
        if found:
            kills[found["container"]] = kills.get(found["container"], 0) + 1
    return kills
