"""Reloading mid-run: the server's full state redraws the whole history."""

import pytest

from .run_page import WAIT_MS, chart_traces, lane_count, pause_at, pod_table, start_run

pytestmark = pytest.mark.e2e


def test_a_reload_mid_run_redraws_the_history(page, live_server_url):
    start_run(page, live_server_url)
    pause_at(page, 300)
    lanes = lane_count(page)
    before = [chart_traces(page, lane, "share") for lane in range(lanes)]
    tables = [pod_table(page, lane) for lane in range(lanes)]

    page.reload()
    page.wait_for_function(
        "() => window.podviz.statesReceived === 1 && window.podviz.drawnTime === 300",
        timeout=WAIT_MS,
    )
    assert page.evaluate("window.podviz.framesReceived") >= 1
    for lane in range(lanes):
        after = chart_traces(page, lane, "share")
        assert [trace["meta"] for trace in after] == [trace["meta"] for trace in before[lane]]
        for old, new in zip(before[lane], after, strict=True):
            assert len(new["x"]) == 300
            assert new["y"] == old["y"]
        assert pod_table(page, lane) == tables[lane]
