"""What in a pasted manifest decides the outcome and is not modelled: then podviz cannot judge.

The schema check (schema.py) lists every known field the engine does not read. Most do not change
what probes and Services do with traffic (``resources``, ``env``, ``volumes``, ``affinity``: the
engine spreads a workload's pods over the nodes as a required anti-affinity would); the ones
below do, and a verdict without them would be silently wrong (docs/advisor.md, "Cannot judge").
Objects of other kinds are sorted the same way: those that change pods or traffic cannot be
judged; those that do not (a ConfigMap, RBAC) are only named.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# Pod spec fields (below ``spec.template.spec`` or a Pod's ``spec``) that decide the outcome.
POD_SPEC_FIELDS = (
    "activeDeadlineSeconds",  # the kubelet kills the pod at the deadline (DeadlineExceeded)
    "schedulingGates",  # the pod stays unscheduled until something removes them
    "containers[].lifecycle.postStart",  # blocks the container's start; a failure kills it
    "initContainers[].lifecycle.postStart",
)
WORKLOAD_FIELDS = {
    "Deployment": (),
    "Job": (
        "spec.backoffLimitPerIndex",
        "spec.maxFailedIndexes",
        "spec.successPolicy",
        "spec.suspend",
        "spec.podReplacementPolicy",
        "spec.managedBy",
    ),
    "Pod": (),
    "StatefulSet": (
        "spec.minReadySeconds",
        "spec.updateStrategy.rollingUpdate.maxUnavailable",
        "spec.volumeClaimTemplates",
        "spec.persistentVolumeClaimRetentionPolicy",
        "spec.ordinals",
    ),
}
_POD_SPEC_PREFIX = {"Pod": "spec."}

# Kinds whose objects change no pod and no traffic of the workloads drilled.
INERT_KINDS = (
    "ConfigMap",
    "Secret",
    "ServiceAccount",
    "Role",
    "RoleBinding",
    "ClusterRole",
    "ClusterRoleBinding",
    "Namespace",
    "PersistentVolumeClaim",
    "Ingress",
    "IngressClass",
    "PriorityClass",
    "StorageClass",
    # Used only by evictions through the API (a drain); no drill drains a node.
    "PodDisruptionBudget",
)
SERVICE_FIELDS_NOT_MODELLED = {
    # field: the values that decide the outcome (None: any value)
    "spec.sessionAffinity": ("ClientIP",),
    "spec.externalTrafficPolicy": ("Local",),
    "spec.internalTrafficPolicy": ("Local",),
    "spec.trafficDistribution": None,
}
_INDEX = re.compile(r"\[\d+\]")


def workload_cannot_judge(kind: str, not_modelled: tuple[str, ...]) -> list[str]:
    """The paths among ``not_modelled`` (a workload's known fields the engine does not read, as
    ``Workload.not_modelled`` gives them) that decide the outcome, in the order given."""
    deciding = WORKLOAD_FIELDS.get(kind, ()) + tuple(
        _POD_SPEC_PREFIX.get(kind, "spec.template.spec.") + field for field in POD_SPEC_FIELDS
    )
    found = []
    for path in not_modelled:
        pattern = _INDEX.sub("[]", path)
        if any(pattern == field or pattern.startswith(field + ".") for field in deciding):
            found.append(path)
    return found


def service_cannot_judge(service: Mapping[str, Any]) -> list[str]:
    """The fields of a v1 Service that decide where its traffic goes and are not modelled."""
    spec = service.get("spec")
    spec = spec if isinstance(spec, Mapping) else {}
    found = []
    if spec.get("type") == "ExternalName":
        found.append("spec.type: ExternalName")
    elif not spec.get("selector"):
        found.append("spec.selector (a Service without a selector has endpoints managed by hand)")
    for field, values in SERVICE_FIELDS_NOT_MODELLED.items():
        value = spec.get(field.removeprefix("spec."))
        if value is not None and (values is None or value in values):
            found.append(f"{field}: {value}")
    return found


def object_cannot_judge(kind: str) -> bool:
    """Whether an object of ``kind`` (not a Deployment, Pod, Job or Service) may change the
    outcome: every kind but the inert ones."""
    return kind not in INERT_KINDS


_PROBE_TYPES = ("startupProbe", "readinessProbe", "livenessProbe")


def exec_probes_cannot_judge(workload: Mapping[str, Any]) -> list[str]:
    """The exec probes of ``workload`` (a manifest dict) whose command names a path that the
    container's own ``command`` or ``args`` name too, as ``<field path>.exec`` from the manifest's
    root: what such a probe sees depends on what the container's program does to that file over
    time (the documentation's ``touch /tmp/healthy; sleep 30; rm -f /tmp/healthy``), and the
    engine runs no command (docs/kubernetes-model.md §8.6)."""
    kind = workload.get("kind")
    spec = workload.get("spec")
    if not isinstance(spec, Mapping):
        return []
    prefix = "spec."
    if kind != "Pod":
        template = spec.get("template")
        spec = template.get("spec") if isinstance(template, Mapping) else None
        prefix = "spec.template.spec."
        if not isinstance(spec, Mapping):
            return []
    found = []
    for list_name in ("initContainers", "containers"):
        containers = spec.get(list_name)
        for index, container in enumerate(containers if isinstance(containers, list) else ()):
            if not isinstance(container, Mapping):
                continue
            own = " ".join(
                str(word)
                for field in ("command", "args")
                for word in (container.get(field) or [])
                if isinstance(container.get(field), list)
            )
            for probe_type in _PROBE_TYPES:
                probe = container.get(probe_type)
                handler = probe.get("exec") if isinstance(probe, Mapping) else None
                command = handler.get("command") if isinstance(handler, Mapping) else None
                paths = [
                    word
                    for part in (command if isinstance(command, list) else ())
                    for word in str(part).split()
                    if word.startswith("/") and len(word) > 1
                ]
                if any(path in own for path in paths):
                    found.append(f"{prefix}{list_name}[{index}].{probe_type}.exec")
    return found
