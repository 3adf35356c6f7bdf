"""What a headless run of a scenario as written tells a live run before it gets there.

The engine is deterministic given the scenario and its seed, so one run of the whole scenario,
made when a live run's first viewer joins, gives both when each narration step starts
(podviz/narration.py) and the predicted damage of each fault next to what the run measures
(simulator.advisor.prediction, docs/advisor.md). Faults injected by hand during the live run
are in neither. Cached per scenario.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock
from typing import Any

from simulator.advisor.prediction import predicted_damage
from simulator.engine.simulation import Simulation
from simulator.runs.figures import POD_FAULTS
from simulator.scenario.types import Scenario

from . import narration, questions

_CACHE_SIZE = 64
_cache: OrderedDict[str, Foresight] = OrderedDict()
_cache_lock = Lock()


@dataclass(frozen=True)
class Foresight:
    """``narration_times``: the start of each narration step (seconds, None: its event never
    happens); ``predictions``: ``Prediction.as_dict()`` of each pod fault in each variant, in
    ``predicted_damage``'s order (empty when the scenario has no pod fault), each with
    ``spoils``: the ids of the lesson's questions it would give away (questions.py); the page
    hides it while one of them is open."""

    narration_times: tuple[float | None, ...]
    predictions: tuple[dict[str, Any], ...]


def has_pod_faults(scenario: Scenario) -> bool:
    """Whether ``scenario`` has a fault that ``predicted_damage`` predicts."""
    return any(event.action in POD_FAULTS for event in scenario.events)


def _key(scenario: Scenario) -> str:
    # The dataclass repr holds every field: equal scenarios, equal keys.
    return hashlib.sha256(repr(scenario).encode()).hexdigest()


def foresee(scenario: Scenario) -> Foresight:
    """The narration's times and the predicted damage of ``scenario``, from one headless run
    over its whole duration (a fraction of a second for the built-in lessons; none when neither
    needs it), so call it from a worker thread. Cached per scenario."""
    key = _key(scenario)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    foresight = _compute(scenario)
    with _cache_lock:
        _cache[key] = foresight
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return foresight


def _compute(scenario: Scenario) -> Foresight:
    predict = has_pod_faults(scenario)
    if not predict and not narration.needs_run(scenario):
        return Foresight(narration.step_times(scenario, None), ())
    simulation = Simulation(scenario)
    simulation.advance_to(scenario.duration)
    predictions = ()
    if predict:
        found = predicted_damage(scenario, simulation.results())
        predictions = tuple(
            {**p.as_dict(), "spoils": questions.spoiled_questions(p.as_dict(), scenario.name)}
            for p in found
        )
    return Foresight(narration.step_times(scenario, simulation), predictions)
