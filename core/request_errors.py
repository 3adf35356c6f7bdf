"""Answers for requests that fail outside what a view checks: never a 500 without a reason.

- ``bad_request`` (``handler400``): Django answers 400 for a body it cannot read (a malformed
  multipart body, too many fields, a body read twice) and for suspicious requests, with an empty
  page by default; here the answer names the problem, as JSON under ``/api/`` (the API's promise,
  docs/scenario-api.md) and as text elsewhere.
- ``DatabaseBusyMiddleware``: a view that waited longer than the database's lock timeout (SQLite:
  5 s) answers 503 with ``Retry-After`` instead of 500; the request changed nothing.
"""

from __future__ import annotations

import logging

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.deprecation import MiddlewareMixin

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
BUSY_MESSAGE = "the server's database is busy; nothing was changed: try again in a few seconds"


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _answer(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"error": message}, status=status)
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 400 answer (``handler400``): what could not be read, and what to send."""
    reason = str(exception) if exception is not None and str(exception) else "malformed request"
    message = (
        f"the request could not be read: {reason}; send the form again, or for the API "
        "a JSON or YAML body (docs/scenario-api.md)"
    )
    return _answer(request, 400, message)


def is_database_busy(error: BaseException) -> bool:
    """Whether ``error`` is the database refusing for a lock held too long (SQLite's "database
    is locked", PostgreSQL's lock timeout)."""
    text = str(error).lower()
    return isinstance(error, OperationalError) and ("locked" in text or "lock timeout" in text)


def busy_response(request: HttpRequest) -> HttpResponse:
    response = _answer(request, 503, BUSY_MESSAGE)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware(MiddlewareMixin):
    """503 with ``Retry-After`` for a view that gave up waiting for a database lock."""

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_busy(exception):
            return None
        logger.warning(
            "%s %s: 503, the database is busy (%s)", request.method, request.path, exception
        )
        return busy_response(request)
