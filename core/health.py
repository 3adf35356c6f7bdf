"""Health endpoints for an orchestrator's probes (deploy/, docs/deploy.md).

- ``/healthz/live``: the process answers HTTP. Nothing else is checked: a database or Redis
  that is down is not cured by restarting podviz, and a liveness probe that checked them would
  restart every replica at once during such an outage.
- ``/healthz/ready``: the process can serve a page and a run: the database answers a query and a
  message sent through the channel layer comes back. 503 otherwise, naming what failed, so the
  Service stops sending new visitors here until it recovers.

Answered by a middleware placed first, before the allowed-hosts check (a kubelet's probe names
the pod's address, not the site's host name), the HTTPS redirect (a probe speaks plain HTTP to
the pod) and the session: a probe needs none of them and must not be refused by them.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.http import HttpRequest, HttpResponse

LIVE_PATH = "/healthz/live"
READY_PATH = "/healthz/ready"
CHANNEL_LAYER_SECONDS = 1.0  # a message through the layer takes milliseconds when it is healthy


def _answer(status: int, checks: dict[str, str]) -> HttpResponse:
    response = HttpResponse(
        json.dumps({"status": "ok" if status == 200 else "unavailable", "checks": checks}),
        status=status,
        content_type="application/json",
    )
    response["Cache-Control"] = "no-store"
    return response


def database_check() -> str:
    """ "ok" if the database answers ``SELECT 1``, else the error's text."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return f"error: {type(error).__name__}: {error}"
    return "ok"


async def _round_trip() -> None:
    layer = get_channel_layer()
    channel = await layer.new_channel("healthz.")
    await layer.send(channel, {"type": "healthz.ping"})
    await asyncio.wait_for(layer.receive(channel), CHANNEL_LAYER_SECONDS)


def channel_layer_check() -> str:
    """ "ok" if a message sent to a new channel of the layer comes back within
    ``CHANNEL_LAYER_SECONDS``, else the error's text."""
    try:
        async_to_sync(_round_trip)()
    except TimeoutError:
        return f"error: no message back within {CHANNEL_LAYER_SECONDS:g} s"
    except Exception as error:
        return f"error: {type(error).__name__}: {error}"
    return "ok"


def health_middleware(get_response: Callable[[HttpRequest], HttpResponse]):
    """Answers ``GET``/``HEAD`` of the two health paths; passes every other request on."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            if request.path == LIVE_PATH:
                return _answer(200, {})
            if request.path == READY_PATH:
                checks = {"database": database_check(), "channelLayer": channel_layer_check()}
                ok = all(value == "ok" for value in checks.values())
                return _answer(200 if ok else 503, checks)
        return get_response(request)

    return middleware
