"""ASGI entry point: HTTP through Django, WebSockets through Channels.

Static files (plotly.js among them) are served by WhiteNoise's middleware inside Django, from the
hashed and compressed copies `collectstatic` made: no web server to set up.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.sessions import SessionMiddlewareStack  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from core.origins import SameOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        # Static files are served by WhiteNoise's middleware (config/settings.py).
        "http": django_asgi_app,
        # Only pages of this server, port included, may open a run's socket (core/origins.py);
        # the session tells a run's presenter from its followers (runs/roles.py).
        "websocket": SameOriginValidator(SessionMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
