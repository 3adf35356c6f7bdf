"""The parts of a v1 Service the scenario's ``spec.service`` takes from a manifest.

``selector`` (a map of labels: the pods whose labels hold every pair are the Service's endpoints)
and ``ports`` (``[{name, port, targetPort}]``; the traffic goes to the first port). Validated with
the API server's rules (k/k pkg/apis/core/validation ValidateService: port 1–65535, targetPort a
number or an IANA port name, defaulting to ``port`` (SetDefaults_Service)).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.scenario.field_readers import list_of_mappings, read_int, read_mapping
from simulator.scenario.manifests.probes import port_name_problems
from simulator.scenario.validation import FieldPath, Problems

SERVICE_MANIFEST_FIELDS = ("selector", "ports")


def parse_selector(
    service: Mapping[str, Any], path: FieldPath, problems: Problems
) -> dict[str, str] | None:
    """``selector`` as a label map, or None when the field is absent."""
    raw = service.get("selector")
    if raw is None:
        return None
    selector_path = path.child("selector")
    selector = read_mapping(raw, selector_path, problems) or {}
    labels = {}
    for key, value in selector.items():
        if not isinstance(value, str):
            problems.invalid(selector_path.key(str(key)), value, "must be a string")
        else:
            labels[str(key)] = value
    return labels


def parse_target_port(
    service: Mapping[str, Any], path: FieldPath, problems: Problems
) -> int | str | None:
    """The first port's ``targetPort`` (its ``port`` when not given); None without ``ports``."""
    targets: list[int | str | None] = []
    for entry, item_path in list_of_mappings(service, "ports", path, problems):
        port = read_int(entry, "port", item_path, problems, default=None, minimum=1, maximum=65535)
        if entry.get("port") is None:
            problems.required(item_path.child("port"))
        raw = entry.get("targetPort")
        targets.append(
            port if raw is None else _target_port(raw, item_path.child("targetPort"), problems)
        )
    return targets[0] if targets else None


def _target_port(raw: Any, path: FieldPath, problems: Problems) -> int | str | None:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        problems.invalid(path, raw, "must be an integer or a port name")
        return None
    if isinstance(raw, int):
        if not 1 <= raw <= 65535:
            problems.invalid(path, raw, "must be between 1 and 65535, inclusive")
            return None
        return raw
    messages = port_name_problems(raw)
    for message in messages:
        problems.invalid(path, raw, message)
    return None if messages else raw


def selects(selector: Mapping[str, str], labels: Mapping[str, str]) -> bool:
    """A Service's selector picks a pod when every pair is among its labels; an empty selector
    picks nothing here (k8s: a Service without a selector has endpoints managed by hand)."""
    return bool(selector) and all(labels.get(key) == value for key, value in selector.items())


def scenario_service(service: Mapping[str, Any]) -> dict[str, Any]:
    """A v1 Service manifest's fields that ``spec.service`` takes: ``selector``, ``ports``
    (``port`` and ``targetPort``) and ``publishNotReadyAddresses``, as written (the loader
    validates them)."""
    spec = service.get("spec")
    spec = spec if isinstance(spec, Mapping) else {}
    taken: dict[str, Any] = {}
    if isinstance(spec.get("selector"), Mapping):
        taken["selector"] = dict(spec["selector"])
    ports = spec.get("ports")
    if isinstance(ports, list) and ports:
        taken["ports"] = [
            {key: entry[key] for key in ("port", "targetPort") if key in entry}
            for entry in ports
            if isinstance(entry, Mapping)
        ]
    if isinstance(spec.get("publishNotReadyAddresses"), bool):
        taken["publishNotReadyAddresses"] = spec["publishNotReadyAddresses"]
    return taken


def pod_labels(workload: Mapping[str, Any]) -> dict[str, Any]:
    """The labels of a workload manifest's pods (a Pod's own, else its template's)."""
    if workload.get("kind") == "Pod":
        metadata = workload.get("metadata")
    else:
        spec = workload.get("spec")
        template = spec.get("template") if isinstance(spec, Mapping) else None
        metadata = template.get("metadata") if isinstance(template, Mapping) else None
    labels = metadata.get("labels") if isinstance(metadata, Mapping) else None
    return dict(labels) if isinstance(labels, Mapping) else {}


def service_selects(service: Mapping[str, Any], workload: Mapping[str, Any]) -> bool:
    """Whether the Service manifest's selector picks the workload manifest's pods."""
    spec = service.get("spec")
    selector = spec.get("selector") if isinstance(spec, Mapping) else None
    if not isinstance(selector, Mapping):
        return False
    return selects({str(k): v for k, v in selector.items()}, pod_labels(workload))
