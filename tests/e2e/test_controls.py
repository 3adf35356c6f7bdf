"""The controls and shortcuts send their commands; server errors show and can be dismissed."""

import pytest

from .run_page import WAIT_MS, start_run

pytestmark = pytest.mark.e2e


def test_keyboard_shortcuts_pause_step_and_change_speed(page, live_server_url):
    start_run(page, live_server_url)
    page.locator("body").click(position={"x": 5, "y": 300})
    page.wait_for_function("() => window.podviz.playing", timeout=WAIT_MS)
    page.keyboard.press("Space")
    page.wait_for_function(
        "() => !window.podviz.playing && window.podviz.status === 'paused'", timeout=WAIT_MS
    )
    paused_at = page.evaluate("window.podviz.time")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(t) => window.podviz.time === t + 1", arg=paused_at, timeout=WAIT_MS)
    assert page.locator("#connection").text_content() == "PAUSED"
    page.keyboard.press("+")
    page.wait_for_function("() => window.podviz.speed === 2", timeout=WAIT_MS)
    page.keyboard.press("-")
    page.keyboard.press("-")
    page.wait_for_function("() => window.podviz.speed === 0.5", timeout=WAIT_MS)
    assert page.locator("#speed").input_value() == "0.5"
    page.keyboard.press("Space")
    page.wait_for_function(
        "() => window.podviz.playing && window.podviz.status === 'live'", timeout=WAIT_MS
    )
    assert page.locator("#connection").text_content() == "LIVE"


def test_a_refused_command_shows_a_dismissable_notice_and_the_page_keeps_working(
    page, live_server_url
):
    start_run(page, live_server_url)
    page.evaluate("window.podviz.send({type: 'seek', time: 99999})")
    notice = page.locator(".notice")
    notice.wait_for(timeout=WAIT_MS)
    assert "time" in notice.text_content()
    assert page.evaluate("window.podviz.errors[0].code") == "bad_value"
    notice.get_by_role("button", name="Dismiss").click()
    assert page.locator(".notice").count() == 0
    page.locator("#step").click()
    page.wait_for_function("() => !window.podviz.playing", timeout=WAIT_MS)
    stepped_from = page.evaluate("window.podviz.time")
    page.locator("#step").click()
    page.wait_for_function("(t) => window.podviz.time === t + 1", arg=stepped_from, timeout=WAIT_MS)
