"""Which pages may open a run's WebSocket: the server's own, port included.

A browser sends the page's origin (scheme, host and port) with every WebSocket handshake, and
lets any page open a socket to any server, with the user's cookies. Channels'
``AllowedHostsOriginValidator`` compares only the host name with ``ALLOWED_HOSTS``, so a page on
another port of the same host (another app on a shared classroom machine) passes. Here the origin
must name the very host and port the browser connected to (the ``Host`` header), and that host
must be allowed; ``PODVIZ_WEBSOCKET_ORIGINS`` adds other exact origins.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from channels.security.websocket import AllowedHostsOriginValidator, WebsocketDenier
from django.conf import settings
from django.http.request import validate_host

DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def _header(scope: dict, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin1")
    return None


def host_and_port(netloc: str, scheme: str) -> tuple[str, int] | None:
    """``(host, port)`` of a ``host[:port]`` with the scheme's default port; None if malformed."""
    try:
        parts = urlsplit(f"//{netloc}")
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return parts.hostname, port if port is not None else DEFAULT_PORTS.get(scheme, 0)


def origin_allowed(origin: str | None, host: str, *, secure: bool) -> bool:
    """Whether a page of ``origin`` may open a socket to ``host`` (the Host header)."""
    if origin is None:
        return False
    if origin in getattr(settings, "PODVIZ_WEBSOCKET_ORIGINS", ()):
        return True
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or parts.path or parts.query:
        return False
    page = host_and_port(parts.netloc, parts.scheme)
    server = host_and_port(host, "https" if secure else "http")
    # Behind a TLS-terminating proxy the socket arrives as ws:// with the page's https origin.
    if server is not None and parts.scheme == "https" and not secure and ":" not in host:
        server = (server[0], 443)
    if page is None or server is None or page != server:
        return False
    name = f"[{page[0]}]" if ":" in page[0] else page[0]  # IPv6, as ALLOWED_HOSTS writes it
    return validate_host(name, settings.ALLOWED_HOSTS)


class SameOriginValidator:
    """ASGI middleware: refuses (403 at the handshake) a WebSocket from any other origin.

    Without a ``Host`` header (only test scopes lack one) it falls back to Channels' rule.
    """

    def __init__(self, application) -> None:
        self.application = application
        self.fallback = AllowedHostsOriginValidator(application)

    async def __call__(self, scope, receive, send):
        host = _header(scope, b"host")
        if host is None:
            return await self.fallback(scope, receive, send)
        secure = scope.get("scheme") == "wss"
        if origin_allowed(_header(scope, b"origin"), host, secure=secure):
            return await self.application(scope, receive, send)
        denier = WebsocketDenier()
        return await denier(scope, receive, send)
