"""A saved scenario belongs to the user who saved it: others read and fork it, its owner and
staff change it, through the API, the import and the admin; scenarios saved before owners
existed go to the first superuser (migration 0004)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from scenarios.models import SavedScenario

from .test_scenario_api import scenario_text

pytestmark = pytest.mark.django_db


def logged_in(django_user_model, name: str, **flags) -> Client:
    user = django_user_model.objects.create_user(name, **flags)
    client = Client()
    client.force_login(user)
    return client


def put(client: Client, title: str, version: int):
    body = json.dumps({"yaml": scenario_text(title=title), "version": version})
    return client.put("/api/scenarios/web", body, content_type="application/json")


def test_only_the_owner_and_staff_change_a_scenario_others_read_and_fork_it(django_user_model):
    alice = logged_in(django_user_model, "alice")
    bob = logged_in(django_user_model, "bob")
    staff = logged_in(django_user_model, "carol", is_staff=True)
    created = alice.post("/api/scenarios", scenario_text(), content_type="text/yaml")
    assert created.status_code == 201 and created.json()["owner"] == "alice"

    refused = put(bob, "Defaced", 1)
    assert refused.status_code == 403
    assert "'web' belongs to alice" in refused.json()["error"]
    assert "give your copy another metadata.name" in refused.json()["error"]
    upload = SimpleUploadedFile("web.yaml", scenario_text(title="Defaced").encode())
    imported = bob.post("/api/scenarios/import", {"file": upload, "overwrite": "1", "version": 1})
    assert imported.status_code == 403
    assert SavedScenario.objects.get(slug="web").title == "Web"

    assert bob.get("/api/scenarios/web").json()["yaml"] == scenario_text()
    fork = bob.post("/api/scenarios", scenario_text("web-bob"), content_type="text/yaml")
    assert fork.status_code == 201 and fork.json()["owner"] == "bob"

    assert put(alice, "Alice's", 1).status_code == 200
    assert put(staff, "Staff's", 2).status_code == 200
    listed = {item["slug"]: item["owner"] for item in bob.get("/api/scenarios").json()["scenarios"]}
    assert listed == {"web": "alice", "web-bob": "bob"}


def test_the_admin_records_the_owner_and_holds_other_staff_to_the_store_rules(
    django_user_model,
):
    admin = django_user_model.objects.create_superuser("root")
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/admin/podviz/savedscenario/add/", {"yaml_text": scenario_text(), "based_on_version": ""}
    )
    assert response.status_code == 302, response.content[:500]
    assert SavedScenario.objects.get(slug="web").owner == admin
    page = client.get("/admin/podviz/savedscenario/").content.decode()
    assert "root" in page


@pytest.mark.django_db(transaction=True)  # SQLite alters tables outside a transaction only
def test_the_migration_gives_existing_scenarios_to_the_first_superuser(django_user_model):
    executor = MigrationExecutor(connection)
    executor.migrate([("podviz", "0002_class_run")])
    old_apps = executor.loader.project_state([("podviz", "0002_class_run")]).apps
    first = django_user_model.objects.create_superuser("first")
    django_user_model.objects.create_superuser("second")
    old_apps.get_model("podviz", "SavedScenario").objects.create(
        slug="web", title="Web", yaml_text=scenario_text()
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert SavedScenario.objects.get(slug="web").owner_id == first.pk
