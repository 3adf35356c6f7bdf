"""The clock's shared entries for quiet events keep every event's place: generated schedules run
in exactly the order of a queue with one entry per event (time, priority, scheduling order)."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.clock import PRIORITY_BUCKET, PRIORITY_INJECTED, PRIORITY_NORMAL, Clock


class _ReferenceTimer:
    def __init__(self, callback: Callable[[], Any]) -> None:
        self.callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class ReferenceClock:
    """One heap entry per event, ordered by (time, priority, scheduling order)."""

    def __init__(self) -> None:
        self.now = 0.0
        self._queue: list[tuple[float, int, int, _ReferenceTimer]] = []
        self._seq = 0

    def schedule(self, at: float, callback: Callable[[], Any], priority: int) -> _ReferenceTimer:
        timer = _ReferenceTimer(callback)
        self._seq += 1
        heapq.heappush(self._queue, (max(at, self.now), priority, self._seq, timer))
        return timer

    def schedule_quiet(self, at: float, callback: Callable[[], Any]) -> _ReferenceTimer:
        return self.schedule(at, callback, PRIORITY_NORMAL)

    def rearm_quiet(self, timer: _ReferenceTimer, at: float) -> _ReferenceTimer:
        self._seq += 1
        heapq.heappush(self._queue, (at, PRIORITY_NORMAL, self._seq, timer))
        return timer

    def run(self, until: float) -> None:
        while self._queue and self._queue[0][0] <= until:
            at, _priority, _seq, timer = heapq.heappop(self._queue)
            if not timer.cancelled:
                self.now = at
                timer.callback()


PRIORITIES = (PRIORITY_BUCKET, PRIORITY_NORMAL, PRIORITY_INJECTED)
# What an event does each time it runs: re-queue itself (quiet events), queue a quiet or an
# ordinary event (delay, priority), or cancel the event started with that index.
actions = st.one_of(
    st.tuples(st.just("rearm"), st.sampled_from([0.5, 1.0, 2.0])),
    st.tuples(st.just("quiet"), st.sampled_from([0.0, 1.0])),
    st.tuples(st.just("event"), st.sampled_from([0.0, 1.0]), st.sampled_from(PRIORITIES)),
    st.tuples(st.just("cancel"), st.integers(0, 11)),
)
starts = st.lists(
    st.tuples(
        st.sampled_from([0.0, 0.5, 1.0, 2.0]),
        st.booleans(),  # quiet
        st.sampled_from(PRIORITIES),
        st.lists(actions, max_size=3),
    ),
    min_size=1,
    max_size=12,
)


def _fire_order(clock: Any, plan: list) -> list[tuple[int, float]]:
    """Run ``plan`` on ``clock``; the (event id, time) of every event run, in order."""
    seen: list[tuple[int, float]] = []
    timers: dict[int, Any] = {}
    next_id = [len(plan)]

    def fire(event: int, steps: list, quiet: bool) -> None:
        seen.append((event, clock.now))
        if len(seen) > 400:
            return
        for step in steps:
            if step[0] == "rearm" and quiet and clock.now < 6:
                timers[event] = clock.rearm_quiet(timers[event], clock.now + step[1])
            elif step[0] == "quiet":
                spawned = next_id[0]
                next_id[0] += 1
                timers[spawned] = clock.schedule_quiet(
                    clock.now + step[1], lambda spawned=spawned: fire(spawned, [], True)
                )
            elif step[0] == "event":
                spawned = next_id[0]
                next_id[0] += 1
                timers[spawned] = _schedule(
                    clock,
                    clock.now + step[1],
                    step[2],
                    lambda spawned=spawned: fire(spawned, [], False),
                )
            elif step[0] == "cancel" and step[1] in timers and step[1] != event:
                timers[step[1]].cancel()

    for event, (at, quiet, priority, steps) in enumerate(plan):
        callback = lambda event=event, steps=steps, quiet=quiet: fire(event, steps, quiet)  # noqa: E731
        if quiet:
            timers[event] = clock.schedule_quiet(at, callback)
        else:
            timers[event] = _schedule(clock, at, priority, callback)
    clock.run(10.0)
    return seen


def _schedule(clock: Any, at: float, priority: int, callback: Callable[[], Any]) -> Any:
    if isinstance(clock, Clock):
        return clock.schedule(at, callback, priority=priority)
    return clock.schedule(at, callback, priority)


@settings(max_examples=300, deadline=None)
@given(starts)
def test_shared_quiet_entries_run_events_in_the_order_of_one_entry_each(plan):
    assert _fire_order(Clock(), plan) == _fire_order(ReferenceClock(), plan)
