"""Seeking back and forward: a fresh full state replaces every buffer, and charts follow."""

import pytest

from .run_page import (
    WAIT_MS,
    chart_traces,
    lane_count,
    pause_at,
    pod_table,
    start_run,
    wait_drawn_at,
)

pytestmark = pytest.mark.e2e


def lane_view(page, lane):
    shares = {trace["meta"]["pod"]: trace for trace in chart_traces(page, lane, "share")}
    pods = [row[0] for row in pod_table(page, lane)]
    return shares, pods


def test_seek_back_and_forward_keeps_state_and_charts_consistent(page, live_server_url):
    start_run(page, live_server_url)
    lanes = lane_count(page)

    pause_at(page, 500)
    first_pass = [lane_view(page, lane) for lane in range(lanes)]
    assert page.locator("#clock").text_content().startswith("8:20")
    for shares, pods in first_pass:
        assert "web-3" in pods  # the replacement pod, created at 410 s
        assert all(trace["x"][-1] == 499 for trace in shares.values())

    states_before = page.evaluate("window.podviz.statesReceived")
    pause_at(page, 100)
    assert page.evaluate("window.podviz.statesReceived") > states_before
    assert page.evaluate("window.podviz.time") == 100
    assert page.locator("#seek").input_value() == "100"
    for lane in range(lanes):
        shares, pods = lane_view(page, lane)
        assert "web-3" not in pods and "web-3" not in shares
        assert all(len(trace["x"]) == 100 and trace["x"][-1] == 99 for trace in shares.values())
        events = page.evaluate("(lane) => window.podviz.events(lane)", lane)
        assert all(event["time"] <= 100 for event in events)
        markers = page.evaluate("(lane) => window.podviz.markers(lane)", lane)
        assert all(marker["time"] <= 100 for marker in markers)

    pause_at(page, 450)
    for lane in range(lanes):
        shares, pods = lane_view(page, lane)
        assert "web-3" in pods
        earlier_shares, _ = first_pass[lane]
        # The same seed gives the same past, however the clock got there.
        for pod, trace in shares.items():
            assert trace["y"] == earlier_shares[pod]["y"][:450]


def drawn_ends(page):
    """Per lane, the last x of every trace Plotly has drawn (None for an empty trace)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.lane-chart.js-plotly-plot')].map(chart =>
            chart.data.map(trace => trace.x.length ? trace.x[trace.x.length - 1] : null))"""
    )


def test_every_lane_is_redrawn_up_to_the_clock_after_each_seek_while_paused(page, live_server_url):
    start_run(page, live_server_url)
    page.evaluate("window.podviz.send({type: 'pause'})")
    page.wait_for_function("() => !window.podviz.playing", timeout=WAIT_MS)
    for time in (600, 640, 720):
        page.evaluate("(time) => window.podviz.send({type: 'seek', time})", time)
        wait_drawn_at(page, time)
        ends = drawn_ends(page)
        assert len(ends) == lane_count(page) == 4
        for lane in ends:
            assert [end for end in lane if end is not None], "a lane drew nothing"
            assert all(end == time - 1 for end in lane if end is not None), (time, lane)


def assert_drawn_up_to(page, time):
    for lane in drawn_ends(page):
        assert [end for end in lane if end is not None], "a lane drew nothing"
        assert all(end == time - 1 for end in lane if end is not None), (time, lane)


def test_every_lane_is_redrawn_up_to_the_clock_after_step_reconnect_speed_and_restart(
    page, live_server_url
):
    start_run(page, live_server_url)
    pause_at(page, 300)
    assert_drawn_up_to(page, 300)

    page.locator("#step").click()
    wait_drawn_at(page, 301)
    assert_drawn_up_to(page, 301)

    states = page.evaluate("window.podviz.statesReceived")
    page.evaluate("window.podviz.disconnect()")
    page.wait_for_function(
        "(states) => window.podviz.statesReceived > states && window.podviz.connected",
        arg=states,
        timeout=WAIT_MS,
    )
    wait_drawn_at(page, 301)
    assert_drawn_up_to(page, 301)

    page.evaluate("window.podviz.send({type: 'speed', speed: 5})")
    page.wait_for_function("() => window.podviz.speed === 5", timeout=WAIT_MS)
    wait_drawn_at(page, 301)
    assert_drawn_up_to(page, 301)

    page.evaluate("window.podviz.send({type: 'restart'})")
    page.wait_for_function(
        "() => window.podviz.playing && window.podviz.time >= 3", timeout=WAIT_MS
    )
    page.evaluate("window.podviz.send({type: 'pause'})")
    page.wait_for_function(
        "() => !window.podviz.playing && window.podviz.drawnTime === window.podviz.time",
        timeout=WAIT_MS,
    )
    now = page.evaluate("window.podviz.time")
    assert now < 300
    assert_drawn_up_to(page, int(now))
