"""``report SCENARIO -o report.html``: one run as a page to keep — the same charts, summary,
events and narration as the live page, the scenario's YAML and the versions used."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from simulator.advisor.prediction import predicted_damage
from simulator.reports.page import escape, page, table
from simulator.reports.palette import CAUSE_COLOURS
from simulator.results.series import CAUSES, SERVING_CAUSES
from simulator.runs.figures import fault_figures, pod_faults, restarts_after
from simulator.scenario.types import Scenario

MAX_EVENTS_SHOWN = 300


def run_report_html(scenario: Scenario, results: Mapping[str, Any], lang: str = "en") -> str:
    """The report page of ``results`` (``run_scenario(scenario)``) in ``lang`` (en or ko)."""
    title = _localized(scenario.title, lang) or scenario.name
    faults = pod_faults(scenario)
    sections = [
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(_localized(scenario.description, lang))}</p>",
        f'<p class="muted">scenario {escape(scenario.name)}, seed {scenario.seed}, '
        f"duration {scenario.duration:g} s</p>",
        "<h2>Summary</h2>",
        _summary(results, faults),
    ]
    charts: dict[str, dict[str, Any]] = {}
    sections.append("<h2>Errors per second, ready endpoints, and traffic per pod</h2>")
    for index, variant in enumerate(results["variants"]):
        chart_id = f"chart-{index}"
        name = _localized(variant.get("title") or {}, lang) or variant["name"]
        sections.append(
            f'<h3>{escape(name)}</h3><div class="chart" id="{chart_id}"></div>'
            f'<div class="chart" id="traffic-{index}"></div>'
        )
        charts[chart_id] = _chart(variant)
        charts[f"traffic-{index}"] = _traffic_chart(variant)
    sections += [
        "<h2>Predicted damage</h2>",
        _predictions(scenario, results),
        "<h2>Narration</h2>",
        _narration(scenario, lang),
        "<h2>Events</h2>",
        *(_events(variant) for variant in results["variants"]),
        "<h2>Scenario</h2>",
        f"<pre>{escape(_yaml(scenario))}</pre>",
    ]
    return page(title, sections, charts, lang)


def _yaml(scenario: Scenario) -> str:
    return yaml.safe_dump(dict(scenario.source), sort_keys=False, allow_unicode=True)


def _localized(text: Mapping[str, str], lang: str) -> str:
    return text.get(lang) or text.get("en") or next(iter(text.values()), "")


def _causes(results: Mapping[str, Any]) -> tuple[str, ...]:
    """The causes of the results: the four, and the serving model's where a variant has it."""
    serving = any("QueueFull" in v["totals"]["errorsByCause"] for v in results["variants"])
    return SERVING_CAUSES if serving else CAUSES


def _summary(results: Mapping[str, Any], faults: list[dict[str, Any]]) -> str:
    causes = _causes(results)
    window = results["scoreWindow"]
    scored = "failed % in {:g}–{:g} s".format(window["start"], window["end"])
    header = ["variant", scored, "requests", "errors", "error %", *causes, "restarts"]
    header += [f"{fault['action']} @{fault['at']:g}s detect / recover" for fault in faults]
    rows = []
    for variant in results["variants"]:
        totals = variant["totals"]
        share = 100 * totals["errors"] / totals["requests"] if totals["requests"] else 0.0
        figures = fault_figures(variant, faults, results["duration"])
        failed = variant["score"]["failedPercent"]
        rows.append(
            [
                variant["name"],
                "—" if failed is None else f"{failed:.1f}",
                totals["requests"],
                totals["errors"],
                f"{share:.2f}",
                *(totals["errorsByCause"].get(cause, "") for cause in causes),
                restarts_after(variant["pods"], 0.0),
                *(
                    _seconds(figure["detectionSeconds"])
                    + " / "
                    + _seconds(figure["recoverySeconds"])
                    for figure in figures
                ),
            ]
        )
    return table(header, rows)


