import gzip
import re
import shutil
import subprocess
from pathlib import Path

import brotli
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import AsyncClient
from plotly.offline import get_plotlyjs_version

from core import staticfiles as podviz_staticfiles
from core.staticfiles import (
    PLOTLY_BASIC_STATIC_PATH,
    PLOTLY_BUNDLE,
    PLOTLY_STATIC_PATH,
    PlotlyFinder,
    module_graph,
)
from simulator.scenario.presets import list_presets


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


@pytest.mark.django_db  # runs are kept in the database too (runs/durable.py)
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


def test_collectstatic_copies_only_the_bundle_hashed_and_compressed():
    root = Path(settings.STATIC_ROOT)
    hashed = staticfiles_storage.stored_name(PLOTLY_STATIC_PATH)
    assert hashed != PLOTLY_STATIC_PATH and hashed.startswith("vendor/plotly-")
    plotly_files = sorted(
        path.name
        for path in (root / "vendor").iterdir()
        if path.is_file() and "plotly" in path.name
    )
    name = hashed.removeprefix("vendor/")
    assert plotly_files == [name, f"{name}.br", f"{name}.gz"]
    assert not list(root.rglob("widgetbundle*"))
    assert (root / hashed).read_bytes() == PLOTLY_BUNDLE.read_bytes()
    assert brotli.decompress((root / f"{hashed}.br").read_bytes()) == PLOTLY_BUNDLE.read_bytes()


def test_the_basic_bundle_is_the_plotly_package_s_version():
    found = finders.find(PLOTLY_BASIC_STATIC_PATH)
    assert found, PLOTLY_BASIC_STATIC_PATH
    header = Path(found).read_text(encoding="utf-8")[:200]
    assert f"plotly.js (basic - minified) v{get_plotlyjs_version()}" in header
    assert (Path(found).parent / "LICENSE").is_file()
    assert PlotlyFinder().check() == []


def test_a_missing_basic_bundle_stops_the_server_with_a_fix(monkeypatch):
    monkeypatch.setattr(
        podviz_staticfiles, "PLOTLY_BASIC_STATIC_PATH", "vendor/plotly.js-basic-0.0.0/x.js"
    )
    (error,) = PlotlyFinder().check()
    assert error.id == "podviz.E002"
    assert f"plotly.js-basic-dist-min@{get_plotlyjs_version()}" in error.hint


def test_modules_import_each_other_by_hashed_names():
    run_js = (
        Path(settings.STATIC_ROOT) / staticfiles_storage.stored_name("podviz/run.js")
    ).read_text()
    imported = re.findall(r'from "\./([^"]+)"', run_js)
    assert imported, "run.js imports nothing"
    for name in imported:
        assert re.fullmatch(r"[a-z0-9_]+\.[0-9a-f]{12}\.js", name), name
        assert (Path(settings.STATIC_ROOT) / "podviz" / name).is_file()


def test_the_run_page_module_graph_holds_every_imported_module():
    modules = module_graph("podviz/run.js")
    assert modules[0] == "podviz/run.js"
    assert {"podviz/connection.js", "podviz/format.js", "podviz/lane_chart.js"} <= set(modules)
    assert len(modules) == len(set(modules))


@pytest.mark.parametrize(
    ("encoding", "decode"), [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
async def test_static_files_are_served_compressed_with_a_far_future_lifetime(encoding, decode):
    url = staticfiles_storage.url(PLOTLY_STATIC_PATH)
    response = await AsyncClient().get(url, headers={"accept-encoding": f"{encoding}, identity"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == encoding
    assert "max-age=315360000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    assert response["Vary"] == "Accept-Encoding"
    body = b"".join([part async for part in response])
    assert len(body) < PLOTLY_BUNDLE.stat().st_size / 3
    assert decode(body) == PLOTLY_BUNDLE.read_bytes()


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
    # The run page draws scatter traces only: plotly.js's basic bundle, not the full one.
    assert staticfiles_storage.url(PLOTLY_BASIC_STATIC_PATH) in page
    assert staticfiles_storage.url(PLOTLY_STATIC_PATH) not in page
    assert f'rel="modulepreload" href="{staticfiles_storage.url("podviz/connection.js")}"' in page


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
    from scenarios.store import create, preset_text

    text = preset_text("crashloop-backoff").replace(
        "name: crashloop-backoff", "name: my-crashloop", 1
    )
    create(text)
    page = client.get("/").content.decode()
    assert 'data-saved="my-crashloop"' in page
    assert 'href="/editor/my-crashloop/"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/join", "/check/", "/sweep/"])
def test_every_page_links_the_site_s_sections_and_marks_its_own(client, path):
    page = client.get(path).content.decode()
    nav = page[page.index('<nav class="site-nav"') : page.index("</nav>")]
    links = re.findall(r'<a href="([^"]+)"( aria-current="page")?>', nav)
    assert [href for href, _ in links] == ["/", "/join", "/check/", "/sweep/"]
    assert [href for href, current in links if current] == [path]
