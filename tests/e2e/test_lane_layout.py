"""Lanes comparable at a glance, and a projector layout read from the back of a room.

Measured on what the browser drew: the boxes of the Plotly plot areas, the panel titles and the
strips' canvas, the computed sizes of the text, the drawn SVG tick labels.
"""

import pytest

from .run_page import (
    WAIT_MS,
    lane_count,
    lane_geometry,
    overlapping_marker_labels,
    pause_at,
    start_run,
    switch_language,
)

pytestmark = pytest.mark.e2e


def assert_lanes_line_up(geometry):
    first = geometry[0]
    for lane in geometry[1:]:
        assert len(lane["plots"]) == len(first["plots"]) > 0
        for mine, theirs in zip(lane["plots"], first["plots"], strict=True):
            assert mine["y"] == pytest.approx(theirs["y"], abs=0.5)
            assert mine["height"] == pytest.approx(theirs["height"], abs=0.5)
        assert [t["y"] for t in lane["titles"]] == pytest.approx(
            [t["y"] for t in first["titles"]], abs=0.5
        )
        assert lane["strips"]["y"] == pytest.approx(first["strips"]["y"], abs=0.5)
        assert lane["strips"]["height"] == pytest.approx(first["strips"]["height"], abs=0.5)
        assert lane["yRanges"] == first["yRanges"]  # one y scale per panel for every lane


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_lanes_panels_sit_on_the_same_pixel_rows(page, live_server_url, language):
    # seed-story: titles of different lengths, lanes with no, one and two kinds of probes.
    switch_language(page, live_server_url, language)
    start_run(page, live_server_url)
    pause_at(page, 450)
    geometry = lane_geometry(page)
    assert len(geometry) == lane_count(page) == 4
    assert len({round(lane["chart"]["x"]) for lane in geometry}) == 4  # side by side
    assert_lanes_line_up(geometry)
    # Each lane says how it compares with the best one.
    scores = page.locator(".lane-score").all_text_contents()
    assert all(scores) and len(scores) == 4
    ranks = [page.locator(".lane-score").nth(i).get_attribute("data-rank") for i in range(4)]
    assert "best" in ranks and "behind" in ranks


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_projector_mode_shows_four_lanes_and_their_traffic_in_the_first_screen(
    page, live_server_url, size
):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server_url + "/")
    page.evaluate("localStorage.setItem('podviz.projector', 'on')")
    start_run(page, live_server_url)
    assert page.evaluate("document.documentElement.dataset.projector") == "on"
    pause_at(page, 450)
    page.evaluate("window.scrollTo(0, 0)")
    geometry = lane_geometry(page)
    assert len({round(lane["chart"]["y"]) for lane in geometry}) == 1
    assert len({round(lane["chart"]["x"]) for lane in geometry}) == 4
    for lane in geometry:
        share = lane["plots"][0]  # the traffic share, the top panel
        assert lane["chart"]["x"] >= 0 and lane["chart"]["x"] + lane["chart"]["width"] <= width
        assert share["y"] + share["height"] <= height, "traffic share below the first screen"
    assert_lanes_line_up(geometry)

    sizes = page.evaluate(
        """() => {
            const px = (element) => parseFloat(getComputedStyle(element).fontSize);
            const svg = (element) =>
                parseFloat(element.style.fontSize || getComputedStyle(element).fontSize);
            const texts = (selector) => [...document.querySelectorAll(selector)];
            return {
                overlay: texts(
                    '.panel-title, .row-label, .row-pod, .marker-label, .lane-score').map(px),
                ticks: texts('.lane-chart .xtick text, .lane-chart .ytick text').map(svg),
            };
        }"""
    )
    assert sizes["overlay"] and min(sizes["overlay"]) >= 16
    assert sizes["ticks"] and min(sizes["ticks"]) >= 16
    for lane in range(lane_count(page)):
        assert overlapping_marker_labels(page, lane) == []


def test_marker_labels_never_pile_up_and_repeats_are_merged(page, live_server_url):
    # liveness-shared-dependency: dozens of liveness kills and replacements close together.
    start_run(page, live_server_url, "liveness-shared-dependency")
    page.locator("#to-end").click()
    page.wait_for_function(
        "() => window.podviz.finished && window.podviz.drawnTime === window.podviz.duration",
        timeout=WAIT_MS,
    )
    merged = 0
    for lane in range(lane_count(page)):
        assert overlapping_marker_labels(page, lane) == []
        counts = page.evaluate(
            """(lane) => [...document.querySelectorAll('.lane')[lane]
                .querySelectorAll('.marker-label')].map(label => ({
                    times: label.dataset.times.split(' ').length,
                    text: label.querySelector('.marker-text').textContent,
                    tip: label.querySelectorAll('.marker-tip b').length}))""",
            lane,
        )
        for label in counts:
            assert label["tip"] == label["times"]  # every merged marker keeps its detail
            if label["times"] > 1:
                merged += 1
                assert (
                    f"×{label['times']}" in label["text"]
                    or f"+{label['times'] - 1}" in (label["text"])
                )
    assert merged > 0
