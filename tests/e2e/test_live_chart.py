"""The walking skeleton in a real browser: home page → a run → a chart fed over the WebSocket."""

import pytest

pytestmark = pytest.mark.e2e


def test_chart_fills_with_points_received_over_the_websocket(page, live_server_url):
    page.goto(live_server_url + "/")
    buttons = page.locator("button[data-scenario]")
    assert buttons.count() >= 1
    buttons.first.click()
    page.wait_for_url("**/runs/*/")
    # 20 or more points in the chart, all of them delivered by the socket (no page reload).
    page.wait_for_function(
        """() => {
            const chart = document.getElementById('share-0');
            return window.podviz && window.podviz.framesReceived > 1 && chart && chart.data
                && chart.data.length >= 2 && chart.data[0].x.length >= 20;
        }""",
        timeout=60_000,
    )
    shares = page.evaluate(
        """() => document.getElementById('share-0').data.map(trace => trace.y)"""
    )
    # The stacked shares of the pods add up to 100 % where there was traffic.
    totals = [round(sum(values), 6) for values in zip(*shares, strict=True)]
    assert any(total == 100 for total in totals)
    assert all(total in (0, 100) for total in totals)
    assert page.evaluate("window.podviz.connected") is True
