import json
import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage

from scenarios import store as scenario_store
from scenarios.editor_views import CODEMIRROR_DIRECTORY, NEW_SCENARIO_TEXT
from simulator.scenario.presets import list_presets

pytestmark = pytest.mark.django_db


def editor_document(page: str) -> dict:
    """The document the page hands to its script (the json_script element)."""
    match = re.search(r'<script id="editor-document" type="application/json">(.*?)</script>', page)
    assert match, "the page carries no editor document"
    return json.loads(match.group(1))


def test_new_scenario_page_starts_from_a_valid_document(client):
    response = client.get("/editor/")
    assert response.status_code == 200
    page = response.content.decode()
    document = editor_document(page)
    assert document == {"slug": "", "version": None, "builtIn": False, "yaml": NEW_SCENARIO_TEXT}
    assert scenario_store.validate(NEW_SCENARIO_TEXT).valid
    assert staticfiles_storage.url(f"{CODEMIRROR_DIRECTORY}/lib/codemirror.js") in page
    assert "csrftoken" in response.cookies


def test_built_in_scenario_page_shows_its_file(client):
    slug = list_presets()[0].slug
    response = client.get(f"/editor/{slug}/")
    assert response.status_code == 200
    document = editor_document(response.content.decode())
    assert document["slug"] == slug
    assert document["builtIn"] is True
    assert document["version"] is None
    assert document["yaml"] == scenario_store.preset_text(slug)


def test_saved_scenario_page_shows_its_text_and_version(client):
    text = NEW_SCENARIO_TEXT.replace("name: my-scenario", "name: saved-one") + "# mine\n"
    saved = scenario_store.create(text)
    scenario_store.update("saved-one", text + "# again\n", based_on_version=saved.version)
    response = client.get("/editor/saved-one/")
    assert response.status_code == 200
    page = response.content.decode()
    document = editor_document(page)
    assert document == {
        "slug": "saved-one",
        "version": 2,
        "builtIn": False,
        "yaml": text + "# again\n",
    }
    assert "version 2" in page


def test_unknown_scenario_is_404(client):
    assert client.get("/editor/no-such-scenario/").status_code == 404


def test_editor_speaks_korean(client):
    page = client.get("/editor/", headers={"accept-language": "ko"}).content.decode()
    assert "새 시나리오" in page
    assert "매니페스트 붙여넣기" in page


def test_home_links_to_the_editor(client):
    page = client.get("/").content.decode()
    assert 'href="/editor/"' in page
    for info in list_presets():
        assert f'href="/editor/{info.slug}/"' in page


def test_the_vendored_editor_library_carries_its_licence():
    from django.contrib.staticfiles import finders

    for name in ("LICENSE", "lib/codemirror.js", "mode/yaml/yaml.js", "addon/lint/lint.js"):
        assert finders.find(f"{CODEMIRROR_DIRECTORY}/{name}"), name


def test_the_editor_offers_an_anonymous_visitor_run_first_and_does_not_promise_a_save(
    client, django_user_model
):
    page = client.get("/editor/").content.decode()
    assert 'id="run" class="primary"' in page and 'id="save" class="primary"' not in page
    assert "can be run; saving it needs a login" in page
    assert "can be saved and run" not in page
    client.force_login(django_user_model.objects.create_user("editor", password="x"))
    page = client.get("/editor/").content.decode()
    assert 'id="save" class="primary"' in page and 'id="run" class="primary"' not in page
    assert "can be saved and run" in page
    korean = client.get("/editor/", HTTP_ACCEPT_LANGUAGE="ko")
    assert "저장하고 실행할 수 있습니다" in korean.content.decode()
