"""One sweep cell: the scenario with its values, run in the engine, and its figures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.advisor.measure import POD_FAULTS, detection_seconds, pods_hit, restarts_after
from simulator.engine.simulation import run_scenario
from simulator.results.recovery import recoveries
from simulator.scenario.loader import load_scenario
from simulator.sweep.grid import with_values


def run_cell(document: Mapping[str, Any], values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The cells of one combination, one per variant (lane):
    ``{"values", "variant", "totals", "detectionSeconds", "recoverySeconds", "restarts",
    "faults"}``.

    ``detectionSeconds`` and ``recoverySeconds`` are those of the first fault that hits pods
    (NodeDown, AppHang, AppUnresponsive, AppCrash); ``faults`` lists each such fault's. Raises
    ``ScenarioError`` when the values make the scenario invalid.
    """
    scenario = load_scenario(with_values(document, values))
    results = run_scenario(scenario)
    faults = [
        {"at": event.at, "action": event.action, "node": event.node, "pod": event.pod}
        for event in scenario.events
        if event.action in POD_FAULTS
    ]
    cells = []
    for variant in results["variants"]:
        measured = _faults(variant, faults, results["duration"])
        first = measured[0] if measured else {"detectionSeconds": None, "recoverySeconds": None}
        cells.append(
            {
                "values": dict(values),
                "variant": variant["name"],
                "totals": variant["totals"],
                "detectionSeconds": first["detectionSeconds"],
                "recoverySeconds": first["recoverySeconds"],
                "restarts": restarts_after(variant["pods"], 0.0),
                "faults": measured,
            }
        )
    return cells


def _faults(
    variant: Mapping[str, Any], faults: list[dict[str, Any]], duration: float
) -> list[dict[str, Any]]:
    times = [fault["at"] for fault in faults]
    recovered = recoveries(variant["series"]["totalErrors"], times, duration)
    return [
        {
            **fault,
            "detectionSeconds": detection_seconds(variant, fault["at"], pods_hit(variant, fault)),
            "recoverySeconds": recovery.seconds,
        }
        for fault, recovery in zip(faults, recovered, strict=True)
    ]
