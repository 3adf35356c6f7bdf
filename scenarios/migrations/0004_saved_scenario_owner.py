"""Saved scenarios get an owner: only they and staff may change one.

Scenarios saved before owners existed go to the first superuser (the one with the lowest id), the
account that ran the site then; without a superuser they stay without owner, which leaves them
to staff (docs/scenario-api.md, "Who may do what").
"""

from django.conf import settings
from django.db import migrations, models


def give_to_first_superuser(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    SavedScenario = apps.get_model("podviz", "SavedScenario")
    first = User.objects.filter(is_superuser=True).order_by("pk").first()
    if first is not None:
        SavedScenario.objects.filter(owner__isnull=True, origin="").update(owner=first)


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("podviz", "0003_class_run_moves_to_runs"),
    ]

    operations = [
        migrations.AddField(
            model_name="savedscenario",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                help_text="The user who saved it: only they and staff may change it.",
                null=True,
                on_delete=models.deletion.SET_NULL,
                related_name="saved_scenarios",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(give_to_first_superuser, migrations.RunPython.noop),
    ]
