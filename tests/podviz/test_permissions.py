"""Who may do what with saved scenarios: anyone reads and runs them; saving, changing and
importing need a logged-in user; built-in lessons stay read-only, also after loadpresets."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from scenarios import store as scenario_store
from scenarios.models import SavedScenario

from .test_scenario_api import scenario_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    django_user_model.objects.create_user("editor", password="a-long-test-password-9")
    client.login(username="editor", password="a-long-test-password-9")
    return client


def test_anonymous_users_cannot_create_change_or_import(client):
    scenario_store.create(scenario_text())
    created = client.post("/api/scenarios", scenario_text("other"), content_type="text/yaml")
    assert created.status_code == 403
    assert created.json()["error"].startswith("log in to save or import scenarios")
    assert "/accounts/login/?next=/editor/" in created.json()["error"]
    changed = client.put(
        "/api/scenarios/web",
        json.dumps({"yaml": scenario_text(title="Defaced"), "version": 1}),
        content_type="application/json",
    )
    assert changed.status_code == 403
    upload = SimpleUploadedFile("web.yaml", scenario_text(title="Defaced").encode())
    imported = client.post(
        "/api/scenarios/import", {"file": upload, "overwrite": "1", "version": "1"}
    )
    assert imported.status_code == 403
    assert list(SavedScenario.objects.values_list("slug", "version", "title")) == [
        ("web", 1, "Web")
    ]


def test_anonymous_users_read_validate_and_run(client):
    scenario_store.create(scenario_text())
    assert client.get("/api/scenarios").json()["scenarios"][0]["slug"] == "web"
    assert client.get("/api/scenarios/web").json()["valid"] is True
    validated = client.post("/api/scenarios/validate", scenario_text(), content_type="text/yaml")
    assert validated.json()["valid"] is True
    assert client.get("/scenarios/web.yaml").status_code == 200


def test_a_logged_in_user_creates_and_changes(editor):
    assert (
        editor.post("/api/scenarios", scenario_text(), content_type="text/yaml").status_code == 201
    )
    changed = editor.put(
        "/api/scenarios/web",
        json.dumps({"yaml": scenario_text(title="Better"), "version": 1}),
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2


def test_built_in_lessons_stay_read_only_after_loadpresets(editor):
    call_command("loadpresets", stdout=io.StringIO())
    original = SavedScenario.objects.get(slug="seed-story")
    text = original.yaml_text.replace("seed", "sabotaged", 1)
    changed = editor.put(
        "/api/scenarios/seed-story",
        json.dumps({"yaml": text, "version": original.version}),
        content_type="application/json",
    )
    assert changed.status_code == 403
    assert "'seed-story' is a built-in lesson" in changed.json()["error"]
    upload = SimpleUploadedFile("seed-story.yaml", original.yaml_text.encode())
    imported = editor.post(
        "/api/scenarios/import",
        {"file": upload, "overwrite": "true", "version": str(original.version)},
    )
    assert imported.status_code == 403
    after = SavedScenario.objects.get(slug="seed-story")
    assert (after.yaml_text, after.version) == (original.yaml_text, original.version)


def test_a_built_in_lesson_without_loadpresets_is_read_only_too(editor):
    changed = editor.put(
        "/api/scenarios/crashloop-backoff",
        json.dumps({"yaml": scenario_text(), "version": 1}),
        content_type="application/json",
    )
    assert changed.status_code == 403


def test_the_editor_offers_to_log_in_and_the_login_page_brings_the_user_back(client):
    page = client.get("/editor/").content.decode()
    assert 'id="login-notice"' in page
    assert 'href="/accounts/login/?next=/editor/"' in page
    form = client.get("/accounts/login/?next=/editor/")
    assert form.status_code == 200 and "python manage.py createsuperuser" in form.content.decode()


def test_logging_in_through_the_page(client, django_user_model):
    django_user_model.objects.create_user("editor", password="a-long-test-password-9")
    response = client.post(
        "/accounts/login/",
        {"username": "editor", "password": "a-long-test-password-9", "next": "/editor/"},
    )
    assert response.status_code == 302 and response["Location"] == "/editor/"
    page = client.get("/editor/").content.decode()
    assert "Logged in as editor." in page and 'id="login-notice"' not in page


def test_a_preset_copy_opens_read_only_in_the_editor(editor):
    call_command("loadpresets", stdout=io.StringIO())
    page = editor.get("/editor/seed-story/").content.decode()
    assert '"builtIn": true' in page
