"""The scenario that shows one sweep cell beside its baseline: two lanes on one clock.

The baseline lane is the variant as in the scenario; the other is the same variant with the
cell's probe values. Fields from ``spec`` (traffic, cluster) apply to every lane alike, so a cell
that varies one is shown alone, as the cell's scenario with that one variant.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from simulator.sweep.grid import PROBE_TYPES, probes_of, with_values

CELL_VARIANT = "cell"


def cell_document(
    document: Mapping[str, Any], variant: str, values: Mapping[str, Any]
) -> dict[str, Any]:
    """The scenario document of the cell ``values`` of lane ``variant``: ``[variant, "cell"]``
    when only probe fields vary, else the changed scenario with lane ``variant`` alone.

    Raises ``KeyError`` when the scenario has no such variant.
    """
    changed = with_values(document, values)
    spec = changed["spec"]
    original = copy.deepcopy(dict(document))
    variants = original["spec"].get("variants") or [{"name": "default"}]
    by_name = {item.get("name"): item for item in variants if isinstance(item, dict)}
    if variant not in by_name:
        raise KeyError(variant)
    baseline = by_name[variant]
    if any(field.split(".")[0] == "spec" for field in values):
        changed_variants = spec.get("variants") or [{"name": "default"}]
        spec["variants"] = [item for item in changed_variants if item.get("name") == variant]
        if spec["variants"] == [{"name": "default"}]:
            spec.pop("variants")
        return changed
    probes = dict(baseline.get("probes") or {})
    varied = {field.split(".")[0] for field in values}
    for probe_type in PROBE_TYPES:
        if probe_type in varied:
            probes[probe_type] = _probe_in(changed, variant, probe_type)
    label = ", ".join(f"{field}={value}" for field, value in values.items())
    cell = {
        **{key: value for key, value in baseline.items() if key not in ("name", "title")},
        "name": CELL_VARIANT,
        "title": {"en": f"{variant} with {label}", "ko": f"{variant}, {label}"},
        "probes": probes,
    }
    original["spec"]["variants"] = [baseline, cell]
    return original


def _probe_in(document: Mapping[str, Any], variant: str, probe_type: str) -> dict[str, Any]:
    """The probe a variant runs after the change: its own ``probes`` entry, else the workload's."""
    for item in document["spec"].get("variants") or ():
        probes = item.get("probes") if item.get("name") == variant else None
        if isinstance(probes, dict) and isinstance(probes.get(probe_type), dict):
            return copy.deepcopy(probes[probe_type])
    found = next(probes_of(document, probe_type, variants=False), None)
    if found is None:
        raise KeyError(probe_type)
    return copy.deepcopy(found)
