"""The shared vocabulary as the browser gets it: error causes, their colours, pod-state kinds.

Each word is defined once in Python (simulator.results.series for the causes and pod states,
simulator.reports.palette for the colours) and written into the ES module the pages import,
``core/static/podviz/vocabulary.js``, by ``python manage.py write_vocabulary``; a test fails when
the file and the definitions differ. A generated static file rather than a view: it is hashed,
compressed and preloaded with the page's other modules, and the Node unit tests import it too.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.utils.safestring import mark_safe

from simulator.reports.palette import CAUSE_COLOURS
from simulator.results.series import (
    CAUSE_DESCRIPTIONS,
    CAUSES,
    POD_STATES,
    SERVING_CAUSES,
    SERVING_ONLY_CAUSES,
    breakable,
)

MODULE = Path(__file__).resolve().parent / "static" / "podviz" / "vocabulary.js"


def vocabulary() -> dict[str, object]:
    """The vocabulary by the name each part has in the module."""
    return {
        "CAUSES": list(CAUSES),
        # Only lanes with a serving model have these, after CAUSES in their series.
        "SERVING_ONLY_CAUSES": list(SERVING_ONLY_CAUSES),
        "CAUSE_COLOURS": {cause: CAUSE_COLOURS[cause] for cause in SERVING_CAUSES},
        "STATE_KINDS": list(POD_STATES),
    }


def vocabulary_module() -> str:
    """The text of ``vocabulary.js``."""
    lines = [
        "// Written by `python manage.py write_vocabulary` from core/vocabulary.py: edit the",
        "// Python definitions there, not this file.",
    ]
    lines += [
        f"export const {name} = Object.freeze({json.dumps(value)});"
        for name, value in vocabulary().items()
    ]
    return "\n".join(lines) + "\n"


def cause_legend() -> list[dict[str, object]]:
    """Every cause with its colour, in order, for a page's legend and table: ``{"name",
    "colour", "servingOnly", "description", "heading"}`` (``servingOnly``: only lanes with a
    serving model have it; ``description``: English, for ``{% translate %}``; ``heading``: the
    name breakable between its words)."""
    return [
        {
            "name": cause,
            "colour": CAUSE_COLOURS[cause],
            "servingOnly": cause in SERVING_ONLY_CAUSES,
            "description": CAUSE_DESCRIPTIONS[cause],
            # Our own ASCII names with <wbr> between their words: safe as HTML.
            "heading": mark_safe(breakable(cause)),
        }
        for cause in SERVING_CAUSES
    ]