def _predictions(scenario: Scenario, results: Mapping[str, Any]) -> str:
    predictions = predicted_damage(scenario, results)
    if not predictions:
        return '<p class="muted">No pod fault (NodeDown, AppHang, AppUnresponsive, AppCrash).</p>'
    rows = [
        [
            prediction.variant,
            f"{prediction.action} @{prediction.at:g}s",
            ", ".join(prediction.pods),
            prediction.decided_by,
            "never" if prediction.window is None else "{:g}–{:g} s".format(*prediction.window),
            "{}–{}".format(*prediction.expected_errors),
            prediction.measured_errors,
            "yes" if prediction.in_band else "no",
            "; ".join(prediction.caveats),
        ]
        for prediction in predictions
    ]
    header = [
        "variant",
        "fault",
        "pods",
        "decided by",
        "detection window",
        "expected errors",
        "run",
        "in band",
        "may differ because",
    ]
    note = (
        '<p class="muted">Windows from Kubernetes\' timing (probe period × thresholds, timeout, '
        "node-monitor grace period); errors = request rate × the pods' share of endpoints × "
        "(window + endpoint propagation), ± 3 standard deviations.</p>"
    )
    return note + table(header, rows, text_columns=5)


def _seconds(value: float | None) -> str:
    return "never" if value is None else f"{value:g} s"


def _chart(variant: Mapping[str, Any]) -> dict[str, Any]:
    series = variant["series"]
    time = series["time"]
    data = [
        {
            "type": "bar",
            "name": cause,
            "x": time,
            "y": series["errorsByCause"][cause],
            "marker": {"color": CAUSE_COLOURS[cause]},
        }
        for cause in CAUSE_COLOURS
        if cause in series["errorsByCause"]
    ]
    data.append(
        {
            "type": "scatter",
            "mode": "lines",
            "name": "ready endpoints",
            "x": time,
            "y": series["readyEndpoints"],
            "yaxis": "y2",
            "line": {"color": "#2ca02c", "shape": "hv"},
        }
    )
    layout = {
        "barmode": "stack",
        "bargap": 0,
        "margin": {"t": 10, "r": 60, "b": 40, "l": 60},
        "xaxis": {"title": {"text": "simulated seconds"}},
        "yaxis": {"title": {"text": "errors / s"}, "rangemode": "tozero"},
        "yaxis2": {
            "title": {"text": "ready endpoints"},
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
        },
        "legend": {"orientation": "h"},
    }
    return {"data": data, "layout": layout}


def _traffic_chart(variant: Mapping[str, Any]) -> dict[str, Any]:
    """Requests per second routed to each pod, stacked: where the Service sent the traffic."""
    series = variant["series"]
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "stackgroup": "requests",
            "name": pod,
            "x": series["time"],
            "y": requests,
            "line": {"width": 0.5},
        }
        for pod, requests in series["requests"].items()
    ]
    layout = {
        "margin": {"t": 10, "r": 60, "b": 40, "l": 60},
        "xaxis": {"title": {"text": "simulated seconds"}},
        "yaxis": {"title": {"text": "requests / s per pod"}, "rangemode": "tozero"},
        "legend": {"orientation": "h"},
    }
    return {"data": data, "layout": layout}


def _narration(scenario: Scenario, lang: str) -> str:
    if not scenario.narration:
        return '<p class="muted">none</p>'
    rows = [
        [
            f"{step.at:g} s" if step.at is not None else f"at {step.event}",
            _localized(step.text, lang),
        ]
        for step in scenario.narration
    ]
    return table(["when", "text"], rows, text_columns=2)


def _events(variant: Mapping[str, Any]) -> str:
    events = variant["events"]
    rows = [
        [f"{event['time']:g}", event["type"], event["reason"], event["object"], event["message"]]
        for event in events[:MAX_EVENTS_SHOWN]
    ]
    more = len(events) - MAX_EVENTS_SHOWN
    note = f'<p class="muted">{more} more in the JSON export</p>' if more > 0 else ""
    return (
        f"<h3>{escape(variant['name'])}</h3>"
        + table(["time", "type", "reason", "object", "message"], rows, text_columns=5)
        + note
    )
