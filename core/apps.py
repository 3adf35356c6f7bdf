from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The site's shared parts: the 404 page, origins, the secret key, static files, limits."""

    name = "core"
