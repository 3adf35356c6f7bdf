"""Redis lost under a class: the page says "reconnecting to the class server" in its language
instead of showing a clock that stands still, and resumes by itself once Redis is back."""

import pytest

from ..servers import Daphne, RedisServer
from .run_page import WAIT_MS

pytestmark = pytest.mark.e2e


@pytest.fixture
def redis(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.kill()


@pytest.fixture
def server_on_redis(tmp_path, redis):
    env = {"PODVIZ_REDIS_URL": redis.url}
    daphne = Daphne(tmp_path, tmp_path / "db.sqlite3", env, "daphne").start()
    yield daphne
    daphne.stop()


def open_run(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(
        "() => window.podviz && window.podviz.status === 'live'", timeout=WAIT_MS
    )


def test_the_page_says_it_reconnects_to_the_class_server_in_korean_and_english(
    page, server_on_redis, redis
):
    page.set_extra_http_headers({"Accept-Language": "ko"})
    page.goto(f"{server_on_redis.url}/scenarios/seed-story/play")
    page.wait_for_url("**/runs/*/")
    open_run(page, page.url)
    english = page.context.new_page()
    open_run(english, page.url)
    states = page.evaluate("window.podviz.statesReceived")

    redis.kill()
    for view in (page, english):
        view.wait_for_function("() => window.podviz.status === 'class-server'", timeout=WAIT_MS)
    assert page.locator("#connection").text_content() == "수업 서버에 다시 연결 중"
    assert english.locator("#connection").text_content() == "Reconnecting to the class server"

    redis.start()
    page.wait_for_function(
        "(states) => window.podviz.statesReceived > states && window.podviz.status === 'live'",
        arg=states,
        timeout=WAIT_MS,
    )
    assert "class-server" in page.evaluate("window.podviz.statusHistory")
    english.close()
    page.goto("about:blank")  # closes the run's socket before the server stops
