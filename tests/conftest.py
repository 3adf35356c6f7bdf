"""Suite-wide ordering: the browser tests run last.

Playwright's sync API keeps an event loop running in the main thread for as long as its
session-scoped browser lives, and async tests cannot start their own loop beside it.
"""


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)
