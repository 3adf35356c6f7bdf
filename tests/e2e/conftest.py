"""Browser tests: Playwright driving Debian's Chromium against a real Daphne server."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.devserver import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port, start_server

ARTIFACTS = ROOT / "test-artifacts"
# The account the editor tests log in with (saving scenarios needs a user).
EDITOR_USER = ("editor", "a-long-test-password-9")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    message = (
        f"Debian's Chromium is not installed at {CHROMIUM}: "
        "sudo apt-get update && sudo apt-get install -y chromium"
    )
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"{message} (required under CI)")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture(scope="session")
def live_server_url(tmp_path_factory):
    """The dashboard served by Daphne as `make run` serves it, on a free port (with more runs
    allowed per address: tests/e2e/server_settings.py)."""
    database = tmp_path_factory.mktemp("db") / "e2e.sqlite3"
    port = free_port()
    with open(tmp_path_factory.mktemp("logs") / "daphne.log", "w") as log:
        process = start_server(port, database, log, settings="tests.e2e.server_settings")
        username, password = EDITOR_USER
        subprocess.run(
            [sys.executable, "manage.py", "createsuperuser", "--noinput", "--username", username],
            cwd=ROOT,
            env={
                **os.environ,
                "PODVIZ_DB_PATH": str(database),
                "DJANGO_SUPERUSER_PASSWORD": password,
                "DJANGO_SUPERUSER_EMAIL": "editor@example.com",
            },
            check=True,
            stdout=subprocess.DEVNULL,
        )
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh page that fails the test on any console error or uncaught exception."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not problems, f"console errors: {problems}"
