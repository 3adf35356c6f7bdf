"""Every number the page shows is the engine's: the same as `python -m simulator run --json`."""

import pytest

from .run_page import WAIT_MS, chart_traces, headless_results, lane_count, start_run

pytestmark = pytest.mark.e2e

CAUSES = ("NoEndpoints", "ConnectionRefused", "Timeout", "ServerError")


def test_every_lane_equals_the_headless_run_of_the_same_scenario(page, live_server_url):
    start_run(page, live_server_url)
    page.locator("#to-end").click()
    page.wait_for_function(
        "() => window.podviz.finished && window.podviz.drawnTime === window.podviz.duration",
        timeout=WAIT_MS,
    )
    expected = headless_results("seed-story")
    assert page.evaluate("window.podviz.lanes") == [v["name"] for v in expected["variants"]]

    summary = page.evaluate(
        """() => [...document.querySelectorAll('#summary tbody tr')]
            .map(row => [...row.cells].map(cell => cell.textContent))"""
    )
    for lane in range(lane_count(page)):
        variant = expected["variants"][lane]
        want = variant["series"]
        got = page.evaluate("(lane) => window.podviz.series(lane)", lane)
        assert got["offset"] == 0
        assert got["time"] == want["time"]
        assert got["requests"] == want["requests"]
        assert got["errors"] == want["errors"]
        assert got["errorsByCause"] == want["errorsByCause"]
        assert got["readyEndpoints"] == want["readyEndpoints"]
        totals = page.evaluate("(lane) => window.podviz.totals(lane)", lane)
        for key in ("requests", "errors", "errorsByCause"):
            assert totals[key] == variant["totals"][key]

        # The charts draw exactly these numbers: shares of the requests per second ...
        shares = {trace["meta"]["pod"]: trace for trace in chart_traces(page, lane, "share")}
        for second, time in enumerate(want["time"]):
            total = sum(points[second] for points in want["requests"].values())
            total += want["noEndpointErrors"][second]
            for pod, points in want["requests"].items():
                share = shares[pod]
                assert share["x"][second] == time
                assert share["y"][second] == pytest.approx(100 * points[second] / total)
        # ... and the errors per second by cause.
        for trace in chart_traces(page, lane, "errors"):
            assert trace["y"] == want["errorsByCause"][trace["meta"]["cause"]]

        # The summary table: the share failed in the score window, requests, the errors by
        # cause, the error count.
        row = [cell.replace(",", "") for cell in summary[lane]]
        assert row[1] == f"{variant['score']['failedPercent']:.1f} %"
        assert row[2] == str(totals["requests"])
        assert row[3:7] == [str(totals["errorsByCause"][cause]) for cause in CAUSES]
        assert row[7].startswith(f"{totals['errors']} (")
