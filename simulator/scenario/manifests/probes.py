"""Container probes and their handlers, parsed and validated as the API server does.

Defaults: k8s ``pkg/apis/core/v1/defaults.go`` (SetDefaults_Probe, SetDefaults_HTTPGetAction);
rules: k8s ``pkg/apis/core/validation/validation.go`` (validateProbe, validateHandler,
validateContainers); summary in docs/kubernetes-model.md §0.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from simulator.scenario.field_readers import read_int, read_list, read_mapping, read_str
from simulator.scenario.types import Probe
from simulator.scenario.validation import FieldPath, Problems

ProbeKind = Literal["readinessProbe", "livenessProbe", "startupProbe"]
PROBE_KINDS: tuple[ProbeKind, ...] = ("readinessProbe", "livenessProbe", "startupProbe")
# The ``ContainerSpec`` attribute of each kind.
PROBE_ATTRIBUTES = {
    "readinessProbe": "readiness_probe",
    "livenessProbe": "liveness_probe",
    "startupProbe": "startup_probe",
}
PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")

# A zero (or absent) value means "use the default" (SetDefaults_Probe).
_PROBE_DEFAULTS = {
    "periodSeconds": 10,
    "timeoutSeconds": 1,
    "successThreshold": 1,
    "failureThreshold": 3,
}
_HTTP_SCHEMES = ("HTTP", "HTTPS")
_IANA_SERVICE_NAME = re.compile(r"[-a-z0-9]+")


def parse_probe(raw: Any, path: FieldPath, problems: Problems, kind: ProbeKind) -> Probe | None:
    """The probe at ``path``, defaults applied; None if it is invalid."""
    probe = read_mapping(raw, path, problems)
    if probe is None:
        return None
    before = len(problems.found)
    handler = _parse_handler(probe, path, problems)
    timings = _parse_timings(probe, path, problems, kind)
    if handler is None or len(problems.found) > before:
        return None
    return Probe(**handler, **timings)


def _parse_handler(
    probe: Mapping[str, Any], path: FieldPath, problems: Problems
) -> dict[str, Any] | None:
    # validateHandler: exactly one handler; every one after the first is reported.
    given = [name for name in PROBE_HANDLERS if probe.get(name) is not None]
    if not given:
        problems.required(path, "must specify a handler type")
        return None
    for extra in given[1:]:
        problems.forbidden(path.child(extra), "may not specify more than 1 handler type")
    name = given[0]
    action = read_mapping(probe[name], path.child(name), problems)
    if action is None:
        return None
    return parse_action(name, action, path.child(name), problems)


def parse_action(
    name: str, action: Mapping[str, Any], path: FieldPath, problems: Problems
) -> dict[str, Any] | None:
    """The fields of a ``Probe`` for one handler (also used by lifecycle hooks)."""
    if name == "exec":
        command = parse_command(action, path, problems)
        return {"handler": "exec", "command": command} if command else None
    if name == "grpc":
        grpc_port = read_int(action, "port", path, problems, default=None, required=True)
        if grpc_port is not None and not 1 <= grpc_port <= 65535:
            problems.invalid(
                path.child("port"), grpc_port, "must be between 1 and 65535, inclusive"
            )
            return None
        read_str(action, "service", path, problems)
        return {"handler": "grpc", "port": grpc_port} if grpc_port is not None else None
    port = parse_port(action, path, problems)
    if name == "tcpSocket":
        return {"handler": "tcpSocket", "port": port} if port is not None else None
    probe_path = read_str(action, "path", path, problems) or "/"
    scheme = action.get("scheme")
    if scheme is not None and scheme not in _HTTP_SCHEMES:
        problems.unsupported(path.child("scheme"), scheme, _HTTP_SCHEMES)
    return {"handler": "httpGet", "port": port, "path": probe_path} if port is not None else None


def parse_command(
    action: Mapping[str, Any], path: FieldPath, problems: Problems
) -> tuple[str, ...]:
    command = action.get("command")
    if not command:
        problems.required(path.child("command"))
        return ()
    items = read_list(command, path.child("command"), problems)
    for index, item in enumerate(items):
        if not isinstance(item, str):
            problems.invalid(path.child("command").index(index), item, "must be a string")
            return ()
    return tuple(items)


def parse_port(action: Mapping[str, Any], path: FieldPath, problems: Problems) -> int | str | None:
    """A port number (1–65535) or an IANA service name (ValidatePortNumOrName)."""
    port = action.get("port")
    port_path = path.child("port")
    if port is None or port == "":
        problems.required(port_path)
        return None
    if isinstance(port, bool) or not isinstance(port, int | str):
        problems.invalid(port_path, port, "must be an integer or a port name")
        return None
    if isinstance(port, int):
        if not 1 <= port <= 65535:
            problems.invalid(port_path, port, "must be between 1 and 65535, inclusive")
            return None
        return port
    messages = port_name_problems(port)
    for message in messages:
        problems.invalid(port_path, port, message)
    return None if messages else port


def port_name_problems(name: str) -> list[str]:
    # k8s.io/apimachinery pkg/util/validation (IsValidPortName)
    messages = []
    if len(name) > 15:
        messages.append("must be no more than 15 characters")
    if not _IANA_SERVICE_NAME.fullmatch(name):
        messages.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not any("a" <= character <= "z" for character in name):
        messages.append("must contain at least one letter (a-z)")
    if "--" in name:
        messages.append("must not contain consecutive hyphens")
    if name.startswith("-") or name.endswith("-"):
        messages.append("must not begin or end with a hyphen")
    return messages


def _parse_timings(
    probe: Mapping[str, Any], path: FieldPath, problems: Problems, kind: ProbeKind
) -> dict[str, Any]:
    def field(name: str) -> int:
        value = read_int(probe, name, path, problems, default=0, minimum=0)
        return value or _PROBE_DEFAULTS.get(name, 0)

    timings = {
        "initial_delay_seconds": field("initialDelaySeconds"),
        "period_seconds": field("periodSeconds"),
        "timeout_seconds": field("timeoutSeconds"),
        "success_threshold": field("successThreshold"),
        "failure_threshold": field("failureThreshold"),
        "termination_grace_period_seconds": _probe_grace_period(probe, path, problems, kind),
    }
    # validateContainers: "must be 1" for liveness and startup probes.
    if kind != "readinessProbe" and timings["success_threshold"] != 1:
        problems.invalid(path.child("successThreshold"), timings["success_threshold"], "must be 1")
    return timings


def _probe_grace_period(
    probe: Mapping[str, Any], path: FieldPath, problems: Problems, kind: ProbeKind
) -> int | None:
    # Probe-level terminationGracePeriodSeconds (GA 1.28): liveness and startup only, at least 1.
    value = probe.get("terminationGracePeriodSeconds")
    if value is None:
        return None
    grace_path = path.child("terminationGracePeriodSeconds")
    if kind == "readinessProbe":
        problems.invalid(grace_path, value, "must not be set for readinessProbes")
        return None
    grace = read_int(probe, "terminationGracePeriodSeconds", path, problems, default=None)
    if grace is not None and grace < 1:
        problems.invalid(grace_path, grace, "must be greater than 0")
        return None
    return grace
