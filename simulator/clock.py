"""The simulated clock: a tiny discrete-event core (``now``, ``schedule``, ``step``, ``run``).

Events at the same time run by priority, then in scheduling order, so a run is fully
deterministic. "Quiet" events (probe ticks) skip the ``before_event`` hook, which the lane uses
to account traffic up to the current time before anything can change how requests are served.

Quiet events scheduled one right after another for the same time (the probe workers that share a
period and a phase) share one heap entry, a ``_Batch``: they would have run one after another
anyway, and the batch gives way whenever something scheduled meanwhile must run between two of
its events, so the order is exactly that of one entry per event.
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


class _Batch:
    """Quiet timers due at ``at`` with consecutive sequence numbers ``seqs``: one heap entry.

    It looks like a Timer to the queue (never cancelled itself: each member may be)."""

    __slots__ = ("args", "at", "callback", "cancelled", "quiet", "sealed", "seqs", "timers")

    def __init__(
        self,
        at: float,
        timers: list[Timer],
        seqs: list[int],
        run: Callable[[_Batch], None],
        sealed: bool = False,
    ) -> None:
        self.at = at
        self.timers = timers
        self.seqs = seqs
        self.quiet = True
        self.cancelled = False
        self.sealed = sealed  # taken off the queue: no more members
        self.callback = run
        self.args = (self,)


def _no_hook(now: float) -> None:
    return None


def _skipped(entry: Timer | _Batch) -> bool:
    """A cancelled timer, or a batch whose timers are all cancelled."""
    if isinstance(entry, _Batch):
        return all(timer.cancelled for timer in entry.timers)
    return entry.cancelled


class Clock:
    """Runs callbacks in simulated time order."""

    def __init__(self) -> None:
        self.now = 0.0
        self._queue: list[tuple[float, int, int, Timer | _Batch]] = []
        self._seq = 0
        self.before_event: Callable[[float], None] = _no_hook
        # The batch that holds the latest sequence number, if the latest event was batched.
        self._open_batch: _Batch | None = None

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
        return self.rearm_quiet(Timer(at, callback, (), True), at)

    def rearm_quiet(self, timer: Timer, at: float) -> Timer:
        """Queue ``timer``, which has just fired and was not cancelled, again at ``at >= now``
        (the probe ticks' fast path: no new Timer per attempt). Ordered as a new ``schedule``."""
        timer.at = at
        self._seq += 1
        batch = self._open_batch
        if (
            batch is not None
            and batch.at == at
            and not batch.sealed
            and batch.seqs[-1] == self._seq - 1
        ):
            # Nothing was queued since this batch's last timer: this one runs right after it.
            batch.timers.append(timer)
            batch.seqs.append(self._seq)
            return timer
        batch = _Batch(at, [timer], [self._seq], self._run_batch)
        self._open_batch = batch
        heapq.heappush(self._queue, (at, PRIORITY_NORMAL, self._seq, batch))
        return timer

    def _run_batch(self, batch: _Batch, limit: int | None = None) -> None:
        """Run the batch's timers in order (at most ``limit`` of them); whenever an event queued
        meanwhile sorts before the next one, queue the rest again in its own place."""
        batch.sealed = True
        timers = batch.timers
        seqs = batch.seqs
        queue = self._queue
        at = batch.at
        ran = 0
        # The queue's head, known to sort after the next timer. While it stays the head, so
        # does that: nothing sorts between two timers of the batch (consecutive numbers).
        known = queue[0] if queue else None
        for index, timer in enumerate(timers):
            if index:
                head = queue[0] if queue else None
                if (limit is not None and ran >= limit) or (
                    head is not known
                    and head is not None
                    and head < (at, PRIORITY_NORMAL, seqs[index])
                ):
                    rest = _Batch(at, timers[index:], seqs[index:], self._run_batch, sealed=True)
                    heapq.heappush(queue, (at, PRIORITY_NORMAL, seqs[index], rest))
                    return
                known = head
            if not timer.cancelled:
                timer.callback(*timer.args)
                ran += 1

    def call_soon(self, callback: Callable[..., Any], *args: Any) -> Timer:
        """Run ``callback(*args)`` at the current time, after what is already due now."""
        return self.schedule(self.now, callback, *args)

    def peek(self) -> float | None:
        """The time of the next pending event, or None."""
        queue = self._queue
        while queue and _skipped(queue[0][3]):
            heapq.heappop(queue)
        return queue[0][0] if queue else None

    def step(self) -> bool:
        """Run the next event; False when nothing is pending."""
        queue = self._queue
        while queue:
            at, _priority, _seq, timer = heapq.heappop(queue)
            if _skipped(timer):
                continue
            self.now = at
            if isinstance(timer, _Batch):
                self._run_batch(timer, limit=1)
                return True
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
