"""``check --html FILE``: the check as a page to keep — assumptions, each workload's drills as a
chart and a table, the findings with their evidence and the verdicts on their suggestions, the
manifests."""

from __future__ import annotations

import json
from typing import Any

import yaml

from simulator.advisor.check import CheckReport
from simulator.reports.page import escape, page, table
from simulator.reports.palette import CAUSE_COLOURS
from simulator.results.series import CAUSES


def check_report_html(report: CheckReport) -> str:
    """The report page of a check (``check_manifests``)."""
    assumed = report.assumptions.as_dict()
    sections = [
        "<h1>Probe check</h1>",
        "<h2>Assumptions</h2>",
        table(["assumption", "value"], [[name, value] for name, value in assumed.items()]),
    ]
    if report.cannot_judge:
        sections += [
            "<h2>Cannot judge</h2>",
            "<p>These decide the outcome and are not modelled: no verdict (exit status 2).</p>",
            "<ul>"
            + "".join(
                f'<li data-cannot-judge="{escape(item.object)}">{escape(item.object)}: '
                f"{escape(item.message)}</li>"
                for item in report.cannot_judge
            )
            + "</ul>",
        ]
    for service in report.services:
        selects = ", ".join(service.selects) or "no pod"
        sections.append(f"<p>{escape(service.item.label)} selects: {escape(selects)}</p>")
        if service.findings:
            sections.append(_findings(service.findings))
    if report.skipped:
        skipped = ", ".join(item.label for item in report.skipped)
        sections.append(
            '<p class="muted">Skipped (not a Deployment, StatefulSet, Pod, Job or Service): '
            f"{escape(skipped)}</p>"
        )
    charts: dict[str, dict[str, Any]] = {}
    for index, workload in enumerate(report.workloads):
        chart_id = f"drills-{index}"
        label = workload.item.label
        sections += [
            f"<h2>{escape(label)}</h2>",
            f'<p class="muted">{escape(workload.item.source)}</p>',
            *(
                f'<p class="blocked"><b>{escape(blocker.note(report.lang))}</b></p>'
                for blocker in workload.blocked_by
            ),
            f'<div class="chart" id="{chart_id}"></div>',
            table(
                ["drill", "requests", "errors", *CAUSES, "detection s", "recovery s", "restarts"],
                [
                    [
                        result.name,
                        result.requests,
                        result.errors,
                        *(result.errors_by_cause[cause] for cause in CAUSES),
                        _seconds(result.detection_seconds),
                        _seconds(result.recovery_seconds),
                        result.restarts,
                    ]
                    for result in workload.drills
                ],
            ),
        ]
        charts[chart_id] = _drill_chart(workload)
        sections.append(_findings(workload.findings))
        manifest = yaml.safe_dump(workload.item.manifest, sort_keys=False, allow_unicode=True)
        sections.append(
            f"<details><summary>Manifest</summary><pre>{escape(manifest)}</pre></details>"
        )
    sections += [
        "<h2>JSON</h2>",
        "<details><summary>check --json</summary><pre>"
        + escape(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
        + "</pre></details>",
    ]
    return page("Probe check", sections, charts, report.lang)


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _drill_chart(workload) -> dict[str, Any]:
    names = [result.name for result in workload.drills]
    data = [
        {
            "type": "bar",
            "name": cause,
            "x": names,
            "y": [result.errors_by_cause[cause] for result in workload.drills],
            "marker": {"color": CAUSE_COLOURS[cause]},
        }
        for cause in CAUSES
    ]
    layout = {
        "barmode": "stack",
        "margin": {"t": 10, "r": 20, "b": 60, "l": 60},
        "yaxis": {"title": {"text": "failed requests"}},
        "legend": {"orientation": "h"},
    }
    return {"data": data, "layout": layout}


def _findings(findings) -> str:
    if not findings:
        return "<p>No findings: the probes held up in every drill.</p>"
    items = []
    for finding in findings:
        suggestion = finding.suggestion or {}
        verification = suggestion.get("verification", {})
        severity = escape(finding.severity)
        items.append(
            f'<li><span class="{severity}">{severity.upper()}</span> '
            f"[{escape(finding.container)}] <b>{escape(finding.rule)}</b>: "
            f"{escape(finding.message)}<br>{escape(suggestion.get('text', ''))}"
            f"<br><i>{escape(verification.get('text', ''))}</i></li>"
        )
    return "<h3>Findings</h3><ul>" + "".join(items) + "</ul>"
