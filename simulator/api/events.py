"""Kubernetes Events, oldest first, as plain dicts of the results format.

Every occurrence is appended (the list is append-only, for live streaming); ``count`` is the
running count the API's Event object would show for identical events of one object.
"""

from __future__ import annotations

from collections.abc import Callable

NORMAL = "Normal"
WARNING = "Warning"


class EventRecorder:
    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now
        self.events: list[dict] = []
        self._counts: dict[tuple[str, str, str], int] = {}
        self._first: dict[tuple[str, str, str], float] = {}

    def record(self, obj: str, type_: str, reason: str, message: str) -> dict:
        """Record an event on ``obj`` (``"Pod/web-1"``, ``"Node/node2"``, ...)."""
        now = self._now()
        key = (obj, reason, message)
        count = self._counts.get(key, 0) + 1
        self._counts[key] = count
        first = self._first.setdefault(key, now)
        event = {
            "time": now,
            "object": obj,
            "type": type_,
            "reason": reason,
            "message": message,
            "count": count,
            "firstTime": first,
        }
        self.events.append(event)
        return event

    def normal(self, obj: str, reason: str, message: str) -> dict:
        return self.record(obj, NORMAL, reason, message)

    def warning(self, obj: str, reason: str, message: str) -> dict:
        return self.record(obj, WARNING, reason, message)
