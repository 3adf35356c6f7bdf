"""The presenter link hands the role over without its secret in any URL a server logs.

A real Daphne process writes its access log as in `make run`; a teacher starts a class, a tablet
opens the presenter link as a browser does (the fragment stays in the browser: the page posts it),
presents, and the log is read: it records the requests, and the secret in none of them.
"""

import re
from html import unescape

import pytest

from ..servers import Browser, Daphne, RunSocket, run_id_of


@pytest.fixture
def server(tmp_path):
    daphne = Daphne(tmp_path, tmp_path / "db.sqlite3", {}, "only").start()
    yield daphne
    daphne.stop()


async def test_a_presenter_link_works_and_no_log_holds_its_secret(server):
    teacher, tablet = Browser(), Browser()
    run_url, teacher_page = teacher.get(f"{server.url}/scenarios/seed-story/play")
    run_id = run_id_of(run_url)
    link = unescape(re.search(r'value="([^"]*/present#[^"]+)"', teacher_page).group(1))
    page_url, secret = link.split("#", 1)
    assert len(secret) >= 24

    # What a browser sends for the link: the URL without its fragment; then the page's POST.
    _, form = tablet.get(page_url)
    assert 'name="secret"' in form
    landed, page = tablet.post(page_url, {"secret": secret})
    assert landed == f"{server.url}/runs/{run_id}/"
    assert 'data-role="presenter"' in page

    async with RunSocket(server.url, run_id, tablet.cookie_header()) as socket:
        await socket.receive_of_type("run.state")
        await socket.send({"type": "pause"})
        while (await socket.receive()).get("playing") is not False:
            pass

    log = server.log()
    assert f'"POST /runs/{run_id}/present"' in log  # the log records the hand-over...
    assert secret not in log  # ...and holds no secret
