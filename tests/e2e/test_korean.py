"""The language switch: the page, its JavaScript strings and the scenario speak Korean."""

import re

import pytest

from .run_page import WAIT_MS, start_run

pytestmark = pytest.mark.e2e

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def test_switching_to_korean_translates_the_page_charts_and_story(page, live_server_url):
    page.goto(live_server_url + "/")
    page.locator(".language-switch button[value='ko']").click()
    page.wait_for_function("() => document.documentElement.lang === 'ko'", timeout=WAIT_MS)
    assert page.locator("h1").text_content() == "시나리오"

    start_run(page, live_server_url)
    page.wait_for_function("() => window.podviz.redraws > 0", timeout=WAIT_MS)
    assert HANGUL.search(page.locator("h1").text_content())
    assert page.locator("#play-pause").text_content() in ("재생", "일시정지")
    assert HANGUL.search(page.locator("#connection").text_content())
    assert HANGUL.search(page.locator(".story-text").text_content())
    # Strings built in JavaScript come from the Korean catalog.
    assert "트래픽" in page.locator(".lane .panel-title").first.text_content()
    assert HANGUL.search(
        page.evaluate("document.getElementById('lane-chart-0').layout.xaxis.title.text")
    )
    # Kubernetes keeps its own words: kubectl's columns are as kubectl prints them.
    assert page.locator(".pod-table thead th").first.text_content() == "NAME"

    page.locator(".language-switch button[value='en']").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=WAIT_MS)
    page.wait_for_function("() => window.podviz && window.podviz.redraws > 0", timeout=WAIT_MS)
    assert page.locator("#play-pause").text_content() in ("Play", "Pause")
