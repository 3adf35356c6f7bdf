"""One sweep cell: the scenario with its values, run in the engine, and its figures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.engine.simulation import run_scenario
from simulator.runs.figures import fault_figures, pod_faults, restarts_after
from simulator.scenario.loader import load_scenario
from simulator.sweep.grid import with_values


def run_cell(document: Mapping[str, Any], values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The cells of one combination, one per variant (lane):
    ``{"values", "variant", "totals", "score", "detectionSeconds", "recoverySeconds",
    "restarts", "faults"}`` (``score``: the variant's in the score window,
    simulator/results/score.py).

    ``detectionSeconds`` and ``recoverySeconds`` are those of the first fault that hits pods
    (NodeDown, AppHang, AppUnresponsive, AppCrash); ``faults`` lists each such fault's. Raises
    ``ScenarioError`` when the values make the scenario invalid.
    """
    scenario = load_scenario(with_values(document, values))
    results = run_scenario(scenario)
    faults = pod_faults(scenario)
    cells = []
    for variant in results["variants"]:
        measured = fault_figures(variant, faults, results["duration"])
        first = measured[0] if measured else {"detectionSeconds": None, "recoverySeconds": None}
        cells.append(
            {
                "values": dict(values),
                "variant": variant["name"],
                "totals": variant["totals"],
                "score": variant["score"],
                "detectionSeconds": first["detectionSeconds"],
                "recoverySeconds": first["recoverySeconds"],
                "restarts": restarts_after(variant["pods"], 0.0),
                "faults": measured,
            }
        )
    return cells
