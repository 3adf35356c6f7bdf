from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    """Saved scenarios: the documents, their API and the editor.

    The label stays "podviz", the label of the single app this project once was: the table
    ``podviz_savedscenario``, the migration history recorded under "podviz" (0001, 0002) and the
    admin's URLs (``/admin/podviz/savedscenario/``) stay as they were, so a database of an
    earlier version migrates with no step by hand (docs/architecture.md, "Database").
    """

    name = "scenarios"
    label = "podviz"
    verbose_name = "podviz"
    default_auto_field = "django.db.models.BigAutoField"
