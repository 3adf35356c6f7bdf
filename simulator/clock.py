"""The simulated clock: a tiny discrete-event core (``now``, ``schedule``, ``step``, ``run``).

Events at the same time run by priority, then in scheduling order, so a run is fully
deterministic. "Quiet" events (probe ticks) skip the ``before_event`` hook, which the lane uses
to account traffic up to the current time before anything can change how requests are served.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

# Lower runs first among events at the same time.
PRIORITY_BUCKET = 0
PRIORITY_NORMAL = 1
PRIORITY_INJECTED = 2


class Timer:
    """A scheduled callback; ``cancel()`` makes the clock skip it."""

    __slots__ = ("args", "at", "callback", "cancelled", "quiet")

    def __init__(self, at: float, callback: Callable[..., Any], args: tuple, quiet: bool) -> None:
        self.at = at
        self.callback = callback
        self.args = args
        self.quiet = quiet
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


def _no_hook(now: float) -> None:
    return None


class Clock:
    """Runs callbacks in simulated time order."""

    def __init__(self) -> None:
        self.now = 0.0
        self._queue: list[tuple[float, int, int, Timer]] = []
        self._seq = 0
        self.before_event: Callable[[float], None] = _no_hook

    def schedule(
        self,
        at: float,
        callback: Callable[..., Any],
        *args: Any,
        quiet: bool = False,
        priority: int = PRIORITY_NORMAL,
    ) -> Timer:
        """Run ``callback(*args)`` at simulated time ``at`` (never before ``now``)."""
        if at < self.now:
            at = self.now
        timer = Timer(at, callback, args, quiet)
        self._seq += 1
        heapq.heappush(self._queue, (at, priority, self._seq, timer))
        return timer

    def schedule_quiet(self, at: float, callback: Callable[[], Any]) -> Timer:
        """A quiet event without arguments at ``at >= now`` (the probe ticks' fast path)."""
        timer = Timer(at, callback, (), True)
        self._seq += 1
        heapq.heappush(self._queue, (at, PRIORITY_NORMAL, self._seq, timer))
        return timer

    def rearm_quiet(self, timer: Timer, at: float) -> Timer:
        """Queue ``timer``, which has just fired and was not cancelled, again at ``at >= now``
        (the probe ticks' fast path: no new Timer per attempt). Ordered as a new ``schedule``."""
        timer.at = at
        self._seq += 1
        heapq.heappush(self._queue, (at, PRIORITY_NORMAL, self._seq, timer))
        return timer

    def call_soon(self, callback: Callable[..., Any], *args: Any) -> Timer:
        """Run ``callback(*args)`` at the current time, after what is already due now."""
        return self.schedule(self.now, callback, *args)

    def peek(self) -> float | None:
        """The time of the next pending event, or None."""
        queue = self._queue
        while queue and queue[0][3].cancelled:
            heapq.heappop(queue)
        return queue[0][0] if queue else None

    def step(self) -> bool:
        """Run the next event; False when nothing is pending."""
        queue = self._queue
        while queue:
            at, _priority, _seq, timer = heapq.heappop(queue)
            if timer.cancelled:
                continue
            self.now = at
            if not timer.quiet:
                self.before_event(at)
            timer.callback(*timer.args)
            return True
        return False

    def run(self, until: float) -> None:
        """Run every event due at or before ``until``; afterwards ``now == until``."""
        queue = self._queue
        pop = heapq.heappop
        before_event = self.before_event
        while queue:
            head = queue[0]
            if head[0] > until:
                break
            pop(queue)
            timer = head[3]
            if timer.cancelled:
                continue
            self.now = head[0]
            if not timer.quiet:
                before_event(self.now)
            timer.callback(*timer.args)
        self.now = max(self.now, until)
