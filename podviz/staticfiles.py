"""Serves plotly.js from the installed plotly package, so a page works without internet.

Only the one minified bundle is published, under a name that carries its version
(``vendor/plotly-<version>.min.js``), so browsers may cache it and an upgrade changes the URL.
"""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage
from plotly.offline import get_plotlyjs_version

PLOTLY_BUNDLE = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
PLOTLY_STATIC_PATH = f"vendor/plotly-{get_plotlyjs_version()}.min.js"


class _PlotlyBundleStorage(FileSystemStorage):
    """A storage holding one file: the bundle, under its versioned static path."""

    def __init__(self):
        super().__init__(location=str(PLOTLY_BUNDLE.parent))
        self.prefix = None

    def path(self, name):
        return str(PLOTLY_BUNDLE)


class PlotlyFinder(BaseFinder):
    def check(self, **kwargs):
        if not PLOTLY_BUNDLE.is_file():
            return [Error(f"{PLOTLY_BUNDLE} is missing: reinstall plotly", id="podviz.E001")]
        return []

    def find(self, path, find_all=False, **kwargs):
        if path != PLOTLY_STATIC_PATH:
            return []  # as the built-in finders do: an empty list means "not here"
        return [str(PLOTLY_BUNDLE)] if find_all else str(PLOTLY_BUNDLE)

    def list(self, ignore_patterns):
        yield PLOTLY_STATIC_PATH, _PlotlyBundleStorage()
