"""A published lesson (``python -m simulator publish``) in Chromium: served by a plain static
server, and opened from disk, with no podviz server anywhere."""

import functools
import http.server
import subprocess
import sys
import threading

import pytest

from tests.support.devserver import ROOT

pytestmark = pytest.mark.e2e

LESSON = "seed-story"
# Every lane's chart div, with how many points its traces hold.
CHART_POINTS = """() => [...document.querySelectorAll('.lane-chart.js-plotly-plot')].map(chart =>
    chart.data.reduce((points, trace) => points + (trace.x ? trace.x.length : 0), 0))"""


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    folder = tmp_path_factory.mktemp("published") / LESSON
    subprocess.run(
        [sys.executable, "-m", "simulator", "publish", LESSON, "-o", str(folder)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return folder


@pytest.fixture(scope="module")
def static_url(published):
    """The folder behind Python's plain static file server: no podviz, no WebSocket."""
    handler = functools.partial(QuietHandler, directory=str(published))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def charts_drawn(page):
    """Points in each lane's chart, once every lane has its Plotly div."""
    page.wait_for_function(
        f"() => window.podviz && window.podviz.lanes.length > 0"
        f" && ({CHART_POINTS})().length === window.podviz.lanes.length"
    )
    return page.evaluate(CHART_POINTS)


def seek(page, seconds):
    page.eval_on_selector(
        "#seek",
        "(slider, time) => { slider.value = String(time);"
        " slider.dispatchEvent(new Event('change')); }",
        seconds,
    )


def test_served_statically_it_draws_every_lane_seeks_and_steps(page, static_url):
    page.goto(static_url)
    assert len(charts_drawn(page)) == 4
    assert page.inner_text("#connection") == "PAUSED"
    # Injecting a fault needs the engine: the form is not shown.
    assert not page.is_visible("#fault-form")

    seek(page, 100)
    page.wait_for_function("() => window.podviz.drawnTime === 100")
    at_100 = charts_drawn(page)
    assert all(points > 0 for points in at_100), at_100
    seek(page, 200)
    page.wait_for_function("() => window.podviz.time === 200 && window.podviz.drawnTime === 200")
    assert page.input_value("#seek") == "200"
    assert page.inner_text("#clock").startswith("3:20")
    assert all(later > earlier for later, earlier in zip(charts_drawn(page), at_100, strict=True))

    steps = page.locator(".story-step:not([disabled])")
    assert steps.count() >= 2
    last = steps.last
    target = int(float(last.get_attribute("data-time")))
    assert target != 200
    last.click()
    page.wait_for_function(f"() => window.podviz.drawnTime === {target}")
    assert page.locator(".story-step[aria-current=step]").get_attribute("data-time") == (
        last.get_attribute("data-time")
    )

    page.click("#play-pause")
    page.wait_for_function(f"() => window.podviz.playing && window.podviz.time > {target}")
    assert page.inner_text("#connection") == "LIVE"


def test_opened_from_disk_it_draws_every_lane(page, published):
    page.goto((published / "index.html").as_uri())
    seek(page, 60)
    page.wait_for_function("() => window.podviz.drawnTime === 60")
    assert all(points > 0 for points in charts_drawn(page))


def test_in_korean_the_page_speaks_korean(page, tmp_path):
    folder = tmp_path / "ko"
    subprocess.run(
        [sys.executable, "-m", "simulator", "publish", LESSON, "-o", str(folder), "--lang", "ko"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    page.goto((folder / "index.html").as_uri())
    page.wait_for_function(
        "() => document.querySelector('#connection').textContent === '일시정지됨'"
    )
    assert page.inner_text("#play-pause") == "재생"
    seek(page, 30)
    page.wait_for_function("() => window.podviz.drawnTime === 30")
    assert all(points > 0 for points in charts_drawn(page))
