"""Every built-in scenario plays to its end on the page, with every lane drawn and no errors."""

import pytest

from simulator.scenario.presets import list_presets

from .run_page import WAIT_MS, lane_count, start_run

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("slug", [preset.slug for preset in list_presets()])
def test_the_scenario_plays_to_its_end(page, live_server_url, slug):
    start_run(page, live_server_url, slug)
    page.locator("#to-end").click()
    page.wait_for_function(
        "() => window.podviz.finished && window.podviz.drawnTime === window.podviz.duration",
        timeout=WAIT_MS,
    )
    duration = page.evaluate("window.podviz.duration")
    for lane in range(lane_count(page)):
        series = page.evaluate("(lane) => window.podviz.series(lane)", lane)
        assert series["time"][-1] == duration - 1
        drawn = page.evaluate(
            "(lane) => document.getElementById(`lane-chart-${lane}`).data.length", lane
        )
        assert drawn > 0
    assert page.locator("#play-pause").is_disabled()
