"""The walking skeleton in a real browser: home page → a run → charts fed over the WebSocket."""

import pytest

from .run_page import WAIT_MS, chart_traces, lane_count, pause_at, start_run

pytestmark = pytest.mark.e2e


def test_every_lane_fills_with_points_received_over_the_websocket(page, live_server_url):
    start_run(page, live_server_url)
    lanes = lane_count(page)
    assert lanes == 4  # the seed's story: no probes, readiness, liveness, both
    page.select_option("#speed", "10")
    page.wait_for_function(
        """(lanes) => window.podviz.framesReceived > 5 && [...Array(lanes).keys()].every(i => {
            const chart = document.getElementById(`lane-chart-${i}`);
            return chart && chart.data && chart.data[0].x.length >= 20;
        })""",
        arg=lanes,
        timeout=WAIT_MS,
    )
    assert page.evaluate("window.podviz.connected") is True
    for lane in range(lanes):
        shares = [trace["y"] for trace in chart_traces(page, lane, "share")]
        # Pods and the "no endpoint" band are stacked to 100 % every second with traffic.
        totals = [
            round(sum(value or 0 for value in second), 6) for second in zip(*shares, strict=True)
        ]
        assert totals and all(total == 100 for total in totals)


def test_a_probe_waiting_for_its_container_says_so_and_then_probes(page, live_server_url):
    # A pod just created pulls its image for 2 s: its probe workers wait for the container,
    # which is not the same as no kubelet running them.
    start_run(page, live_server_url)
    pause_at(page, 1)
    chips = page.locator(".lane").nth(2).locator(".probe-chip")
    texts = chips.all_inner_texts()
    assert texts and all("waiting for its container to run" in text for text in texts)
    assert not any("no kubelet" in text for text in texts)
    # Started, before its first attempt: the kubelet's initial result, said to be one.
    pause_at(page, 3)
    liveness = chips.filter(has_text="livenessProbe").first.inner_text()
    assert "Success · initial value, not probed yet" in liveness
    pause_at(page, 20)
    texts = chips.all_inner_texts()
    assert texts and not any("waiting for its container" in text for text in texts)
