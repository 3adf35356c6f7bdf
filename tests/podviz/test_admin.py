"""The admin of saved scenarios applies the store's rules and shows problems on the YAML field."""

import pytest

from scenarios import store as scenario_store
from scenarios.models import SavedScenario
from simulator.scenario.presets import preset_slugs

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/podviz/savedscenario/add/"

SCENARIO = """\
apiVersion: podviz/v1
kind: Scenario
metadata:
  name: {name}
  title: {title}
spec:
  duration: 60
  workload:
    apiVersion: v1
    kind: Pod
    metadata: {{name: solo}}
    spec:
      containers: [{{name: app, image: nginx:1.27}}]
"""


def scenario_text(name="solo", title="Solo"):
    return SCENARIO.format(name=name, title=title)


def change_url(saved):
    return f"/admin/podviz/savedscenario/{saved.pk}/change/"


def field_errors(response):
    return response.context["adminform"].form.errors.get("yaml_text", [])


def test_the_list_and_the_forms_render(admin_client):
    saved = scenario_store.create(scenario_text())
    assert admin_client.get("/admin/podviz/savedscenario/").status_code == 200
    assert admin_client.get(ADD_URL).status_code == 200
    page = admin_client.get(change_url(saved))
    assert page.status_code == 200
    assert 'name="based_on_version" value="1"' in page.content.decode()


def test_adding_a_valid_scenario_saves_it_as_written(admin_client):
    text = scenario_text()
    response = admin_client.post(ADD_URL, {"yaml_text": text.replace("\n", "\r\n")})
    assert response.status_code == 302
    saved = SavedScenario.objects.get(slug="solo")
    assert (saved.yaml_text, saved.version, saved.title) == (text, 1, "Solo")


def test_an_invalid_document_shows_every_problem_on_the_yaml_field(admin_client):
    text = scenario_text().replace("duration: 60", "duration: -1").replace("image: ", "imag: ")
    response = admin_client.post(ADD_URL, {"yaml_text": text})
    assert response.status_code == 200
    errors = field_errors(response)
    assert any(error.startswith("spec.duration: Invalid value: -1") for error in errors)
    assert any("image: Required value" in error for error in errors)
    assert all("(line " in error for error in errors)
    assert not SavedScenario.objects.exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("solo", "'solo' already exists (version 1)"),
        (preset_slugs()[0], "name of a built-in scenario"),
        ("import", "reserved by the scenario API"),
    ],
)
def test_a_name_that_is_taken_or_reserved_is_refused(admin_client, name, expected):
    scenario_store.create(scenario_text())
    response = admin_client.post(ADD_URL, {"yaml_text": scenario_text(name, "Other")})
    assert response.status_code == 200
    assert any(expected in error for error in field_errors(response))
    assert SavedScenario.objects.count() == 1


def test_an_edit_of_the_current_version_is_saved_with_a_new_version(admin_client):
    saved = scenario_store.create(scenario_text())
    edited = scenario_text(title="Edited")
    response = admin_client.post(change_url(saved), {"yaml_text": edited, "based_on_version": "1"})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.yaml_text, saved.version, saved.title) == (edited, 2, "Edited")


def test_an_edit_of_an_older_version_is_refused(admin_client):
    saved = scenario_store.create(scenario_text())
    newer = scenario_text(title="Saved in another tab")
    scenario_store.update("solo", newer, based_on_version=1)
    response = admin_client.post(
        change_url(saved), {"yaml_text": scenario_text(title="Mine"), "based_on_version": "1"}
    )
    assert response.status_code == 200
    assert field_errors(response) == [
        "this scenario was changed elsewhere (version 2, you edited version 1): "
        "reload it, or save yours under another name"
    ]
    saved.refresh_from_db()
    assert (saved.yaml_text, saved.version) == (newer, 2)


def test_an_invalid_edit_keeps_the_saved_text(admin_client):
    saved = scenario_store.create(scenario_text())
    response = admin_client.post(
        change_url(saved), {"yaml_text": "spec: [unclosed", "based_on_version": "1"}
    )
    assert response.status_code == 200
    assert any("YAML syntax error" in error for error in field_errors(response))
    saved.refresh_from_db()
    assert (saved.yaml_text, saved.version) == (scenario_text(), 1)


def test_an_edit_may_not_rename_the_scenario(admin_client):
    saved = scenario_store.create(scenario_text())
    response = admin_client.post(
        change_url(saved), {"yaml_text": scenario_text("renamed"), "based_on_version": "1"}
    )
    assert any("must stay 'solo'" in error for error in field_errors(response))
    assert not SavedScenario.objects.filter(slug="renamed").exists()
