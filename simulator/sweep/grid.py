"""``--vary FIELD=V1,V2,...``: the fields a sweep varies, and the scenario of each combination.

FIELD is either a probe field, ``readinessProbe.periodSeconds``, set in every variant that has
that probe (in the workload's app containers and in each variant's ``probes``), or a path in the
scenario document from ``spec``, ``spec.traffic.requestsPerSecond``. Values are YAML scalars.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from simulator.scenario.validation import Problem, ScenarioError

PROBE_TYPES = ("readinessProbe", "livenessProbe", "startupProbe")
MAX_CELLS = 400  # a sweep's size limit: every cell is a whole run


@dataclass(frozen=True)
class Axis:
    """One varied field and its values, in the order given."""

    field: str
    values: tuple[Any, ...]


def parse_vary(option: str) -> Axis:
    """``FIELD=V1,V2,...`` as an ``Axis``; raises ``ScenarioError`` naming what is wrong."""
    field, equals, listed = option.partition("=")
    field = field.strip()
    if not equals or not field or not listed.strip():
        raise ScenarioError(
            [
                Problem(
                    "--vary",
                    f"{option!r}: expected FIELD=V1,V2,... "
                    "e.g. readinessProbe.periodSeconds=2,5,10",
                )
            ]
        )
    first = field.split(".")[0]
    if first not in (*PROBE_TYPES, "spec") or "." not in field:
        raise ScenarioError(
            [
                Problem(
                    "--vary",
                    f"{field!r}: unsupported field: give a probe field "
                    "(readinessProbe.periodSeconds) or a path from spec "
                    "(spec.traffic.requestsPerSecond)",
                )
            ]
        )
    values = tuple(yaml.safe_load(value.strip()) for value in listed.split(","))
    return Axis(field, values)


def combinations(axes: Sequence[Axis]) -> list[dict[str, Any]]:
    """Every combination, first axis slowest: ``[{field: value, ...}, ...]``."""
    fields = [axis.field for axis in axes]
    if len(set(fields)) != len(fields):
        raise ScenarioError([Problem("--vary", "a field is varied twice; give each once")])
    cells = [
        dict(zip(fields, values, strict=True))
        for values in itertools.product(*(a.values for a in axes))
    ]
    if len(cells) > MAX_CELLS:
        raise ScenarioError(
            [
                Problem(
                    "--vary", f"Too many: {len(cells)}: must have at most {MAX_CELLS} combinations"
                )
            ]
        )
    return cells


def with_values(document: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the scenario document with every ``values`` field set."""
    changed = copy.deepcopy(dict(document))
    for field, value in values.items():
        parts = field.split(".")
        if parts[0] == "spec":
            _set_path(changed, parts, value, field)
        else:
            _set_probe_field(changed, parts[0], parts[1:], value, field)
    return changed


def _set_path(document: dict[str, Any], parts: Sequence[str], value: Any, field: str) -> None:
    node: Any = document
    for part in parts[:-1]:
        if not isinstance(node, dict):
            raise ScenarioError([Problem(field, "not a mapping in this scenario")])
        node = node.setdefault(part, {})
    if not isinstance(node, dict):
        raise ScenarioError([Problem(field, "not a mapping in this scenario")])
    node[parts[-1]] = value


def _set_probe_field(
    document: dict[str, Any], probe_type: str, parts: Sequence[str], value: Any, field: str
) -> None:
    found = 0
    for probe in probes_of(document, probe_type):
        _set_path(probe, parts, value, field)
        found += 1
    if not found:
        raise ScenarioError(
            [Problem(field, f"no {probe_type} in this scenario's workload or variants to vary")]
        )


def probes_of(
    document: Mapping[str, Any], probe_type: str, *, variants: bool = True
) -> Iterator[dict[str, Any]]:
    """The ``probe_type`` probes of the document: in the workload's app containers, then (with
    ``variants``) in each variant's ``probes``. The dicts themselves, to edit."""
    spec = _mapping(document.get("spec"))
    workload = _mapping(spec.get("workload"))
    pod_spec = _mapping(workload.get("spec"))
    if workload.get("kind") != "Pod":
        pod_spec = _mapping(_mapping(pod_spec.get("template")).get("spec"))
    for container in pod_spec.get("containers") or ():
        if isinstance(container, dict) and isinstance(container.get(probe_type), dict):
            yield container[probe_type]
    for variant in spec.get("variants") or () if variants else ():
        probes = variant.get("probes") if isinstance(variant, dict) else None
        if isinstance(probes, dict) and isinstance(probes.get(probe_type), dict):
            yield probes[probe_type]


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
