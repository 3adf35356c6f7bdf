"""Every built-in scenario plays to its end on the page, in English and Korean, and what is drawn
at the end is right: every lane's charts reach the clock, the whole lesson stays in view, the
strips are painted, marker labels do not pile up, and a run without a Service draws no traffic."""

import re

import pytest

from simulator.scenario.presets import list_presets

from .run_page import (
    WAIT_MS,
    chart_markers,
    headless_results,
    lane_count,
    overlapping_marker_labels,
    start_run,
    strip_pixels,
    switch_language,
)

pytestmark = pytest.mark.e2e

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def drawn_traces(page, lane):
    return page.evaluate(
        """(lane) => document.getElementById(`lane-chart-${lane}`).data.map(trace => ({
            kind: trace.meta.kind, x: trace.x, y: trace.y}))""",
        lane,
    )


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("slug", [preset.slug for preset in list_presets()])
def test_the_scenario_plays_to_its_end_and_looks_right(page, live_server_url, slug, language):
    switch_language(page, live_server_url, language)
    start_run(page, live_server_url, slug)
    page.locator("#to-end").click()
    page.wait_for_function(
        "() => window.podviz.finished && window.podviz.drawnTime === window.podviz.duration",
        timeout=WAIT_MS,
    )
    duration = page.evaluate("window.podviz.duration")
    has_traffic = any(
        variant["totals"]["requests"] > 0 for variant in headless_results(slug)["variants"]
    )
    for lane in range(lane_count(page)):
        series = page.evaluate("(lane) => window.podviz.series(lane)", lane)
        assert series["time"][-1] == duration - 1
        traces = drawn_traces(page, lane)
        assert traces, "a blank chart"
        for trace in traces:
            if trace["kind"] == "probeTimeout":  # a probe's timeout, a line across the axis
                assert trace["x"][-1] >= duration - 1, (trace["kind"], lane)
                continue
            assert trace["x"] and trace["x"][-1] == duration - 1, (trace["kind"], lane)
        kinds = {trace["kind"] for trace in traces}
        if has_traffic:
            assert {"share", "errors", "readyEndpoints"} <= kinds
        else:
            assert kinds == {"jobPods"}  # no empty traffic panels without a Service
            assert any(max(trace["y"]) > 0 for trace in traces)
        x_range = page.evaluate(
            "(lane) => document.getElementById(`lane-chart-${lane}`).layout.xaxis.range", lane
        )
        assert x_range[0] <= 0 and x_range[1] >= duration  # the whole lesson in view
        assert strip_pixels(page, lane, 0, duration) > 0, "blank pod strips"
        assert strip_pixels(page, lane, duration - 10, duration) > 0, "strips stop before the end"
        assert overlapping_marker_labels(page, lane) == []
    titles = page.locator(".lane").first.locator(".panel-title").all_text_contents()
    assert any("Traffic" in t or "트래픽" in t for t in titles) == has_traffic
    if language == "ko":
        assert all(HANGUL.search(title) for title in titles), titles
    assert page.locator("#play-pause").is_disabled()


def test_a_crash_loop_keeps_its_first_restarts_in_view_at_its_end(page, live_server_url):
    start_run(page, live_server_url, "crashloop-backoff")
    page.locator("#to-end").click()
    page.wait_for_function(
        "() => window.podviz.finished && window.podviz.drawnTime === window.podviz.duration",
        timeout=WAIT_MS,
    )
    for lane, variant in enumerate(headless_results("crashloop-backoff")["variants"]):
        restarts = [
            event["time"]
            for event in variant["events"]
            if event["reason"] == "Started" and event["count"] > 1
        ]
        assert restarts[:4] == [3, 13, 33, 73]  # after 0, 10, 20 and 40 s of back-off
        drawn = [time for marker in chart_markers(page, lane) for time in marker["times"]]
        assert set(restarts[:4]) <= set(drawn)
        tips = " ".join(marker["tip"] for marker in chart_markers(page, lane))
        assert "CrashLoopBackOff" in tips
