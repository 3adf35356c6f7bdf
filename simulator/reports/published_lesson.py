"""A lesson published as a static folder: the live run page over a recorded run.

``publish_lesson(scenario, folder, language)`` writes:

- ``index.html``: the run page's markup (``published_lesson.html``), without the server's parts
  (the class bar, the fault form, the report link);
- ``podviz.js``: the live page's own ES modules (the apps' ``static/podviz`` folders)
  joined into one classic script, because Chromium refuses ES modules over ``file://``; the
  recorded source (``recorded_run.js``) goes first and gives the page its frames instead of the
  WebSocket;
- ``recording.js``: the run as the live page receives it (docs/protocol.md): the ``run.state`` at
  0 s, then one ``run.frame`` per simulated second, with the narration's times and predictions;
- ``podviz.css``, ``preferences.js``, ``favicon.svg`` and plotly.js's basic bundle, as served live.

The folder opens from disk and from any static host. The engine reads the page's files from the
source tree; it imports nothing from the Django side.
"""

from __future__ import annotations

import gettext
import html
import re
import shutil
import string
from pathlib import Path
from typing import Any

from simulator.advisor.foresight import foresee
from simulator.engine.simulation import Simulation
from simulator.reports.palette import CAUSE_COLOURS
from simulator.results.series import CAUSE_DESCRIPTIONS, CAUSES, SERVING_CAUSES, breakable
from simulator.runs import frames
from simulator.scenario.types import Scenario

ROOT = Path(__file__).resolve().parents[2]
# Where the live page's static files live, in the order Django's finders search them.
STATIC_FOLDERS = tuple(ROOT / app / "static" for app in ("core", "scenarios", "runs", "classroom"))
PLOTLY_BASIC = ROOT / "core" / "static" / "vendor" / "plotly.js-basic-4.1.1" / "plotly-basic.min.js"
PAGE_TEMPLATE = Path(__file__).resolve().with_name("published_lesson.html")
LOCALE = ROOT / "locale"
_MARKED = re.compile(r"\[\[(.+?)\]\]")
# The recorded source first: it must be in place before run.js opens its source.
ENTRY_MODULES = ("podviz/recorded_run.js", "podviz/run.js")
COPIED = ("podviz/podviz.css", "podviz/preferences.js", "podviz/favicon.svg")

_IMPORT = re.compile(r'^import \{([^}]*)\} from "\./([\w.]+\.js)";[ \t]*$', re.MULTILINE)
_EXPORT = re.compile(r"^export (?=(?:async )?function |const |let |class )", re.MULTILINE)
_EXPORTED_NAME = re.compile(
    r"^export (?:async )?(?:function\*? ?|const |let |class )(\w+)", re.MULTILINE
)
_LEFT_MODULE_SYNTAX = re.compile(r"^(?:import|export)\b", re.MULTILINE)


class PublishError(Exception):
    """The lesson cannot be published: the message says why and what to do."""


