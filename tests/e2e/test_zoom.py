"""One time axis for all lanes: a zoom in one lane's chart applies to every lane, and resets."""

import pytest

from .run_page import WAIT_MS, lane_count, pause_at, start_run

pytestmark = pytest.mark.e2e

RANGES = "() => [...document.querySelectorAll('.lane-chart')].map(c => c.layout.xaxis.range)"


def test_zooming_one_lane_zooms_them_all_and_reset_returns_to_the_live_window(
    page, live_server_url
):
    start_run(page, live_server_url)
    pause_at(page, 600)
    full = page.evaluate(RANGES)
    assert all(r == full[0] for r in full)

    chart = page.locator("#lane-chart-1")
    box = chart.bounding_box()
    layout = page.evaluate("document.getElementById('lane-chart-1').layout")
    left, right = layout["margin"]["l"], box["width"] - layout["margin"]["r"]
    y = box["y"] + layout["margin"]["t"] + 60
    page.mouse.move(box["x"] + left + 0.2 * (right - left), y)
    page.mouse.down()
    page.mouse.move(box["x"] + left + 0.4 * (right - left), y, steps=5)
    page.mouse.up()

    page.wait_for_function(
        f"() => {{ const r = ({RANGES})(); return r.every(x => x[1] - x[0] < 400"
        " && x[0] === r[0][0] && x[1] === r[0][1]); }",
        timeout=WAIT_MS,
    )
    start, end = page.evaluate(RANGES)[0]
    assert 100 < start < end < 500
    assert page.evaluate(RANGES) == [[start, end]] * lane_count(page)

    page.locator("#follow-live").click()
    page.wait_for_function(
        f"(full) => JSON.stringify(({RANGES})()) === JSON.stringify(full)",
        arg=full,
        timeout=WAIT_MS,
    )
    assert page.locator("#follow-live").is_hidden()
