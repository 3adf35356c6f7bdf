"""Findings about the Services of a manifest: one that selects no pod, one whose named
targetPort the selected pods do not declare (docs/kubernetes-model.md §4.5).

A Service that selects nothing is shown by a drill of the workload it most likely meant (the one
whose pods carry the selector's label keys) run behind it, and the suggested selector is tried
by running that drill again.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from simulator.advisor import drills, messages, probe_fields, verdicts
from simulator.advisor.assumptions import Assumptions
from simulator.advisor.blocking import (
    SERVICE_SELECTS_NOTHING,
    SERVICE_TARGET_PORT_NOT_DECLARED,
    Blocker,
)
from simulator.advisor.findings import ERROR, Finding
from simulator.advisor.manifest_reader import ManifestObject
from simulator.scenario.manifests.service import pod_labels, scenario_service, service_selects


def service_findings(
    service: ManifestObject,
    workloads: Sequence[ManifestObject],
    assumptions: Assumptions,
    lang: str,
) -> list[Finding]:
    """The findings of one Service (a v1 Service with a selector) among ``workloads``."""
    selected = [item for item in workloads if service_selects(service.manifest, item.manifest)]
    if not selected:
        return [_selects_nothing(service, workloads, assumptions, lang)]
    return [
        finding
        for item in selected
        if (finding := _target_port_not_declared(service, item, lang)) is not None
    ]


def service_blocker(
    service: ManifestObject, item: ManifestObject, workloads: Sequence[ManifestObject]
) -> Blocker | None:
    """The blocking finding of ``service`` for the workload ``item`` drilled behind it (see
    ``simulator.advisor.blocking``): it selects no pod and ``item`` is the workload it meant, or
    its named targetPort is not declared by ``item``'s containers. None when it has neither."""
    if service_selects(service.manifest, item.manifest):
        if target_port_declared(service, item):
            return None
        return Blocker(service.label, SERVICE_TARGET_PORT_NOT_DECLARED)
    selects_any = any(service_selects(service.manifest, w.manifest) for w in workloads)
    if not selects_any and meant_workload(service, workloads) is item:
        return Blocker(service.label, SERVICE_SELECTS_NOTHING)
    return None


def meant_workload(
    service: ManifestObject, workloads: Sequence[ManifestObject]
) -> ManifestObject | None:
    """The workload a Service that selects nothing most likely meant: the first (not a Job)
    whose pods carry every label key of its selector."""
    selector = _selector(service.manifest)
    return next(
        (w for w in workloads if set(selector) <= set(pod_labels(w.manifest)) and w.kind != "Job"),
        None,
    )


def target_port_declared(service: ManifestObject, item: ManifestObject) -> bool:
    """Whether the Service's first port's targetPort reaches ``item``'s pods: a number, or a
    port name one of its containers declares."""
    ports = scenario_service(service.manifest).get("ports") or [{}]
    target = ports[0].get("targetPort")
    return not isinstance(target, str) or target in _declared(item.manifest)


def _selector(service: Mapping[str, Any]) -> dict[str, Any]:
    spec = service.get("spec")
    selector = spec.get("selector") if isinstance(spec, Mapping) else None
    return dict(selector) if isinstance(selector, Mapping) else {}


def _pairs(labels: Mapping[str, Any]) -> str:
    return ",".join(f"{key}={value}" for key, value in labels.items()) or "{}"


def _selects_nothing(
    service: ManifestObject,
    workloads: Sequence[ManifestObject],
    assumptions: Assumptions,
    lang: str,
) -> Finding:
    selector = _selector(service.manifest)
    labels = "; ".join(f"{w.label}: {_pairs(pod_labels(w.manifest))}" for w in workloads)
    meant = meant_workload(service, workloads)
    evidence: dict[str, Any] = {"drill": None, "selector": selector}
    shown = ""
    suggestion = None
    if meant is not None:
        drill = drills.drill_names(meant.kind)[0]
        behind = scenario_service(service.manifest)
        before = drills.run_drill(meant.label, meant.manifest, drill, assumptions, behind)
        evidence = {"drill": drill, "workload": meant.label, **before.numbers(), **evidence}
        shown = messages.text(
            "selects-nothing-evidence",
            lang,
            drill=drill,
            errors=before.errors_by_cause.get("NoEndpoints", 0),
            requests=before.requests,
        )
        fixed = {key: pod_labels(meant.manifest)[key] for key in selector}
        after = drills.run_drill(
            meant.label, meant.manifest, drill, assumptions, {**behind, "selector": fixed}
        )
        suggestion = verdicts.run_suggestion(
            messages.text("suggest-selector", lang, selector=_pairs(fixed)),
            {"service": service.name, "selector": fixed},
            before,
            after,
            verdicts.ERRORS,
            lang,
            assumptions.requests_per_second,
        )
    message = messages.text(
        "service-selects-nothing",
        lang,
        service=service.label,
        selector=_pairs(selector),
        labels=labels or "none",
        evidence=shown,
    )
    return Finding(
        workload=service.label,
        container="",
        rule=SERVICE_SELECTS_NOTHING,
        severity=ERROR,
        message=message,
        evidence=evidence,
        suggestion=suggestion,
    )


def _declared(workload: Mapping[str, Any]) -> dict[str, Any]:
    spec = probe_fields.pod_spec(workload)
    declared: dict[str, Any] = {}
    for field in ("containers", "initContainers"):
        for container in spec.get(field) or ():
            for port in (container.get("ports") or ()) if isinstance(container, dict) else ():
                if isinstance(port, dict) and isinstance(port.get("name"), str):
                    declared[port["name"]] = port.get("containerPort")
    return declared


def _target_port_not_declared(
    service: ManifestObject, item: ManifestObject, lang: str
) -> Finding | None:
    if target_port_declared(service, item):
        return None
    target = (scenario_service(service.manifest).get("ports") or [{}])[0].get("targetPort")
    declared = _declared(item.manifest)
    message = messages.text(
        "service-target-port-not-declared",
        lang,
        service=service.label,
        port=target,
        workload=item.label,
        declared=", ".join(f"{name}={number}" for name, number in declared.items())
        or messages.text("none", lang),
    )
    return Finding(
        workload=service.label,
        container="",
        rule=SERVICE_TARGET_PORT_NOT_DECLARED,
        severity=ERROR,
        message=message,
        evidence={"drill": None, "targetPort": target, "declaredPorts": copy.deepcopy(declared)},
        suggestion=None,
    )
