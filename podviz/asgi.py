"""ASGI entry point: HTTP through Django (static files included), WebSockets through Channels."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podviz.settings")

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.sessions import SessionMiddlewareStack  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

from podviz.origins import SameOriginValidator  # noqa: E402
from podviz.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        # Static files (plotly.js among them) come from the app itself: no web server to set up.
        "http": ASGIStaticFilesHandler(django_asgi_app),
        # Only pages of this server, port included, may open a run's socket (podviz/origins.py);
        # the session tells a run's presenter from its followers (podviz/roles.py).
        "websocket": SameOriginValidator(SessionMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
