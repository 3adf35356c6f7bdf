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


def test_quiet_events_due_together_keep_their_order_around_events_queued_meanwhile():
    # Rearmed one after another for the same time, the ticks share one queue entry; what the
    # first tick queues for that time at a lower priority number still runs before the second.
    clock = Clock()
    seen = []
    timers = {}

    def tick(name):
        seen.append(name)
        if name == "a":
            clock.schedule(clock.now, seen.append, "bucket", priority=PRIORITY_BUCKET)
            clock.schedule(clock.now, seen.append, "normal")
        if clock.now < 2.0:
            clock.rearm_quiet(timers[name], clock.now + 1.0)

    for name in ("a", "b", "c"):
        timers[name] = clock.schedule_quiet(1.0, lambda name=name: tick(name))
    clock.schedule(2.0, seen.append, "other")
    clock.run(3.0)
    assert seen == [
        *["a", "bucket", "b", "c", "normal"],
        *["other", "a", "bucket", "b", "c", "normal"],
    ]


def test_a_cancelled_quiet_event_is_skipped_within_its_batch():
    clock = Clock()
    seen = []
    clock.schedule_quiet(1.0, lambda: seen.append(1))
    clock.schedule_quiet(1.0, lambda: seen.append(2)).cancel()
    clock.schedule_quiet(1.0, lambda: seen.append(3))
    assert clock.peek() == 1.0
    assert clock.step()
    assert seen == [1]
    assert clock.step()
    assert seen == [1, 3]
    assert not clock.step()


def test_a_queue_of_cancelled_quiet_events_is_empty():
    clock = Clock()
    for _ in range(3):
        clock.schedule_quiet(1.0, lambda: None).cancel()
    assert clock.peek() is None
