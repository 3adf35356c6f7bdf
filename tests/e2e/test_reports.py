"""Reports open offline: the HTML file alone, every request to anything but the file blocked,
and the charts are drawn from the run's data."""

from __future__ import annotations

import subprocess
import sys

import pytest

from simulator.advisor.examples import EXAMPLES
from tests.support.devserver import ROOT

pytestmark = pytest.mark.e2e


def offline(page, path):
    """Opens ``path`` with every request that is not for the file itself failed; returns the
    list of URLs that were blocked."""
    blocked: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if url == path.as_uri():
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    return blocked


def drawn_traces(page) -> list[dict]:
    """Each drawn Plotly graph's trace names, the x range of its data, and how many SVG bars
    and line paths it has."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.js-plotly-plot')].map(div => ({
            id: div.id,
            names: div.data.map(trace => trace.name),
            lastX: Math.max(...div.data.flatMap(trace => trace.x)),
            bars: div.querySelectorAll('g.point path').length,
            lines: div.querySelectorAll('g.scatterlayer path.js-line').length,
        }))"""
    )


def test_run_report_opens_offline_with_its_charts_drawn(page, tmp_path):
    output = tmp_path / "seed-story.html"
    subprocess.run(
        [sys.executable, "-m", "simulator", "report", "seed-story", "-o", str(output)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    blocked = offline(page, output)
    page.wait_for_function(
        "document.querySelectorAll('.js-plotly-plot').length === 8"
        " && [...document.querySelectorAll('.js-plotly-plot')]"
        ".every(div => div.querySelector('g.scatterlayer path.js-line'))"
    )
    everything = drawn_traces(page)
    charts = [chart for chart in everything if chart["id"].startswith("chart-")]
    traffic = [chart for chart in everything if chart["id"].startswith("traffic-")]
    assert [chart["id"] for chart in charts] == ["chart-0", "chart-1", "chart-2", "chart-3"]
    # Traffic per pod: web-1, web-2 and web-2's replacement web-3 in every lane.
    assert all(chart["names"] == ["web-1", "web-2", "web-3"] for chart in traffic)
    for chart in charts:
        assert chart["names"][-1] == "ready endpoints"
        # Simulated seconds up to the scenario's 900 s.
        assert chart["lastX"] == 899
        assert chart["lines"] == 1
    # The lane without probes fails requests: its bars are drawn.
    assert charts[0]["bars"] > 0
    assert page.locator("h1").inner_text().startswith("Node failure")
    assert "seed-story" in page.locator("pre").inner_text()
    assert page.get_by_text("NodeNotReady").first.is_visible()
    predicted = page.locator("h2:has-text('Predicted damage') + p + table")
    assert predicted.locator("tbody tr").count() == 8
    assert blocked == []
    assert output.with_suffix(".csv").read_text().startswith("variant,time,requests,errors")


def test_check_report_opens_offline_with_the_drills_drawn(page, tmp_path):
    output = tmp_path / "check.html"
    manifest = EXAMPLES["storefront"]
    subprocess.run(
        [sys.executable, "-m", "simulator", "check", str(manifest), "--html", str(output)],
        cwd=ROOT,
        check=False,
        capture_output=True,
    )
    blocked = offline(page, output)
    page.wait_for_function("() => document.querySelector('.js-plotly-plot g.point path') !== null")
    (chart,) = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot')].map(div => div.data[0].x)"
    )
    assert chart[0] == "node-failure" and chart[-1] == "dependency-outage"
    assert page.get_by_text("liveness-checks-dependency", exact=True).is_visible()
    assert blocked == []