def publish_lesson(scenario: Scenario, folder: Path, language: str = "en") -> list[Path]:
    """Writes the published lesson into ``folder`` (created if missing) and returns the files
    written. ``language`` (``"en"`` or ``"ko"``) picks the lesson's text; the page's own words
    are English. Raises ``PublishError`` when the folder cannot be written or a page file is
    missing."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = [
            _write(
                folder / "recording.js",
                "globalThis.podvizRecording = " + recording_json(scenario) + ";\n",
            ),
            _write(folder / "podviz.js", bundle(ENTRY_MODULES)),
            _write(folder / "index.html", page_html(scenario, language)),
            _write(folder / "catalog.js", script_catalog(language)),
        ]
        for relative in COPIED:
            target = folder / Path(relative).name
            shutil.copyfile(static_file(relative), target)
            written.append(target)
        target = folder / PLOTLY_BASIC.name
        shutil.copyfile(PLOTLY_BASIC, target)
        written.append(target)
    except OSError as error:
        raise PublishError(
            f"{folder}: cannot write there ({error.strerror}); pick another -o DIR"
        ) from error
    return written


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def recording(scenario: Scenario) -> dict[str, Any]:
    """``{"frames": [run.state at 0 s, run.frame at 1 s, 2 s, ... the duration]}``: the
    messages the live page would receive playing the run once from the start (docs/protocol.md),
    the narration's times and the predicted damage in the state's ``scenario``."""
    foresight = foresee(scenario)
    simulation = Simulation(scenario)
    cursors = [frames.LaneCursor() for _ in simulation.lanes]
    seq = 1
    messages = [
        frames.full_state(
            simulation,
            "published",
            seq,
            playing=False,
            speed=1.0,
            cursors=cursors,
            narration_times=foresight.narration_times if scenario.narration else None,
            predictions=foresight.predictions or None,
        )
    ]
    while not simulation.finished:
        simulation.advance_to(min(simulation.now + 1.0, simulation.duration))
        seq += 1
        messages.append(frames.delta_frame(simulation, cursors, seq, playing=False, speed=1.0))
    for message in messages:
        message.pop("sentAt", None)
    return {"frames": _thinned(messages)}


def _thinned(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``messages`` with what the page can rebuild left out, so that the folder stays small: a
    lane's ``title`` only in the state, and its ``pods`` as ``podChanges``, each pod's name with
    the fields that differ from that pod's previous ones (its age moves every second); a pod
    that lost a field comes whole, with ``"replaces": true``. recorded_run.js rebuilds them."""
    known: list[dict[str, dict[str, Any]]] = [{} for _ in messages[0]["lanes"]]
    for index, message in enumerate(messages):
        for lane, pods_before in zip(message["lanes"], known, strict=True):
            if index > 0:
                lane.pop("title", None)
            pods = lane.pop("pods", None)
            if pods is None:
                continue
            changes = []
            for pod in pods:
                before = pods_before.get(pod["name"])
                if before is None or not before.keys() <= pod.keys():
                    changes.append({**pod, "replaces": True})
                else:
                    changed = {key: value for key, value in pod.items() if before[key] != value}
                    changes.append({"name": pod["name"], **changed})
                pods_before[pod["name"]] = pod
            lane["podChanges"] = changes
    return messages


def recording_json(scenario: Scenario) -> str:
    """``recording(scenario)`` as compact JSON."""
    return frames.encode(recording(scenario))


def static_file(relative: str) -> Path:
    """The live page's static file ``relative`` (e.g. ``"podviz/run.js"``), found as Django's
    app finders would. Raises ``PublishError`` when no app has it."""
    for folder in STATIC_FOLDERS:
        candidate = folder / relative
        if candidate.is_file():
            return candidate
    raise PublishError(f"{relative}: not found under {', '.join(map(str, STATIC_FOLDERS))}")


def bundle(entries: tuple[str, ...]) -> str:
    """The ES modules ``entries`` and everything they import as one classic script: each module
    runs once, in import order, in its own function scope; ``import { a, b as c }`` reads the
    names from the modules already run. Only the forms the page uses are understood (named
    imports of ``./x.js``; ``export`` before a function, class or const); any other module
    syntax raises ``PublishError``."""
    order: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in order:
            return
        if name in path:
            raise PublishError(f"podviz/{name}: import circle {' -> '.join(path)}")
        text = static_file(f"podviz/{name}").read_text(encoding="utf-8")
        for _, imported in _IMPORT.findall(text):
            visit(imported, (*path, name))
        order.append(name)

    for entry in entries:
        visit(entry.removeprefix("podviz/"), ())
    parts = [
        "// podviz's run page modules, joined for a published lesson.\n",
        "const podvizModules = {};\n",
    ]
    for name in order:
        parts.append(_wrapped(name, static_file(f"podviz/{name}").read_text(encoding="utf-8")))
    return "".join(parts)


def _wrapped(name: str, text: str) -> str:
    exported = _EXPORTED_NAME.findall(text)

    def imported(match: re.Match[str]) -> str:
        names = []
        for item in match.group(1).split(","):
            original, _, alias = (word.strip() for word in item.partition(" as "))
            names.append(f"{original}: {alias}" if alias else original)
        return f'const {{ {", ".join(names)} }} = podvizModules["{match.group(2)}"];'

    body = _EXPORT.sub("", _IMPORT.sub(imported, text))
    left = _LEFT_MODULE_SYNTAX.search(body)
    if left:
        line = body.count("\n", 0, left.start()) + 1
        raise PublishError(f"podviz/{name}:{line}: module syntax the publisher cannot join")
    return (
        f'podvizModules["{name}"] = (function () {{\n"use strict";\n{body}\n'
        f"return {{ {', '.join(exported)} }};\n}})();\n"
    )


