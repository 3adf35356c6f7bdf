"""``spec.variants``: the lanes compared side by side, each resolved to a complete ``VariantSpec``.

A variant's ``probes`` replace the named probes in every app container (null removes one; probes
it does not name stay as in the manifest). Its ``service``, ``cluster``, ``traffic`` and
``behavior`` change only the fields they give. No variants: one lane named "default".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from simulator.scenario.field_readers import read_list, read_mapping, read_str, read_text
from simulator.scenario.manifests.probes import PROBE_ATTRIBUTES, PROBE_KINDS, parse_probe
from simulator.scenario.manifests.workload import container_names
from simulator.scenario.spec.sections import (
    parse_behavior,
    parse_cluster,
    parse_service,
    parse_traffic,
)
from simulator.scenario.types import (
    Behavior,
    ClusterSpec,
    Probe,
    ServiceSpec,
    TrafficSpec,
    VariantSpec,
    Workload,
)
from simulator.scenario.validation import FieldPath, Problems

MAX_VARIANTS = 6  # simulator limit
DEFAULT_VARIANT = "default"
VARIANT_FIELDS = ("name", "title", "probes", "service", "cluster", "traffic", "behavior")
NAME_PATTERN = re.compile(r"[a-z0-9-]{1,63}")
NAME_RULE = "must match [a-z0-9-]{1,63}"


@dataclass(frozen=True)
class Sections:
    """What a lane runs before a variant changes it: the scenario's resolved sections.

    ``workload`` is None when the manifest is invalid: variants are then only checked.
    """

    workload: Workload | None
    cluster: ClusterSpec
    service: ServiceSpec
    traffic: TrafficSpec
    behavior: Behavior


def parse_variants(
    raw: Any, path: FieldPath, problems: Problems, base: Sections
) -> tuple[VariantSpec, ...]:
    """Every lane, resolved (none when the workload is invalid)."""
    items = read_list(raw, path, problems) if raw is not None else []
    if len(items) > MAX_VARIANTS:
        problems.too_many(path, len(items), MAX_VARIANTS)
        return ()
    if not items:
        return (_resolve(DEFAULT_VARIANT, {}, base),) if base.workload else ()
    names: set[str] = set()
    variants = []
    for index, item in enumerate(items):
        variant = _variant(item, path.index(index), problems, base, names)
        if variant is not None:
            variants.append(variant)
    return tuple(variants)


def _variant(
    raw: Any, path: FieldPath, problems: Problems, base: Sections, names: set[str]
) -> VariantSpec | None:
    variant = read_mapping(raw, path, problems, known=VARIANT_FIELDS)
    if variant is None:
        return None
    before = len(problems.found)
    name = read_str(variant, "name", path, problems, required=True)
    if name is not None:
        if not NAME_PATTERN.fullmatch(name):
            problems.invalid(path.child("name"), name, NAME_RULE)
        elif name in names:
            problems.duplicate(path.child("name"), name)
        names.add(name)
    title = read_text(variant, "title", path, problems)
    probes = _probes(variant.get("probes"), path.child("probes"), problems)
    overrides = _overrides(variant, path, problems, base)
    if base.workload is None or name is None or len(problems.found) > before:
        return None
    return replace(_resolve(name, probes, replace(base, **overrides)), title=title)


def _probes(raw: Any, path: FieldPath, problems: Problems) -> dict[str, Probe | None]:
    """The probes a variant sets, by kind; None where it removes one."""
    if raw is None:
        return {}
    probes = read_mapping(raw, path, problems, known=PROBE_KINDS) or {}
    return {
        kind: None if value is None else parse_probe(value, path.child(kind), problems, kind)
        for kind, value in probes.items()
        if kind in PROBE_KINDS
    }


def _overrides(
    variant: Mapping[str, Any], path: FieldPath, problems: Problems, base: Sections
) -> dict[str, Any]:
    names = container_names(base.workload)
    return {
        "cluster": parse_cluster(
            variant.get("cluster"), path.child("cluster"), problems, base.cluster
        ),
        "service": parse_service(
            variant.get("service"), path.child("service"), problems, base.service
        ),
        "traffic": parse_traffic(
            variant.get("traffic"), path.child("traffic"), problems, base.traffic
        ),
        "behavior": parse_behavior(
            variant.get("behavior"), path.child("behavior"), problems, base.behavior, names
        ),
    }


def _resolve(name: str, probes: Mapping[str, Probe | None], sections: Sections) -> VariantSpec:
    if sections.workload is None:
        raise ValueError("variants need a valid workload")
    changes: dict[str, Any] = {PROBE_ATTRIBUTES[kind]: probe for kind, probe in probes.items()}
    containers = tuple(
        replace(container, **changes) for container in sections.workload.template.containers
    )
    template = replace(sections.workload.template, containers=containers)
    return VariantSpec(
        name=name,
        workload=replace(sections.workload, template=template),
        cluster=sections.cluster,
        service=sections.service,
        traffic=sections.traffic,
        behavior=sections.behavior,
    )
