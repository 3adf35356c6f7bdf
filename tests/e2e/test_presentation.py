"""Themes, projector mode and narrow screens: remembered, applied to the charts, laid out."""

import pytest

from .conftest import ARTIFACTS
from .run_page import WAIT_MS, lane_count, pause_at, start_run

pytestmark = pytest.mark.e2e


def chart_font_size(page):
    return page.evaluate("document.getElementById('lane-chart-0').layout.font.size")


def test_the_system_theme_is_the_default_and_a_chosen_one_is_remembered(page, live_server_url):
    page.emulate_media(color_scheme="dark")
    start_run(page, live_server_url)
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    pause_at(page, 200)
    small = chart_font_size(page)

    page.locator("#theme-toggle").click()
    page.locator("#projector-toggle").click()
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    page.wait_for_function(
        "(small) => document.getElementById('lane-chart-0').layout.font.size > small",
        arg=small,
        timeout=WAIT_MS,
    )

    page.reload()
    page.wait_for_function("() => window.podviz.drawnTime === 200", timeout=WAIT_MS)
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    assert page.evaluate("document.documentElement.dataset.projector") == "on"
    assert chart_font_size(page) > small
    assert page.locator("#projector-toggle").get_attribute("aria-pressed") == "true"


def test_lanes_stand_side_by_side_on_a_laptop_and_stack_when_narrow(page, live_server_url):
    start_run(page, live_server_url)
    pause_at(page, 450)
    lanes = page.locator(".lane")
    tops = {round(lanes.nth(i).bounding_box()["y"]) for i in range(lane_count(page))}
    assert len(tops) == 1  # one row at 1280 px

    page.set_viewport_size({"width": 560, "height": 900})
    page.wait_for_function(
        "() => { const lanes = document.querySelectorAll('.lane');"
        " return lanes[1].getBoundingClientRect().top > lanes[0].getBoundingClientRect().bottom; }",
        timeout=WAIT_MS,
    )
    boxes = [lanes.nth(i).bounding_box() for i in range(lane_count(page))]
    assert len({round(box["x"]) for box in boxes}) == 1  # one column
    assert all(box["x"] + box["width"] <= 560 for box in boxes)
    # The charts follow the width of their lane.
    page.wait_for_function(
        "() => document.getElementById('lane-chart-0').layout.width"
        " <= document.querySelector('.lane').clientWidth",
        timeout=WAIT_MS,
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "run-page-narrow.png"), full_page=True)
