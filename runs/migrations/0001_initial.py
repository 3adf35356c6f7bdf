"""ClassRun, taken over from the app labelled "podviz" (scenarios), on its table podviz_classrun.

A database of an earlier version has the table and its rows already: this migration changes only
Django's state, and moves the model's content type (with its permissions) to this app. On a new
database, podviz's 0002 created the table just before.
"""

from django.db import migrations, models


def move_content_type(apps, schema_editor, source="podviz", target="runs"):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if content_type.objects.using(db).filter(app_label=target, model="classrun").exists():
        return
    content_type.objects.using(db).filter(app_label=source, model="classrun").update(
        app_label=target
    )


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="runs", target="podviz")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("podviz", "0003_class_run_moves_to_runs"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ClassRun",
                    fields=[
                        (
                            "run_id",
                            models.CharField(max_length=16, primary_key=True, serialize=False),
                        ),
                        ("scenario_slug", models.CharField(max_length=63)),
                        (
                            "scenario_text",
                            models.TextField(
                                help_text="The scenario document the run was started from."
                            ),
                        ),
                        (
                            "title",
                            models.JSONField(
                                default=dict, help_text="The scenario's title by language."
                            ),
                        ),
                        (
                            "injected",
                            models.JSONField(
                                default=list, help_text="Faults injected by hand, in order."
                            ),
                        ),
                        (
                            "sim_time",
                            models.FloatField(
                                default=0.0, help_text="Simulated seconds since the start."
                            ),
                        ),
                        ("speed", models.FloatField(default=1.0)),
                        ("playing", models.BooleanField(default=True)),
                        ("presenter_secret", models.CharField(max_length=64)),
                        (
                            "join_code",
                            models.CharField(blank=True, max_length=12, null=True, unique=True),
                        ),
                        ("forked_from", models.CharField(blank=True, max_length=16)),
                        ("owner_channel", models.CharField(blank=True, max_length=200)),
                        ("lease_expires_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "verbose_name": "class run",
                        "db_table": "podviz_classrun",
                        "ordering": ("-updated_at",),
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
