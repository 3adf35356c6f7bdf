"""A server restart from the page's side: when its run is gone for good (a restart brings a
recorded run back; this one's record was cleaned up meanwhile), the page says so, stops the
controls that cannot work, and starts the same scenario again at the same time and speed in one
click."""

import sqlite3

import pytest

from tests.support.devserver import free_port, start_server

from .run_page import WAIT_MS, pause_at

pytestmark = pytest.mark.e2e


@pytest.fixture
def restartable_server(tmp_path):
    """A Daphne process of its own, which the test may stop and start again on the same port."""
    port = free_port()
    database = tmp_path / "restart.sqlite3"
    servers = []
    log = (tmp_path / "daphne.log").open("a")

    def forget_runs():
        with sqlite3.connect(database) as connection:
            connection.execute("DELETE FROM podviz_classrun")

    def start():
        servers.append(start_server(port, database, log))

    def stop():
        servers[-1].terminate()
        servers[-1].wait(timeout=10)

    start()
    yield f"http://127.0.0.1:{port}", start, stop, forget_runs
    for server in servers:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=10)
    log.close()


@pytest.fixture
def page_across_restarts(browser, restartable_server):
    """A page failing the test on any console error but the refused reconnections while the
    server is down, which Chromium logs as errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    page.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and "ERR_CONNECTION_REFUSED" not in msg.text
            and problems.append(msg.text)
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert not problems, f"console errors: {problems}"


def test_after_a_restart_the_page_says_so_and_starts_the_scenario_again(
    restartable_server, page_across_restarts
):
    base, start, stop, forget_runs = restartable_server
    page = page_across_restarts
    page.goto(base + "/scenarios/seed-story/play?speed=5")
    page.wait_for_function("() => window.podviz && window.podviz.statesReceived > 0")
    first_run = page.url
    pause_at(page, 130)

    stop()
    page.wait_for_function("() => window.podviz.status === 'reconnecting'", timeout=WAIT_MS)
    forget_runs()
    start()
    page.wait_for_function("() => window.podviz.status === 'gone'", timeout=WAIT_MS)

    notice = page.locator(".notice", has_text="This run is gone")
    notice.wait_for()
    for control in ("#play-pause", "#step", "#speed", "#to-end", "#restart", "#seek"):
        assert page.locator(control).is_disabled(), control
    assert page.get_by_role("button", name="Inject").is_disabled()
    assert all(page.evaluate("[...document.querySelectorAll('.story-step')].map(b => b.disabled)"))
    page.keyboard.press("Space")  # shortcuts no longer send commands nobody can answer
    assert page.locator(".notice", has_text="Not connected").count() == 0

    notice.get_by_role("button", name="Start it again at 2:10, 5×").click()
    page.wait_for_url("**/runs/*/")
    assert page.url != first_run
    page.wait_for_function(
        "() => window.podviz.statesReceived > 0 && window.podviz.time >= 130", timeout=WAIT_MS
    )
    assert page.evaluate("window.podviz.speed") == 5
    page.wait_for_function(
        # Plotly may not have drawn the new page's lane yet: until then it has no data.
        """() => (document.getElementById('lane-chart-0').data || [])
            .some(trace => trace.x && trace.x.length && trace.x[trace.x.length - 1] >= 130)""",
        timeout=WAIT_MS,
    )
