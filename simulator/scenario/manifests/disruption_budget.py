"""``spec.podDisruptionBudgets``: policy/v1 PodDisruptionBudgets, as ``kubectl apply`` takes them.

Validated with the API server's rules (k/k pkg/apis/policy/validation
(ValidatePodDisruptionBudgetSpec): exactly one of ``minAvailable`` and ``maxUnavailable``, each a
non-negative integer or a percentage; the selector's ``matchLabels``). Used by evictions through
the API (a ``DrainNode`` event), docs/kubernetes-model.md §8.11.
"""

from __future__ import annotations

import re
from typing import Any

from simulator.scenario.field_readers import (
    list_of_mappings,
    optional_mapping,
    read_choice,
    read_mapping,
    read_str,
)
from simulator.scenario.types import PodDisruptionBudget
from simulator.scenario.validation import FieldPath, Problems

MAX_BUDGETS = 10
_PERCENT = re.compile(r"[0-9]+%")
_FIELDS = ("apiVersion", "kind", "metadata", "spec")
_SPEC_FIELDS = ("minAvailable", "maxUnavailable", "selector")


def parse_disruption_budgets(
    raw: Any, path: FieldPath, problems: Problems
) -> tuple[PodDisruptionBudget, ...]:
    """Each budget of the list; problems name the field (``spec.podDisruptionBudgets[0]...``)."""
    if raw is None:
        return ()
    if isinstance(raw, list) and len(raw) > MAX_BUDGETS:
        problems.too_many(path, len(raw), MAX_BUDGETS)
        return ()
    budgets = []
    for entry, item_path in list_of_mappings({"items": raw}, "items", path, problems):
        budget = _budget(entry, _rebase(item_path, path), problems)
        if budget is not None:
            budgets.append(budget)
    return tuple(budgets)


def _rebase(item_path: FieldPath, path: FieldPath) -> FieldPath:
    return path.index(int(item_path.parts[-1]))


def _budget(
    entry: dict[str, Any], path: FieldPath, problems: Problems
) -> PodDisruptionBudget | None:
    before = len(problems.found)
    read_mapping(entry, path, problems, known=_FIELDS)
    read_choice(entry, "apiVersion", path, problems, supported=("policy/v1",), default="policy/v1")
    read_choice(
        entry,
        "kind",
        path,
        problems,
        supported=("PodDisruptionBudget",),
        default="PodDisruptionBudget",
    )
    metadata = optional_mapping(entry, "metadata", path, problems)
    name = read_str(metadata, "name", path.child("metadata"), problems, required=True)
    spec_path = path.child("spec")
    spec = optional_mapping(entry, "spec", path, problems, known=_SPEC_FIELDS)
    min_available = _int_or_percent(spec, "minAvailable", spec_path, problems)
    max_unavailable = _int_or_percent(spec, "maxUnavailable", spec_path, problems)
    if min_available is not None and max_unavailable is not None:
        problems.invalid(spec_path, spec, "minAvailable and maxUnavailable cannot be both set")
    selector_path = spec_path.child("selector")
    selector = optional_mapping(spec, "selector", spec_path, problems, known=("matchLabels",))
    labels = optional_mapping(selector, "matchLabels", selector_path, problems)
    match: dict[str, str] = {}
    for key, value in labels.items():
        if not isinstance(value, str):
            problems.invalid(
                selector_path.child("matchLabels").key(str(key)), value, "must be a string"
            )
        else:
            match[str(key)] = value
    if name is None or len(problems.found) > before:
        return None
    return PodDisruptionBudget(
        name=name,
        min_available=min_available,
        max_unavailable=max_unavailable,
        selector=match,
    )


def _int_or_percent(
    spec: dict[str, Any], name: str, path: FieldPath, problems: Problems
) -> int | str | None:
    value = spec.get(name)
    if value is None:
        return None
    if isinstance(value, str) and _PERCENT.fullmatch(value):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    problems.invalid(
        path.child(name), value, "must be a non-negative integer or a percentage (e.g '5%')"
    )
    return None
