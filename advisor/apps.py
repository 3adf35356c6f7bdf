from django.apps import AppConfig


class AdvisorConfig(AppConfig):
    """The advisor's pages: checking a pasted Deployment, sweeps, a run's report."""

    name = "advisor"
