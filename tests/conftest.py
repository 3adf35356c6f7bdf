"""Suite-wide: the static files are collected first, and the browser tests run last.

Playwright's sync API keeps an event loop running in the main thread for as long as its
session-scoped browser lives, and async tests cannot start their own loop beside it.

Under pytest-xdist (`make test` runs the suite on several workers) the static files are collected
once, by the controlling process before any worker starts, so no two workers write them at once.
"""

import pytest
from django.utils import translation


def _is_xdist_worker(config) -> bool:
    return hasattr(config, "workerinput")


def pytest_sessionstart(session):
    """Pages name static files by their hashed names: collect them if a source changed."""
    if _is_xdist_worker(session.config):
        return
    from core.staticfiles import collect_if_stale

    collect_if_stale()


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language: a request in Korean activates it for
    its thread, and Django leaves it active after the response, so messages built outside a
    request (the run limits') would follow whichever test ran before on the same worker."""
    translation.deactivate()
    yield
    translation.deactivate()
