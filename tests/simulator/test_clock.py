"""The discrete-event core."""

from __future__ import annotations

from simulator.clock import PRIORITY_BUCKET, PRIORITY_INJECTED, Clock


def test_events_run_in_time_then_priority_then_scheduling_order():
    clock = Clock()
    seen = []
    clock.schedule(2.0, seen.append, "b")
    clock.schedule(1.0, seen.append, "a")
    clock.schedule(2.0, seen.append, "c")
    clock.schedule(2.0, seen.append, "injected", priority=PRIORITY_INJECTED)
    clock.schedule(2.0, seen.append, "bucket", priority=PRIORITY_BUCKET)
    clock.run(5.0)
    assert seen == ["a", "bucket", "b", "c", "injected"]
    assert clock.now == 5.0


def test_run_stops_at_until_and_includes_events_at_it():
    clock = Clock()
    seen = []
    clock.schedule(1.0, seen.append, 1)
    clock.schedule(1.5, seen.append, 2)
    clock.run(1.0)
    assert seen == [1]
    assert clock.now == 1.0
    assert clock.peek() == 1.5


def test_cancelled_timers_are_skipped():
    clock = Clock()
    seen = []
    clock.schedule(1.0, seen.append, 1).cancel()
    clock.schedule(2.0, seen.append, 2)
    assert clock.step()
    assert seen == [2]
    assert not clock.step()


def test_quiet_events_skip_the_before_event_hook():
    clock = Clock()
    flushed = []
    clock.before_event = flushed.append
    clock.schedule(1.0, lambda: None)
    clock.schedule(2.0, lambda: None, quiet=True)
    clock.schedule_quiet(3.0, lambda: None)
    clock.run(4.0)
    assert flushed == [1.0]


def test_events_scheduled_in_the_past_run_now():
    clock = Clock()
    clock.run(5.0)
    seen = []
    clock.schedule(1.0, lambda: seen.append(clock.now))
    clock.call_soon(lambda: seen.append(clock.now))
    clock.run(5.0)
    assert seen == [5.0, 5.0]
