"""A fault injected by hand is applied to every lane alike, and marked on every lane's chart."""

import pytest

from .run_page import (
    WAIT_MS,
    chart_markers,
    lane_count,
    pause_at,
    share_traces,
    start_run,
)

pytestmark = pytest.mark.e2e


def test_a_node_broken_by_hand_is_annotated_and_applied_in_every_lane(page, live_server_url):
    start_run(page, live_server_url)
    pause_at(page, 20)
    page.select_option("#fault-action", "NodeDown")
    page.select_option("#fault-target", "node1")
    assert "node1 goes down" in page.locator("#fault-hint").text_content()
    page.get_by_role("button", name="Inject").click()
    page.wait_for_function(
        "() => window.podviz.injected.length === 1 && window.podviz.redraws > 0", timeout=WAIT_MS
    )
    injected = page.evaluate("window.podviz.injected[0]")
    assert injected == {"at": 20, "action": "NodeDown", "node": "node1"}

    pause_at(page, 100)
    for lane in range(lane_count(page)):
        markers = chart_markers(page, lane)
        marker = next(m for m in markers if m["time"] == 20)
        assert marker["kind"] == "injected" and "NodeDown" in marker["text"]
        assert "node1 goes down" in marker["tip"]
        events = page.evaluate("(lane) => window.podviz.events(lane)", lane)
        detected = next(
            event["time"]
            for event in events
            if event["reason"] == "NodeNotReady" and event["object"] == "Node/node1"
        )
        assert detected > 20
        detection = next(m for m in markers if detected in m["times"])
        assert "node1 missed heartbeats" in detection["tip"]
        pods = page.evaluate("(lane) => window.podviz.pods(lane)", lane)
        victim = next(pod["name"] for pod in pods if pod["node"] == "node1")
        share = share_traces(page, lane)[victim]
        by_second = dict(zip(share["x"], share["y"], strict=True))
        assert all(by_second[t] == 0 for t in range(int(detected) + 2, 100))
