from django.apps import AppConfig


class RunsConfig(AppConfig):
    """Live runs: host and leases, manager, frames, relay, viewers, consumers, roles."""

    name = "runs"
    default_auto_field = "django.db.models.BigAutoField"
