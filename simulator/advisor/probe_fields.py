"""Probes as written in a manifest (plain dicts): their timings, handlers, and changes to them.

Defaults are Kubernetes' (docs/kubernetes-model.md §0; k/k pkg/apis/core/v1/defaults.go
SetDefaults_Probe): periodSeconds 10, timeoutSeconds 1, successThreshold 1, failureThreshold 3,
initialDelaySeconds 0.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PROBE_TYPES = ("readinessProbe", "livenessProbe", "startupProbe")
HANDLERS = ("httpGet", "tcpSocket", "exec", "grpc")
# Handlers that see an app answering HTTP 500 (a tcpSocket check still passes: §2.1).
HANDLERS_THAT_SEE_A_HANG = ("httpGet", "exec", "grpc")
DEFAULT_PORT = 8080


@dataclass(frozen=True)
class ProbeTiming:
    """The fields that decide when a probe acts, seconds unless said."""

    initial_delay: float
    period: float
    timeout: float
    success_threshold: int
    failure_threshold: int

    @property
    def patience(self) -> float:
        """Seconds from a container's start until failures from the first attempt reach the
        threshold: ``initialDelaySeconds + (failureThreshold − 1) × periodSeconds``, the earliest
        kill of docs/kubernetes-model.md §2.4 (the latest is one period later)."""
        return self.initial_delay + (self.failure_threshold - 1) * self.period


def timing(probe: Mapping[str, Any]) -> ProbeTiming:
    """The probe's timing with Kubernetes' defaults filled in."""
    return ProbeTiming(
        initial_delay=float(probe.get("initialDelaySeconds", 0) or 0),
        period=float(probe.get("periodSeconds", 10) or 10),
        timeout=float(probe.get("timeoutSeconds", 1) or 1),
        success_threshold=int(probe.get("successThreshold", 1) or 1),
        failure_threshold=int(probe.get("failureThreshold", 3) or 3),
    )


def handler_type(probe: Mapping[str, Any]) -> str | None:
    return next((name for name in HANDLERS if isinstance(probe.get(name), dict)), None)


def handler_key(probe: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """What the probe checks: equal keys mean two probes ask the app the same question."""
    kind = handler_type(probe)
    if kind is None:
        return None
    handler = probe[kind]
    if kind == "httpGet":
        return (kind, handler.get("path", "/"), handler.get("port"))
    if kind == "exec":
        return (kind, tuple(handler.get("command") or ()))
    if kind == "grpc":
        return (kind, handler.get("port"), handler.get("service"))
    return (kind, handler.get("port"))


def describe_handler(probe: Mapping[str, Any]) -> str:
    """``httpGet /ready :8080``, ``tcpSocket :80``, ``exec cat /tmp/ok``, ``grpc :9000``."""
    kind = handler_type(probe)
    if kind is None:
        return "?"
    handler = probe[kind]
    if kind == "httpGet":
        return f"httpGet {handler.get('path', '/')} :{handler.get('port')}"
    if kind == "exec":
        return "exec " + " ".join(str(part) for part in handler.get("command") or ())
    return f"{kind} :{handler.get('port')}"


def pod_spec(workload: Mapping[str, Any]) -> dict[str, Any]:
    """The pod spec of a workload manifest: a Pod's own ``spec``, else its pod template's (the
    dict itself, to edit; an empty dict when the manifest has none)."""
    spec = _mapping(workload.get("spec"))
    if workload.get("kind") != "Pod":
        spec = _mapping(_mapping(spec.get("template")).get("spec"))
    return spec


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def containers(workload: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The app containers of the workload's pod template (the dicts themselves, to edit)."""
    listed = pod_spec(workload).get("containers")
    return [item for item in listed if isinstance(item, dict)] if isinstance(listed, list) else []


def container_port(container: Mapping[str, Any]) -> int | str:
    """A port the app listens on: a probe's, else the first ``containerPort``, else 8080."""
    for probe_type in PROBE_TYPES:
        probe = container.get(probe_type)
        if isinstance(probe, dict):
            kind = handler_type(probe)
            port = probe[kind].get("port") if kind and kind != "exec" else None
            if port is not None:
                return port
    for port in container.get("ports") or ():
        if isinstance(port, dict) and port.get("containerPort") is not None:
            return port["containerPort"]
    return DEFAULT_PORT


def probe(container: Mapping[str, Any], probe_type: str) -> dict[str, Any] | None:
    found = container.get(probe_type)
    return found if isinstance(found, dict) else None


# A change to one container's probes: {probe type: new probe dict, or None to remove it}.
ProbeChange = Mapping[str, dict[str, Any] | None]


def with_probe_change(
    workload: Mapping[str, Any], container_name: str, change: ProbeChange
) -> dict[str, Any]:
    """A copy of the workload whose container ``container_name`` has ``change`` applied."""
    changed = copy.deepcopy(dict(workload))
    for container in containers(changed):
        if container.get("name") == container_name:
            for probe_type, new in change.items():
                if new is None:
                    container.pop(probe_type, None)
                else:
                    container[probe_type] = copy.deepcopy(new)
    return changed


def process_check(container: Mapping[str, Any], like: Mapping[str, Any]) -> dict[str, Any]:
    """``like`` with its handler replaced by a check of the process alone: a tcpSocket on the
    app's port, which a live process passes whatever its dependencies do."""
    checked = {key: value for key, value in like.items() if key not in HANDLERS}
    return {"tcpSocket": {"port": container_port(container)}, **checked}
