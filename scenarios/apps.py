from django.apps import AppConfig


class PodvizConfig(AppConfig):
    name = "podviz"
    verbose_name = "podviz"
    default_auto_field = "django.db.models.BigAutoField"
