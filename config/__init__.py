"""The Django project: settings, URLs, ASGI and WebSocket routes that wire the apps together."""
