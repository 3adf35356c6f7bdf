"""Suite-wide: the static files are collected first, and the browser tests run last.

Playwright's sync API keeps an event loop running in the main thread for as long as its
session-scoped browser lives, and async tests cannot start their own loop beside it.
"""

import pytest


@pytest.fixture(scope="session", autouse=True)
def collected_static_files():
    """Pages name static files by their hashed names: collect them if a source changed."""
    from core.staticfiles import collect_if_stale

    collect_if_stale()


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)
