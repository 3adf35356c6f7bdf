"""The lane score on the real page counts the lesson's score window and says which seconds."""

import pytest

from .run_page import WAIT_MS, headless_results, switch_language

pytestmark = pytest.mark.e2e

SLUG = "rolling-update-readiness"


def read_scores(page):
    return page.evaluate(
        """() => [...document.querySelectorAll('.lane .lane-score')].map(element => ({
            text: element.textContent,
            rank: element.dataset.rank,
            failedPercent: element.dataset.failedPercent,
            window: element.dataset.window,
        }))"""
    )


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_score_leaves_out_the_boot_and_names_its_window(page, live_server_url, language):
    switch_language(page, live_server_url, language)
    page.goto(f"{live_server_url}/scenarios/{SLUG}/play")
    page.wait_for_function("() => window.podviz && window.podviz.statesReceived > 0")
    page.evaluate("window.podviz.send({type: 'end'})")
    page.wait_for_function(
        "() => window.podviz.finished && window.podviz.drawnTime === window.podviz.duration",
        timeout=WAIT_MS,
    )
    results = headless_results(SLUG)
    window = results["scoreWindow"]
    scores = read_scores(page)
    expected = [f"{variant['score']['failedPercent']:.1f}" for variant in results["variants"]]
    assert [score["failedPercent"] for score in scores] == expected
    assert all(score["window"] == f"{window['start']:g}-{window['end']:g}" for score in scores), (
        scores
    )
    # The title says "none with it": the lane with a readiness probe shows 0.0 %, and is best.
    assert scores[1]["failedPercent"] == "0.0"
    assert scores[1]["rank"] == "best"
    assert all(score["failedPercent"] in score["text"] for score in scores)
    # Each errors chart greys the boot, the seconds not counted.
    greyed = page.evaluate(
        """() => [...document.querySelectorAll('.lane')]
            .map((_, lane) => document.getElementById(`lane-chart-${lane}`))
            .map(div => (div.layout.shapes || [])
              .filter(shape => (shape.name || '').startsWith('score window'))
              .map(shape => [shape.x0, shape.x1]))"""
    )
    assert greyed and all([0, window["start"]] in shapes for shapes in greyed), greyed


def test_before_the_window_opens_the_score_shows_no_number(page, live_server_url):
    page.goto(f"{live_server_url}/scenarios/{SLUG}/play")
    page.wait_for_function("() => window.podviz && window.podviz.statesReceived > 0")
    page.evaluate("window.podviz.send({type: 'pause'})")
    page.evaluate("window.podviz.send({type: 'seek', time: 10})")
    page.wait_for_function("() => window.podviz.drawnTime === 10", timeout=WAIT_MS)
    scores = read_scores(page)
    assert all(score["failedPercent"] == "" and score["window"] == "" for score in scores), scores
    assert all(score["text"].startswith("Counted from 0:") for score in scores), scores
