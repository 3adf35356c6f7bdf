"""A 40-replica run, whose full state (1.9 MB at 600 s) is larger than one WebSocket message
(Daphne's limit is 1 MiB), can be watched: it arrives in parts after a seek and a reconnect."""

import pytest

from tests.big_run import BIG_RUN_SLUG, big_run_yaml

from .conftest import EDITOR_USER
from .run_page import WAIT_MS, chart_traces

# Each redraw of a 40-replica run costs seconds in software-rendered Chromium, more on a busy
# machine: wait longer for its page (a bound on waiting, not a speed requirement).
BIG_WAIT_MS = 6 * WAIT_MS


pytestmark = pytest.mark.e2e


def save_big_run(page, base_url, replicas=40, duration=900, name=BIG_RUN_SLUG):
    # Saving a scenario needs a logged-in user.
    page.goto(base_url + "/accounts/login/?next=/editor/")
    page.locator("#id_username").fill(EDITOR_USER[0])
    page.locator("#id_password").fill(EDITOR_USER[1])
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/editor/")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        base_url + "/api/scenarios",
        data={"yaml": big_run_yaml(replicas=replicas, duration=duration, name=name)},
        headers={"X-CSRFToken": token, "Referer": base_url + "/editor/"},
    )
    assert response.status in (201, 400), response.text()
    if response.status == 400:  # saved by an earlier test of this session
        assert "already" in response.text()


def test_a_40_replica_run_is_drawn_after_a_seek_and_a_reconnect(page, live_server_url):
    save_big_run(page, live_server_url)
    page.goto(f"{live_server_url}/scenarios/{BIG_RUN_SLUG}/play?t=600")
    page.wait_for_function(
        "() => window.podviz && window.podviz.statesReceived > 0", timeout=BIG_WAIT_MS
    )
    assert page.evaluate("window.podviz.pods(0).length") >= 40
    page.evaluate("window.podviz.send({type: 'pause'})")
    page.evaluate("window.podviz.send({type: 'seek', time: 620})")
    page.wait_for_function(
        "() => window.podviz.drawnTime === 620 && !window.podviz.playing", timeout=BIG_WAIT_MS
    )
    drawn_until = page.evaluate(
        """() => Math.max(...document.getElementById('lane-chart-3').data
            .filter(trace => trace.x && trace.x.length)
            .map(trace => trace.x[trace.x.length - 1]))"""
    )
    assert drawn_until >= 619
    states = page.evaluate("window.podviz.statesReceived")
    page.evaluate("window.podviz.disconnect()")
    page.wait_for_function(
        "(n) => window.podviz.statesReceived > n && window.podviz.status === 'paused'",
        arg=states,
        timeout=BIG_WAIT_MS,
    )
    assert page.evaluate("window.podviz.lanes.length") == 4
    assert "reconnecting" in page.evaluate("window.podviz.statusHistory")


def test_a_200_replica_run_is_drawn_with_a_bounded_traffic_panel(page, live_server_url):
    save_big_run(page, live_server_url, replicas=200, duration=360, name="big-run-200")
    page.goto(f"{live_server_url}/scenarios/big-run-200/play?t=60")
    page.wait_for_function(
        "() => window.podviz && window.podviz.statesReceived > 0", timeout=BIG_WAIT_MS
    )
    page.evaluate("window.podviz.send({type: 'pause'})")
    page.evaluate("window.podviz.send({type: 'seek', time: 90})")
    page.wait_for_function(
        "() => window.podviz.drawnTime === 90 && !window.podviz.playing", timeout=BIG_WAIT_MS
    )
    assert page.evaluate("window.podviz.pods(0).length") >= 200
    for lane in range(4):
        shares = chart_traces(page, lane, "share")
        assert 3 <= len(shares) <= 10  # at most 8 pods, "other pods (k)", no endpoint
        others = [trace for trace in shares if trace["meta"].get("others")]
        assert len(others) == 1 and others[0]["meta"]["others"] >= 190
        assert max(trace["x"][-1] for trace in shares) >= 89
        last = [trace["y"][-1] or 0 for trace in shares]
        assert abs(sum(last) - 100) < 1e-6
        assert max(last) > 0
