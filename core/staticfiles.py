"""Static files: plotly.js bundles, hashed and precompressed copies.

Two plotly.js bundles of one version are published, so every page works without internet:

- the full minified bundle of the installed plotly package, under a name that carries its
  version (``vendor/plotly-<version>.min.js``), for pages that draw heatmaps (the sweep);
- plotly.js's own *basic* partial bundle (trace types scatter, bar and pie; the npm package
  ``plotly.js-basic-dist-min``, kept in ``core/static/vendor/plotly.js-basic-<version>/``) for the
  run page, which draws scatter traces only. A quarter of the full bundle's size, it is parsed
  and run in about a quarter of the time, and on a student's laptop that time stands between
  opening a lesson and its first chart (docs/benchmarks.md, "first chart point").
  A system check (``podviz.E002``) fails when its version is not the plotly package's.

``collectstatic`` writes every file to ``STATIC_ROOT`` under a name carrying a hash of its content,
with gzip and Brotli copies beside it (WhiteNoise's storage); WhiteNoise's middleware then serves
the compressed copy a browser accepts with a far-future ``Cache-Control``. The ES modules' own
``import ... from "./x.js"`` lines are rewritten to the hashed names too, so a module graph is
cached as a whole and an edit to one module changes its URL.

WhiteNoise 6.12's middleware is synchronous: under ASGI, Django runs it through its sync adapter
and reads each file response in a worker thread. Native ASGI support is still an open proposal
upstream (evansd/whitenoise#359); for a page's few dozen static requests the adapter costs little.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import plotly
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from plotly.offline import get_plotlyjs_version
from whitenoise.storage import CompressedManifestStaticFilesStorage

PLOTLY_BUNDLE = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
PLOTLY_STATIC_PATH = f"vendor/plotly-{get_plotlyjs_version()}.min.js"
PLOTLY_BASIC_STATIC_PATH = f"vendor/plotly.js-basic-{get_plotlyjs_version()}/plotly-basic.min.js"
# Beside the collected files: a fingerprint of the sources they were collected from.
SOURCES_STAMP = ".sources.json"


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
        if finders.find(PLOTLY_BASIC_STATIC_PATH) is None:
            return [
                Error(
                    f"core/static/{PLOTLY_BASIC_STATIC_PATH} is missing: the plotly package "
                    f"carries plotly.js {get_plotlyjs_version()}, and the run page needs the "
                    "basic bundle of that version",
                    hint=(
                        "Put plotly-basic.min.js, LICENSE and package.json of the npm package "
                        f"plotly.js-basic-dist-min@{get_plotlyjs_version()} in core/static/"
                        f"{PLOTLY_BASIC_STATIC_PATH.rsplit('/', 1)[0]}/ (and remove the old one)."
                    ),
                    id="podviz.E002",
                )
            ]
        return []

    def find(self, path, find_all=False, **kwargs):
        if path != PLOTLY_STATIC_PATH:
            return []  # as the built-in finders do: an empty list means "not here"
        return [str(PLOTLY_BUNDLE)] if find_all else str(PLOTLY_BUNDLE)

    def list(self, ignore_patterns):
        yield PLOTLY_STATIC_PATH, _PlotlyBundleStorage()


class HashedCompressedStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, gzip- and Brotli-compressed storage, with ES module imports
    rewritten to the hashed names (Django's ``support_js_module_import_aggregation``)."""

    support_js_module_import_aggregation = True


def sources_fingerprint() -> str:
    """A hash of every static source's path, size and modification time (all finders)."""
    entries = []
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = Path(storage.path(path)).stat()
            entries.append((path, stat.st_size, stat.st_mtime_ns))
    return hashlib.sha256(json.dumps(sorted(entries)).encode()).hexdigest()


def collect_if_stale(verbosity: int = 0) -> bool:
    """Run ``collectstatic`` unless ``STATIC_ROOT`` holds copies of exactly today's sources.

    Returns True when it collected. Hashing and compressing plotly.js takes a few seconds, so
    this keeps `make run` and the tests quick when nothing changed.
    """
    root = Path(settings.STATIC_ROOT)
    stamp = root / SOURCES_STAMP
    fingerprint = sources_fingerprint()
    if (
        stamp.is_file()
        and stamp.read_text() == fingerprint
        and (root / "staticfiles.json").is_file()
    ):
        return False
    call_command("collectstatic", interactive=False, clear=True, verbosity=verbosity)
    stamp.write_text(fingerprint)
    return True


_IMPORT = re.compile(r"""^\s*(?:import|export)\b[^;]*?\bfrom\s*["'](\./[^"']+)["']""", re.M)


def module_graph(entry: str) -> list[str]:
    """The static paths of ``entry`` (e.g. ``"podviz/run.js"``) and every module it imports,
    directly or not, in a stable order: what a page can ask for at once with modulepreload.

    Raises LookupError naming a module no finder has.
    """
    seen: list[str] = []
    pending = [entry]
    while pending:
        path = pending.pop(0)
        if path in seen:
            continue
        found = finders.find(path)
        if not found:
            raise LookupError(f"static module {path!r} not found")
        seen.append(path)
        base = path.rsplit("/", 1)[0]
        for relative in _IMPORT.findall(Path(found).read_text(encoding="utf-8")):
            pending.append(f"{base}/{relative.removeprefix('./')}")
    return seen
