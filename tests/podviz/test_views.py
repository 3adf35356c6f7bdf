import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from podviz.staticfiles import PLOTLY_BUNDLE, PLOTLY_STATIC_PATH
from simulator.presets import list_presets


@pytest.mark.django_db
def test_home_lists_every_built_in_scenario(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    slugs = [info.slug for info in list_presets()]
    assert slugs, "the preset library is empty"
    for slug in slugs:
        assert f'data-scenario="{slug}"' in page


@pytest.mark.django_db
def test_home_speaks_korean(client):
    response = client.get("/", headers={"accept-language": "ko"})
    korean_title = list_presets()[0].title["ko"]
    assert korean_title in response.content.decode()


@pytest.mark.django_db
def test_unknown_scenario_is_404(client):
    assert client.post("/scenarios/no-such-scenario/run").status_code == 404


@pytest.mark.django_db  # runs are kept in the database too (podviz/durable.py)
def test_ended_run_is_404_with_a_way_back(client):
    response = client.get("/runs/gone/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "This run has ended or never existed" in page
    assert 'href="/"' in page


def test_plotly_is_published_alone_under_a_versioned_name():
    assert PLOTLY_STATIC_PATH.startswith("vendor/plotly-")
    assert PLOTLY_STATIC_PATH.endswith(".min.js")
    assert finders.find(PLOTLY_STATIC_PATH) == str(PLOTLY_BUNDLE)
    assert finders.find("plotly.min.js") is None
    assert finders.find("vendor/widgetbundle.js") is None


@pytest.mark.django_db
def test_collectstatic_copies_only_the_bundle(tmp_path, settings):
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)
    plotly_files = sorted(
        path.name for path in (tmp_path / "vendor").iterdir() if "plotly" in path.name
    )
    assert plotly_files == [PLOTLY_STATIC_PATH.removeprefix("vendor/")]
    assert not list(tmp_path.rglob("widgetbundle.js"))
    assert (tmp_path / PLOTLY_STATIC_PATH).stat().st_size == PLOTLY_BUNDLE.stat().st_size


@pytest.mark.django_db(transaction=True)
async def test_play_starts_a_run_and_serves_its_page(async_client, run_manager):
    slug = list_presets()[0].slug
    response = await async_client.post(f"/scenarios/{slug}/run")
    assert response.status_code == 302
    run_url = response["Location"]
    run_id = run_url.strip("/").split("/")[-1]
    assert run_manager.get(run_id) is not None
    page = (await async_client.get(run_url)).content.decode()
    assert f'data-run-id="{run_id}"' in page
    assert f"/static/{PLOTLY_STATIC_PATH}" in page


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
def test_compiled_translations_match_their_sources(tmp_path):
    for source in sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/*.po")):
        compiled = tmp_path / source.with_suffix(".mo").name
        subprocess.run(["msgfmt", "-o", str(compiled), str(source)], check=True)
        assert compiled.read_bytes() == source.with_suffix(".mo").read_bytes(), (
            f"{source.with_suffix('.mo')} is stale: run manage.py compilemessages -i .venv"
        )


@pytest.mark.django_db
def test_home_lists_saved_scenarios_with_play_and_edit(client):
    from podviz.scenario_store import create, preset_text

    text = preset_text("crashloop-backoff").replace(
        "name: crashloop-backoff", "name: my-crashloop", 1
    )
    create(text)
    page = client.get("/").content.decode()
    assert 'data-saved="my-crashloop"' in page
    assert 'href="/editor/my-crashloop/"' in page
