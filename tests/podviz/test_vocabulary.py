"""The shared vocabulary lives once in Python and reaches the browser as it is
(core/vocabulary.py): the module the pages import, the run page's legend, the reports."""

import re

import pytest
from django.test import AsyncClient

from core.vocabulary import MODULE, cause_legend, vocabulary_module
from simulator.engine.simulation import run_scenario
from simulator.reports.palette import CAUSE_COLOURS
from simulator.reports.run_report import run_report_html
from simulator.reports.series_export import CSV_COLUMNS
from simulator.results.series import CAUSES, SERVING_CAUSES
from simulator.scenario import presets


def test_the_browsers_module_is_written_from_the_python_definitions():
    assert MODULE.read_text(encoding="utf-8") == vocabulary_module(), (
        "core/static/podviz/vocabulary.js differs from core/vocabulary.py: "
        "run `python manage.py write_vocabulary`"
    )


def test_every_cause_has_one_colour():
    # The serving model's causes included: a lane with one draws them too.
    assert set(CAUSE_COLOURS) == set(SERVING_CAUSES) > set(CAUSES)
    assert len(set(CAUSE_COLOURS.values())) == len(SERVING_CAUSES)


def test_no_browser_module_keeps_its_own_list_of_the_causes_or_their_colours():
    # A cause written as a string or an object key outside the generated module is a copy.
    # (The hex values alone are not: the Okabe–Ito colours serve pods and probes too.)
    static = MODULE.parents[3]
    copies = [
        f"{path.relative_to(static)}: {cause}"
        for path in static.glob("*/static/podviz/*.js")
        if path != MODULE
        for cause in SERVING_CAUSES
        if re.search(rf"[\"']{cause}[\"']|\b{cause}\s*:", path.read_text(encoding="utf-8"))
    ]
    assert copies == []


@pytest.mark.django_db(transaction=True)
async def test_the_run_pages_legend_shows_each_cause_in_the_charts_colour():
    client = AsyncClient()
    response = await client.get("/scenarios/seed-story/play")
    assert response.status_code == 302
    page = (await client.get(response["Location"])).content.decode()
    legend = re.findall(
        r'style="background: (#[0-9A-Fa-f]{6})" aria-hidden="true"></span>(\w+)', page
    )
    assert legend == [(item["colour"], item["name"]) for item in cause_legend()]
    assert [name for _, name in legend] == list(SERVING_CAUSES)


def test_the_run_report_and_the_csv_use_the_same_causes_and_colours():
    scenario = presets.load_preset("crashloop-backoff")
    html = run_report_html(scenario, run_scenario(scenario))
    for cause in CAUSES:
        assert (
            f'"color": "{CAUSE_COLOURS[cause]}"' in html
            or f'"color":"{CAUSE_COLOURS[cause]}"' in html
        )
    assert [column for column in CSV_COLUMNS if column in CAUSES] == list(CAUSES)
