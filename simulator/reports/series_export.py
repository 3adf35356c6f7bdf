"""A run's per-second series as CSV and JSON, the files a report comes with."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import Any

from simulator.results.series import CAUSES

CSV_COLUMNS = (
    "variant",
    "time",
    "requests",
    "errors",
    *CAUSES,
    "readyEndpoints",
    "routedEndpoints",
)


def series_rows(results: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per variant and simulated second: totals, errors by cause, endpoints."""
    rows = []
    for variant in results["variants"]:
        series = variant["series"]
        for index, time in enumerate(series["time"]):
            rows.append(
                {
                    "variant": variant["name"],
                    "time": time,
                    "requests": series["totalRequests"][index],
                    "errors": series["totalErrors"][index],
                    **{cause: series["errorsByCause"][cause][index] for cause in CAUSES},
                    "readyEndpoints": series["readyEndpoints"][index],
                    "routedEndpoints": series["routedEndpoints"][index],
                }
            )
    return rows


def series_csv(results: Mapping[str, Any]) -> str:
    """The rows of ``series_rows`` as CSV with a header line."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
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
