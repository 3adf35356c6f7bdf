"""``python -m simulator publish``: the folder it writes, its size, and its refusals."""

import json
import re

import pytest

from simulator.cli import main
from simulator.reports.published_lesson import (
    ENTRY_MODULES,
    PAGE_TEMPLATE,
    ROOT,
    PublishError,
    bundle,
    page_html,
    recording,
    script_catalog,
)
from simulator.scenario.presets import load_preset

FILES = {
    "index.html",
    "podviz.js",
    "recording.js",
    "catalog.js",
    "podviz.css",
    "preferences.js",
    "favicon.svg",
    "plotly-basic.min.js",
}
# What a class's Wi-Fi should have to carry for one lesson (measured: 4.7 MB for seed-story).
SIZE_BUDGET = 8_000_000


def test_publishes_a_built_in_lesson_as_a_small_static_folder(tmp_path, capsys):
    folder = tmp_path / "lesson"
    assert main(["publish", "seed-story", "-o", str(folder)]) == 0
    assert {path.name for path in folder.iterdir()} == FILES
    assert sum(path.stat().st_size for path in folder.iterdir()) < SIZE_BUDGET
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    assert "[[" not in page and "$" not in page.split("<main")[1].split("</main>")[0]
    assert 'id="seek"' in page and 'id="story"' in page and 'id="lanes"' in page
    # The scripts a file:// page can load: classic ones, in the order the page needs them.
    scripts = [line.strip() for line in page.splitlines() if "<script" in line]
    assert scripts[-3:] == [
        '<script src="catalog.js"></script>',
        '<script src="recording.js"></script>',
        '<script src="podviz.js"></script>',
    ]
    assert 'type="module"' not in page
    assert "index.html" in capsys.readouterr().out


def test_the_recording_is_the_run_second_by_second():
    scenario = load_preset("seed-story")
    messages = recording(scenario)["frames"]
    assert messages[0]["type"] == "run.state"
    assert [message["time"] for message in messages] == list(range(int(scenario.duration) + 1))
    assert all(message["type"] == "run.frame" for message in messages[1:])
    lanes = [lane["name"] for lane in messages[0]["lanes"]]
    assert lanes == [variant.name for variant in scenario.variants]
    narration = messages[0]["scenario"]["narration"]
    assert narration and all("time" in step for step in narration)
    # Pods travel as changes: a pod whose age alone moved carries its name and age.
    changes = [pod for lane in messages[300]["lanes"] for pod in lane.get("podChanges", [])]
    assert changes and all(
        pod.keys() <= {"name", "age"} for pod in changes if "replaces" not in pod
    )


def test_the_bundle_holds_every_module_once_as_a_classic_script():
    script = bundle(ENTRY_MODULES)
    assert "\nimport " not in script and "\nexport " not in script
    registered = [line for line in script.splitlines() if line.startswith("podvizModules[")]
    names = [line.split('"')[1] for line in registered]
    assert len(names) == len(set(names))
    assert names.index("connection.js") < names.index("recorded_run.js") < names.index("run.js")
    assert names[-1] == "run.js"


def test_an_unknown_module_form_is_refused(tmp_path, monkeypatch):
    from simulator.reports import published_lesson

    static = tmp_path / "static" / "podviz"
    static.mkdir(parents=True)
    (static / "entry.js").write_text('import * as everything from "./other.js";\n')
    monkeypatch.setattr(published_lesson, "STATIC_FOLDERS", (tmp_path / "static",))
    with pytest.raises(PublishError, match=r"entry\.js:1: module syntax"):
        bundle(("podviz/entry.js",))


def test_korean_carries_the_page_catalogue_and_the_lesson_in_korean(tmp_path):
    folder = tmp_path / "ko"
    assert main(["publish", "seed-story", "-o", str(folder), "--lang", "ko"]) == 0
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ko">' in page
    assert "재생" in page  # Play
    assert load_preset("seed-story").title["ko"] in page
    assert ">실패율 %<" in page  # a heading whose msgid holds a %, as Django doubles it
    catalog = (folder / "catalog.js").read_text(encoding="utf-8")
    messages = json.loads(catalog.split("const podvizCatalog = ", 1)[1].split(";\n", 1)[0])
    assert messages["PAUSED"] == "일시정지됨"
    assert "globalThis.django" not in script_catalog("en")


def test_a_bad_lesson_exits_2_naming_the_presets(tmp_path, capsys):
    assert main(["publish", "no-such-lesson", "-o", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert "no-such-lesson" in error and "seed-story" in error
    assert not (tmp_path / "out").exists()


def test_an_unwritable_folder_exits_2(tmp_path, capsys):
    taken = tmp_path / "a-file"
    taken.write_text("")
    assert main(["publish", "seed-story", "-o", str(taken)]) == 2
    assert "not a folder" in capsys.readouterr().err
    assert main(["publish", "seed-story", "-o", str(taken / "inside")]) == 2
    assert "cannot write there" in capsys.readouterr().err


def test_the_published_markup_keeps_every_element_the_run_page_has():
    # The published template is the run page's markup without the server's parts: an element
    # added to run.html must reach it too, or the shared modules would look for it in vain.
    live = (ROOT / "runs" / "templates" / "podviz" / "run.html").read_text(encoding="utf-8")
    published = PAGE_TEMPLATE.read_text(encoding="utf-8")
    server_only = {"report-link"}
    ids = set(re.findall(r'\bid="([\w-]+)"', live)) - server_only
    assert ids - set(re.findall(r'\bid="([\w-]+)"', published)) == set()

    # The comparison table's columns too (summary_table.js fills them by position), both pages
    # as they are written out: the live one's heading rendered by Django with its context.
    from django.template import engines
    from django.utils import translation

    from core.vocabulary import cause_legend

    def heading(page: str) -> str:
        return page[page.index('<table id="summary"') : page.index("</thead>")]

    def columns(table: str) -> list[str]:
        return re.findall(r'<th scope="col"((?: (?:class|data-cause|title)="[^"]*")*)', table)

    live_heading = engines["django"].from_string("{% load i18n %}" + heading(live))
    with translation.override("en"):
        rendered = live_heading.render({"causes": cause_legend()})
    published_page = page_html(load_preset("seed-story"), "en")
    assert columns(heading(published_page)) == columns(rendered)
    assert 'data-cause="QueueFull"' in rendered
