"""A lesson with the serving model in a real browser: the latency panel, the probes' timeout
lines and the serving model's causes, compared with the headless run of the same scenario."""

from pathlib import Path

import pytest

from .run_page import WAIT_MS, chart_traces, headless_results, pause_at, start_run

pytestmark = pytest.mark.e2e

SLUG = "liveness-death-spiral"
# The spike runs from 60 s to 180 s; by 150 s every lane has been through the worst of it.
PAUSE_AT = 150
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def drawn_by_time(trace):
    return dict(zip(trace["x"], trace["y"], strict=True))


def test_the_latency_panel_and_the_serving_causes_show_what_the_engine_measured(
    page, live_server_url
):
    start_run(page, live_server_url, SLUG)
    pause_at(page, PAUSE_AT)
    results = {variant["name"]: variant for variant in headless_results(SLUG)["variants"]}
    names = page.evaluate("window.podviz.lanes")
    assert names == list(results)
    timeouts = {}
    for lane, name in enumerate(names):
        series = results[name]["series"]
        [p50, p99] = chart_traces(page, lane, "latency")
        assert [p50["meta"]["quantile"], p99["meta"]["quantile"]] == ["p50", "p99"]
        drawn = drawn_by_time(p99)
        # The drawn p99 is the engine's, second by second, up to the pause.
        for time, value in drawn.items():
            assert value == series["latencyP99"][time], (name, time)
        lines = chart_traces(page, lane, "probeTimeout")
        timeouts[name] = sorted(trace["meta"]["timeoutSeconds"] for trace in lines)
        for line in lines:
            assert len(set(line["y"])) == 1
        # Every cause the engine counted before the pause is drawn with the same counts.
        errors = {
            trace["meta"]["cause"]: drawn_by_time(trace)
            for trace in chart_traces(page, lane, "errors")
        }
        assert list(errors) == list(series["errorsByCause"])
        for cause, by_time in errors.items():
            assert by_time, (name, cause)
            for time, value in by_time.items():
                assert value == series["errorsByCause"][cause][time], (name, cause, time)
        queue_full = sum(series["errorsByCause"]["QueueFull"][:PAUSE_AT])
        assert queue_full > 0
        assert sum(errors["QueueFull"].values()) > 0
    # The lesson's claim as the page shows it: the p99 climbs past the liveness probe's 1 s
    # timeout where the probe waits with the clients; served apart, the probe has no line.
    assert timeouts == {
        "shared-liveness": [1],
        "health-served-apart": [],
        "long-timeout": [10],
        "no-liveness": [],
    }
    shared = drawn_by_time(chart_traces(page, 0, "latency")[1])
    assert any(value is not None and value > 1 for value in shared.values())

    # The probe strip marks a timed-out attempt as a timeout, not a failure: the liveness probe
    # waiting with the clients times out; served apart, it never does.
    def liveness_results(lane):
        attempts = page.evaluate("(lane) => window.podviz.probes(lane)", lane)
        return {a["result"] for a in attempts if a["probeType"] == "liveness"}

    assert "timeout" in liveness_results(0)
    assert "timeout" not in liveness_results(1)
    # The key and the summary name the serving causes.
    legend = page.locator(".legend .serving-only")
    assert legend.count() == 3 and all(legend.nth(i).is_visible() for i in range(3))
    # The summary has a column for each cause some lane counted before the pause.
    shown = page.evaluate(
        "[...document.querySelectorAll('#summary th[data-cause]')]"
        ".filter(th => !th.hidden).map(th => th.dataset.cause)"
    )
    counted = [
        cause
        for cause in next(iter(results.values()))["series"]["errorsByCause"]
        if any(sum(lane["series"]["errorsByCause"][cause][:PAUSE_AT]) for lane in results.values())
    ]
    assert "QueueFull" in counted
    assert shown == counted
    titles = page.locator(".lane").first.locator(".panel-title").all_text_contents()
    assert any(title.startswith("Latency") for title in titles), titles

    take_screenshots(page)


def take_screenshots(page):
    """The page at a projector's 1280 x 720, light and in projector mode, for a person to look
    at (test-artifacts/serving-*.png)."""
    page.set_viewport_size({"width": 1280, "height": 720})
    SHOTS.mkdir(exist_ok=True)
    while page.evaluate("document.documentElement.dataset.theme") != "light":
        page.locator("#theme-toggle").click()
    for projector in ("off", "on"):
        if page.evaluate("document.documentElement.dataset.projector ?? 'off'") != projector:
            page.locator("#projector-toggle").click()
        page.wait_for_function(
            "(projector) => (document.documentElement.dataset.projector ?? 'off') === projector",
            arg=projector,
            timeout=WAIT_MS,
        )
        page.evaluate("document.querySelector('.lane').scrollIntoView()")
        page.screenshot(path=str(SHOTS / f"serving-light-projector-{projector}.png"))
        page.locator(".lane").first.screenshot(
            path=str(SHOTS / f"serving-lane-projector-{projector}.png")
        )
        page.screenshot(
            path=str(SHOTS / f"serving-light-projector-{projector}-full.png"), full_page=True
        )
