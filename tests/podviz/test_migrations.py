"""A database of the schema before the apps were split keeps its rows through ``migrate``.

Until then one app, labelled "podviz", held both models, with migrations 0001 and 0002 (kept
unchanged in scenarios/migrations/, the app that keeps the label). These tests take the test
database back to that state, put rows in it as the old code did, migrate it with today's code
and read the rows through today's models.
"""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from runs.models import ClassRun
from scenarios.models import SavedScenario

BEFORE_THE_SPLIT = [("podviz", "0002_class_run"), ("runs", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_saved_scenarios_and_class_runs_survive_the_split():
    executor = migrate(BEFORE_THE_SPLIT)
    old = executor.loader.project_state(BEFORE_THE_SPLIT[0]).apps
    assert "runs" not in {model._meta.app_label for model in old.get_models()}
    old.get_model("podviz", "SavedScenario").objects.create(
        slug="kept", title="Kept", yaml_text="text: as written\n", version=3
    )
    old.get_model("podviz", "ClassRun").objects.create(
        run_id="abc123",
        scenario_slug="kept",
        scenario_text="text: as written\n",
        title={"en": "Kept", "ko": "유지"},
        injected=[{"at": 5.0, "action": "crashContainer"}],
        sim_time=42.5,
        speed=2.0,
        playing=False,
        presenter_secret="s3cret",
        join_code="ABCDE",
    )

    migrate(latest())

    saved = SavedScenario.objects.get(slug="kept")
    assert (saved.title, saved.yaml_text, saved.version) == ("Kept", "text: as written\n", 3)
    run = ClassRun.objects.get(run_id="abc123")
    assert run.title == {"en": "Kept", "ko": "유지"}
    assert run.injected == [{"at": 5.0, "action": "crashContainer"}]
    assert (run.sim_time, run.speed, run.playing) == (42.5, 2.0, False)
    assert (run.presenter_secret, run.join_code) == ("s3cret", "ABCDE")
    assert ClassRun._meta.db_table == "podviz_classrun"
    assert SavedScenario._meta.db_table == "podviz_savedscenario"


@pytest.mark.django_db(transaction=True)
def test_the_class_run_permissions_follow_the_model_to_runs():
    # A database of the old schema has ClassRun's content type under "podviz", with its
    # permissions (granted to users, named in the admin's log) pointing at it.
    migrate(BEFORE_THE_SPLIT)
    ContentType.objects.clear_cache()
    assert not ContentType.objects.filter(app_label="runs", model="classrun").exists()
    old_type, _ = ContentType.objects.get_or_create(app_label="podviz", model="classrun")
    permission, _ = Permission.objects.get_or_create(
        content_type=old_type, codename="view_classrun", defaults={"name": "Can view class run"}
    )

    migrate(latest())
    ContentType.objects.clear_cache()

    moved = ContentType.objects.get_for_model(ClassRun)
    assert moved.pk == old_type.pk
    assert Permission.objects.get(pk=permission.pk).content_type_id == moved.pk
    assert not ContentType.objects.filter(app_label="podviz", model="classrun").exists()
