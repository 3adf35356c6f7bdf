"""When each narration step of a scenario starts, known before the class gets there.

A step is tied to a time (``at``) or to the first event of a reason (``event``, e.g.
``NodeNotReady``) in any lane. The engine is deterministic given the scenario and its seed, so a
headless run of the whole scenario tells when every event step starts; the page can then offer a
jump to any step at any time, and seeking back does not take the steps away again.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from threading import Lock

from simulator.engine.simulation import Simulation
from simulator.scenario.types import Scenario

_CACHE_SIZE = 64
_cache: OrderedDict[str, tuple[float | None, ...]] = OrderedDict()
_cache_lock = Lock()


def _key(scenario: Scenario) -> str:
    # The dataclass repr holds every field: equal scenarios, equal keys.
    return hashlib.sha256(repr(scenario).encode()).hexdigest()


def step_times(scenario: Scenario) -> tuple[float | None, ...]:
    """The start of each of ``scenario.narration``'s steps, in simulated seconds: its ``at``,
    or the first time an event of its reason happens in any lane of a headless run from the
    seed (None if it never happens before the end). Cached per scenario; runs the engine over
    the whole duration once (a fraction of a second for the built-in lessons), so call it from
    a worker thread."""
    key = _key(scenario)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    times = _compute(scenario)
    with _cache_lock:
        _cache[key] = times
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return times


def _compute(scenario: Scenario) -> tuple[float | None, ...]:
    reasons = {step.event for step in scenario.narration if step.at is None and step.event}
    first: dict[str, float] = {}
    if reasons:
        simulation = Simulation(scenario)
        simulation.advance_to(scenario.duration)
        for lane in simulation.lanes:
            for event in lane.events:
                reason = event["reason"]
                if reason in reasons:
                    start = event.get("firstTime", event["time"])
                    first[reason] = min(first.get(reason, start), start)
    return tuple(
        step.at if step.at is not None else first.get(step.event or "")
        for step in scenario.narration
    )
