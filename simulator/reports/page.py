"""The HTML page both reports share: plotly.js embedded from the plotly Python package, the data
as JSON in the page, no request to the network (a report is opened from a file, offline)."""

from __future__ import annotations

import html
import json
import platform
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from typing import Any

VERSIONED_PACKAGES = ("plotly", "PyYAML", "numpy")

STYLE = """
body{font-family:system-ui,'Noto Sans CJK KR',sans-serif;margin:2rem auto;max-width:1200px;
padding:0 1rem;color:#1b1f24}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccd}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid #ccd;padding:.25rem .5rem;text-align:right;vertical-align:top}
th:first-child,td:first-child,td.text{text-align:left}
pre{background:#f4f5f7;padding:1rem;overflow:auto;font-size:.8rem}
.chart{height:320px}.error{color:#b00020;font-weight:600}.warning{color:#8a5a00;font-weight:600}
.muted{color:#667}
"""


def escape(value: Any) -> str:
    return html.escape(str(value))


def table(header: Sequence[str], rows: Iterable[Sequence[Any]], text_columns: int = 1) -> str:
    """An HTML table; the first ``text_columns`` columns are left-aligned text."""
    head = "".join(f"<th>{escape(cell)}</th>" for cell in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="text">{escape(cell)}</td>'
            if index < text_columns
            else f"<td>{escape(cell)}</td>"
            for index, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element (no ``</script>`` can end it early)."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def versions() -> dict[str, str]:
    """The versions a report was made with: Python and the packages that shaped it."""
    found = {"python": platform.python_version()}
    for package in VERSIONED_PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def plotly_js() -> str:
    """plotly.min.js from the plotly Python package (never fetched from the network)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def page(
    title: str,
    sections: Sequence[str],
    charts: Mapping[str, Mapping[str, Any]],
    lang: str = "en",
) -> str:
    """The whole document. ``charts`` maps a div id to ``{"data": [...], "layout": {...}}``;
    each is drawn with Plotly into ``<div id=...>`` (the div must be in ``sections``)."""
    drawing = (
        "const charts = JSON.parse(document.getElementById('chart-data').textContent);\n"
        "for (const [id, chart] of Object.entries(charts)) {\n"
        "  Plotly.newPlot(id, chart.data, chart.layout, {responsive: true, displaylogo: false});\n"
        "}\n"
    )
    listed = "".join(
        f"<li>{escape(name)} {escape(version)}</li>" for name, version in versions().items()
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; "
        'font-src data:">'
        f"<style>{STYLE}</style></head><body>"
        + "".join(sections)
        + f"<h2>Versions</h2><ul>{listed}</ul>"
        + f'<script id="chart-data" type="application/json">{script_json(charts)}</script>'
        + f"<script>{plotly_js()}</script>"
        + f"<script>{drawing}</script></body></html>\n"
    )
