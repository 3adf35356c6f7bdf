"""ClassRun now lives in the runs app: removed from this app's state only.

Its table, podviz_classrun, and its rows stay; runs/migrations/0001_initial.py takes the model
over in its own state, on the same table.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("podviz", "0002_class_run"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ClassRun")],
            database_operations=[],
        ),
    ]
