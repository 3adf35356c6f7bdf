"""A run's per-second series as CSV and JSON, the files a report comes with."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import Any

from simulator.results.series import CAUSES, SERVING_ONLY_CAUSES

CSV_COLUMNS = (
    "variant",
    "time",
    "requests",
    "errors",
    *CAUSES,
    "readyEndpoints",
    "routedEndpoints",
)
# Columns added when a variant has a serving model (docs/scenario-format.md "Results").
SERVING_COLUMNS = (*SERVING_ONLY_CAUSES, "latencyP50", "latencyP99")


def _has_serving(results: Mapping[str, Any]) -> bool:
    return any("latencyP50" in variant["series"] for variant in results["variants"])


def series_rows(results: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per variant and simulated second: totals, errors by cause, endpoints; with a
    serving model in some variant, also its causes and latency percentiles (empty in a variant
    without one, and a percentile is empty in a second that served nothing)."""
    rows = []
    serving = _has_serving(results)
    for variant in results["variants"]:
        series = variant["series"]
        for index, time in enumerate(series["time"]):
            extra: dict[str, Any] = {}
            if serving:
                extra = _serving_cells(series, index)
            rows.append(
                {
                    "variant": variant["name"],
                    "time": time,
                    "requests": series["totalRequests"][index],
                    "errors": series["totalErrors"][index],
                    **{cause: series["errorsByCause"][cause][index] for cause in CAUSES},
                    "readyEndpoints": series["readyEndpoints"][index],
                    "routedEndpoints": series["routedEndpoints"][index],
                    **extra,
                }
            )
    return rows


def _serving_cells(series: Mapping[str, Any], index: int) -> dict[str, Any]:
    """The serving columns of second ``index`` ("" for a variant without a serving model, and
    for a percentile of a second that served nothing)."""
    if "latencyP50" not in series:
        return dict.fromkeys(SERVING_COLUMNS, "")
    cells: dict[str, Any] = {
        cause: series["errorsByCause"][cause][index] for cause in SERVING_ONLY_CAUSES
    }
    for name in ("latencyP50", "latencyP99"):
        value = series[name][index]
        cells[name] = "" if value is None else value
    return cells


def series_csv(results: Mapping[str, Any]) -> str:
    """The rows of ``series_rows`` as CSV with a header line."""
    out = io.StringIO()
    columns = (*CSV_COLUMNS, *SERVING_COLUMNS) if _has_serving(results) else CSV_COLUMNS
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(series_rows(results))
    return out.getvalue()


def series_json(results: Mapping[str, Any], predictions: list[dict[str, Any]]) -> str:
    """``{"scenario", "seed", "duration", "variants": [{"name", "series"}],
    "predictedDamage": [...]}`` (``Prediction.as_dict`` entries)."""
    document = {
        "scenario": results["scenario"],
        "seed": results["seed"],
        "duration": results["duration"],
        "variants": [
            {"name": variant["name"], "series": variant["series"]}
            for variant in results["variants"]
        ],
        "predictedDamage": predictions,
    }
    return json.dumps(document, ensure_ascii=False)