def page_html(scenario: Scenario, language: str) -> str:
    """The published page: ``published_lesson.html`` with its ``[[words]]`` translated by the
    Django catalogue of ``language`` (``locale/<language>/LC_MESSAGES/django.mo``; English
    when there is none), filled with the lesson's title and description in ``language``
    (English when the lesson lacks it) and the causes' legend."""

    def text(texts: dict[str, str]) -> str:
        return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")

    # The serving model's causes are shown once a lane has them, as on the live page.
    causes = "\n".join(
        ("<li>" if cause in CAUSES else '<li class="serving-only" hidden>')
        + f'<span class="swatch" style="background: {CAUSE_COLOURS[cause]}" aria-hidden="true">'
        f"</span>{cause}</li>"
        for cause in SERVING_CAUSES
    )
    translations = _translations("django", language)
    cause_columns = "\n".join(
        f'<th scope="col"{"" if cause in CAUSES else ' class="serving-column"'}'
        f' data-cause="{cause}"'
        f' title="{html.escape(translations.gettext(CAUSE_DESCRIPTIONS[cause]))}"'
        f"{'' if cause in CAUSES else ' hidden'}>{breakable(cause)}</th>"
        for cause in SERVING_CAUSES
    )
    marked = PAGE_TEMPLATE.read_text(encoding="utf-8")
    translated = _MARKED.sub(
        lambda match: html.escape(_template_text(translations, match.group(1))), marked
    )
    return string.Template(translated).substitute(
        language=language,
        title=html.escape(text(dict(scenario.title)) or scenario.name),
        name=html.escape(scenario.name),
        description=html.escape(text(dict(scenario.description))),
        causes=causes,
        cause_columns=cause_columns,
        plotly=PLOTLY_BASIC.name,
    )


def _template_text(translations: gettext.NullTranslations, text: str) -> str:
    """``text`` as Django's ``{% translate %}`` gives it: the catalogue holds a template's
    ``%`` doubled (``Failed %%``), as makemessages writes it."""
    doubled = text.replace("%", "%%")
    return translations.gettext(doubled).replace("%%", "%")


def _translations(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, LOCALE, languages=[language], fallback=True)


def script_catalog(language: str) -> str:
    """``catalog.js``: the page modules' translations for ``language`` (the compiled
    ``djangojs`` catalogue, as Django's JavaScriptCatalog gives them live) as the
    ``globalThis.django`` that core/static/podviz/i18n.js reads; empty for English. Plural
    forms: the catalogue's first form for one, its last otherwise (Korean has one form)."""
    translations = _translations("djangojs", language)
    messages: dict[str, Any] = {}
    plurals: dict[str, dict[int, str]] = {}
    for key, value in getattr(translations, "_catalog", {}).items():
        if isinstance(key, tuple):
            plurals.setdefault(key[0], {})[key[1]] = value
        elif key:
            messages[key] = value
    for singular, forms in plurals.items():
        messages[singular] = [forms[index] for index in sorted(forms)]
    if not messages:
        return "// English: the page's own words.\n"
    return (
        "// The page's words in this lesson's language (the djangojs catalogue).\n"
        f"const podvizCatalog = {frames.encode(messages)};\n"
        "globalThis.django = {\n"
        "  gettext: (text) => {\n"
        "    const found = podvizCatalog[text];\n"
        "    return typeof found === 'string' ? found : text;\n"
        "  },\n"
        "  ngettext: (singular, plural, count) => {\n"
        "    const forms = podvizCatalog[singular];\n"
        "    if (!Array.isArray(forms)) return count === 1 ? singular : plural;\n"
        "    return count === 1 ? forms[0] : forms[forms.length - 1];\n"
        "  },\n"
        "};\n"
    )


def folder_size(files: list[Path]) -> int:
    """Bytes of ``files`` together."""
    return sum(path.stat().st_size for path in files)
