"""``resources.limits.memory`` of a container, a Kubernetes quantity.

Quantities follow k8s.io/apimachinery pkg/api/resource (quantity.go): a number with an optional
binary suffix (Ki, Mi, Gi, Ti) or decimal suffix (k, M, G, T; m is a thousandth).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from simulator.scenario.validation import FieldPath, Problems

_QUANTITY = re.compile(r"(?P<number>\d+(?:\.\d+)?|\.\d+)(?P<suffix>Ki|Mi|Gi|Ti|m|k|M|G|T)?")
_BYTES = {
    None: 1.0,
    "Ki": 2.0**10,
    "Mi": 2.0**20,
    "Gi": 2.0**30,
    "Ti": 2.0**40,
    "k": 1e3,
    "M": 1e6,
    "G": 1e9,
    "T": 1e12,
    "m": 1e-3,
}
_MIB = 2.0**20


def _quantity(value: Any) -> tuple[float, str | None] | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value), None
    if isinstance(value, str):
        match = _QUANTITY.fullmatch(value.strip())
        if match:
            return float(match["number"]), match["suffix"]
    return None


def memory_limit_mib(
    container: Mapping[str, Any], path: FieldPath, problems: Problems
) -> float | None:
    """``resources.limits.memory`` in MiB, None when not given (or invalid: a problem)."""
    resources = container.get("resources")
    limits = resources.get("limits") if isinstance(resources, Mapping) else None
    memory = limits.get("memory") if isinstance(limits, Mapping) else None
    if memory is None:
        return None
    parsed = _quantity(memory)
    if parsed is None or parsed[0] <= 0:
        field = path.child("resources").child("limits").child("memory")
        problems.invalid(field, memory, 'must be a positive quantity such as "512Mi" or "1Gi"')
        return None
    return parsed[0] * _BYTES[parsed[1]] / _MIB
