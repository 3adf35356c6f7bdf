"""A bounded log of recent probe attempts (what the dashboard's probe panel shows)."""

from __future__ import annotations

from collections import deque

DEFAULT_CAPACITY = 500


class ProbeLog:
    """The last ``capacity`` attempts of one lane, oldest first.

    Attempts are kept as tuples (the hot path) and turned into dicts when read.
    """

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self._attempts: deque[tuple] = deque(maxlen=capacity)
        # Add one attempt: (time, pod, container, probe type, result, consecutive successes,
        # consecutive failures, successThreshold, failureThreshold).
        self.append = self._attempts.append

    def records(self) -> list[dict]:
        keys = (
            "time",
            "pod",
            "container",
            "probeType",
            "result",
            "consecutiveSuccesses",
            "consecutiveFailures",
            "successThreshold",
            "failureThreshold",
        )
        return [dict(zip(keys, attempt, strict=True)) for attempt in self._attempts]
