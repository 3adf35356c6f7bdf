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


# What a teacher needs in the first screen at 1280×720, without scrolling: the controls, the
# question button of the class bar, the story's current step and the four lanes down to their
# traffic-share panels. In light mode too (a laptop's screen), and in both languages.
FIRST_SCREEN = {
    "play": "#play-pause",
    "seek": "#seek",
    "clock": "#clock",
    "ask": "#ask",
    "story": ".story-text",
    "current step": ".story-step[aria-current='step']",
}


@pytest.mark.parametrize("projector", ["on", "off"])
@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_first_screen_at_720p_holds_controls_story_and_the_lanes_traffic(
    page, live_server_url, language, projector
):
    width, height = 1280, 720
    page.set_viewport_size({"width": width, "height": height})
    switch_language(page, live_server_url, language)
    page.evaluate("(mode) => localStorage.setItem('podviz.projector', mode)", projector)
    start_run(page, live_server_url)
    assert page.evaluate("document.documentElement.dataset.projector") == projector
    pause_at(page, 450)
    page.evaluate("window.scrollTo(0, 0)")

    boxes = page.evaluate(
        """(selectors) => Object.fromEntries(Object.entries(selectors).map(([name, selector]) => {
            const element = document.querySelector(selector);
            if (!element) return [name, null];
            const rect = element.getBoundingClientRect();
            const style = getComputedStyle(element);
            const shown = rect.width > 0 && rect.height > 0 && style.visibility !== 'hidden';
            return [name, {top: rect.top, bottom: rect.bottom, left: rect.left, right: rect.right,
                           shown, text: element.textContent.trim()}];
        }))""",
        {**FIRST_SCREEN, "class bar": "#classroom"},
    )
    for name in FIRST_SCREEN:
        box = boxes[name]
        assert box and box["shown"], f"{name} is not shown"
        outside = f"{name} outside the first screen: {box}"
        assert box["top"] >= 0 and box["bottom"] <= height, outside
        assert box["left"] >= 0 and box["right"] <= width, outside
        assert box["text"] or name in ("seek",), f"{name} is empty"
    # The class bar clips what overflows it: the Ask button must lie inside it.
    assert boxes["ask"]["right"] <= boxes["class bar"]["right"]
    # The story shows the step the clock is in (6:55 ≤ 7:30 < 10:00).
    assert boxes["current step"]["text"].startswith("6:55")

    geometry = lane_geometry(page)
    assert len(geometry) == 4
    assert len({round(lane["chart"]["x"]) for lane in geometry}) == 4  # side by side
    for lane in geometry:
        share = lane["plots"][0]  # the traffic share, the top panel
        assert lane["chart"]["x"] >= 0 and lane["chart"]["x"] + lane["chart"]["width"] <= width
        assert share["y"] >= boxes["story"]["bottom"], "the story overlaps the charts"
        assert share["y"] + share["height"] <= height, "traffic share below the first screen"
    assert_lanes_line_up(geometry)
    # The time axis' labels stay level and above its title.
    axes = page.evaluate(
        """() => [...document.querySelectorAll('.lane-chart')].map(chart => ({
            ticks: [...chart.querySelectorAll('.xtick text')].map(text => ({
                bottom: text.getBoundingClientRect().bottom,
                transform: text.getAttribute('transform') || ''})),
            title: chart.querySelector('.g-xtitle text').getBoundingClientRect().top}))"""
    )
    for axis in axes:
        assert len(axis["ticks"]) >= 2
        assert max(tick["bottom"] for tick in axis["ticks"]) <= axis["title"]
        assert not [tick for tick in axis["ticks"] if "rotate" in tick["transform"]]
