"""Which fields a Kubernetes object has: the API's schema, for strict field validation.

``kubectl apply`` refuses a manifest with a field its object does not have (strict field
validation, the API server's default since Kubernetes 1.27): ``unknown field
"spec.template.spec.containers[0].readinessProbe.failureTreshold"``. The schema is Kubernetes'
OpenAPI in JSON-schema form, as published by the ``kubernetes-validate`` package (its
``local-strict`` definitions); only the definitions are read, not its validator.

Known fields the engine does not model (``resources``, ``env``, ``affinity``, ...) are accepted
and listed, so a report can say what the simulation leaves out.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from simulator.scenario.validation import FieldPath, Problems

SCHEMA_VERSION = "v1.37.0"
_ROOTS = {
    "Deployment": "io.k8s.api.apps.v1.Deployment",
    "Pod": "io.k8s.api.core.v1.Pod",
    "Job": "io.k8s.api.batch.v1.Job",
    "StatefulSet": "io.k8s.api.apps.v1.StatefulSet",
}

# The fields the engine reads, as manifest paths with [] for list items. A field is modelled when
# its path is one of these, lies on the way to one, or lies below one that ends in ".*".
_POD_SPEC = (
    "containers[].name",
    "containers[].image",
    "containers[].ports[].name",
    "containers[].ports[].containerPort",
    "containers[].readinessProbe.*",
    "containers[].livenessProbe.*",
    "containers[].startupProbe.*",
    "containers[].lifecycle.preStop.*",
    "containers[].resources.limits.memory",
    "initContainers[].name",
    "initContainers[].image",
    "initContainers[].ports[].name",
    "initContainers[].ports[].containerPort",
    "initContainers[].lifecycle.preStop.*",
    "initContainers[].restartPolicy",
    "initContainers[].readinessProbe.*",
    "initContainers[].livenessProbe.*",
    "initContainers[].startupProbe.*",
    "restartPolicy",
    "terminationGracePeriodSeconds",
    "nodeName",
    "tolerations.*",
    "readinessGates.*",
)
_COMMON = ("apiVersion", "kind", "metadata.name", "metadata.labels.*")
_MODELLED = {
    "Deployment": (
        *_COMMON,
        "spec.replicas",
        "spec.selector.*",
        "spec.strategy.*",
        "spec.paused",
        "spec.minReadySeconds",
        "spec.progressDeadlineSeconds",
        "spec.template.metadata.labels.*",
        *(f"spec.template.spec.{field}" for field in _POD_SPEC),
    ),
    "Job": (
        *_COMMON,
        "spec.completions",
        "spec.parallelism",
        "spec.backoffLimit",
        "spec.activeDeadlineSeconds",
        "spec.podFailurePolicy.*",
        "spec.template.metadata.labels.*",
        *(f"spec.template.spec.{field}" for field in _POD_SPEC),
    ),
    "Pod": (*_COMMON, *(f"spec.{field}" for field in _POD_SPEC)),
    "StatefulSet": (
        *_COMMON,
        "spec.replicas",
        "spec.selector.*",
        "spec.podManagementPolicy",
        "spec.updateStrategy.type",
        "spec.updateStrategy.rollingUpdate.partition",
        # A headless Service's name: DNS names only, no effect on probes or traffic here.
        "spec.serviceName",
        "spec.template.metadata.labels.*",
        *(f"spec.template.spec.{field}" for field in _POD_SPEC),
    ),
}


@cache
def _definitions() -> Mapping[str, Any]:
    """The schema's definitions by name (loaded once, ~10 ms)."""
    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or spec.origin is None:
        raise RuntimeError("the kubernetes-validate package is missing (requirements/base.txt)")
    folder = Path(spec.origin).parent / "kubernetes-json-schema" / f"{SCHEMA_VERSION}-local-strict"
    return json.loads((folder / "_definitions.json").read_text())["$defs"]


def _resolve(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = schema.get("$ref")
    if ref is None:
        return schema
    return _definitions()[ref.rsplit("/", 1)[-1]]


def check_manifest_fields(
    manifest: Mapping[str, Any], kind: str, path: FieldPath, problems: Problems
) -> tuple[str, ...]:
    """Refuse every field ``manifest`` (a ``kind`` object) does not have, with its manifest path
    and the closest known name; return the manifest paths of the known fields the engine does
    not model (outermost ones only), in document order."""
    not_modelled: list[str] = []
    schema = _definitions()[_ROOTS[kind]]
    _walk(manifest, schema, path, "", "", _MODELLED[kind], problems, not_modelled)
    return tuple(not_modelled)


def _walk(
    value: Any,
    schema: Mapping[str, Any],
    path: FieldPath,
    text: str,
    pattern: str,
    modelled: tuple[str, ...],
    problems: Problems,
    not_modelled: list[str] | None,
) -> None:
    """Check ``value`` against ``schema``; ``not_modelled`` collects the outermost known fields
    the engine does not read (None below such a field: checked, not listed again)."""
    schema = _resolve(schema)
    if isinstance(value, Mapping):
        properties = schema.get("properties")
        if properties is None:
            return  # a free-form map (labels, annotations) or an untyped value
        for key, item in value.items():
            name = str(key)
            item_text = f"{text}.{name}" if text else name
            item_pattern = f"{pattern}.{name}" if pattern else name
            if name not in properties:
                problems.unknown_manifest_field(path.child(name), item_text, properties)
                continue
            listing = not_modelled
            if listing is not None and not _is_modelled(item_pattern, modelled):
                listing.append(item_text)
                listing = None
            _walk(item, properties[name], path.child(name), item_text, item_pattern,
                  modelled, problems, listing)  # fmt: skip
    elif isinstance(value, list):
        items = schema.get("items")
        if items is None:
            return
        for index, item in enumerate(value):
            _walk(item, items, path.index(index), f"{text}[{index}]", f"{pattern}[]",
                  modelled, problems, not_modelled)  # fmt: skip


def _is_modelled(pattern: str, modelled: tuple[str, ...]) -> bool:
    for entry in modelled:
        if entry.endswith(".*"):
            whole = entry[:-2]
            if pattern == whole or pattern.startswith((whole + ".", whole + "[")):
                return True
            if whole.startswith((pattern + ".", pattern + "[")):
                return True
        elif pattern == entry or entry.startswith((pattern + ".", pattern + "[")):
            return True
    return False
