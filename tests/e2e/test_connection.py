"""A lost connection: the page says RECONNECTING, reconnects by itself and redraws everything."""

import pytest

from .run_page import WAIT_MS, chart_traces, pause_at, start_run

pytestmark = pytest.mark.e2e


def test_a_dropped_connection_reconnects_and_redraws_from_the_servers_state(page, live_server_url):
    start_run(page, live_server_url)
    pause_at(page, 250)
    before = chart_traces(page, 0, "share")
    states = page.evaluate("window.podviz.statesReceived")

    page.evaluate("window.podviz.disconnect()")
    page.wait_for_function(
        "(states) => window.podviz.statesReceived > states && window.podviz.status === 'paused'",
        arg=states,
        timeout=WAIT_MS,
    )
    history = page.evaluate("window.podviz.statusHistory")
    assert history.index("reconnecting") < len(history) - 1
    assert history[-1] == "paused"
    assert page.locator("#connection").text_content() == "PAUSED"
    page.wait_for_function("() => window.podviz.drawnTime === 250", timeout=WAIT_MS)
    after = chart_traces(page, 0, "share")
    assert [trace["y"] for trace in after] == [trace["y"] for trace in before]
