"""When each narration step of a scenario starts, known before the class gets there.

A step is tied to a time (``at``) or to the first event of a reason (``event``, e.g.
``NodeNotReady``) in any lane. The engine is deterministic given the scenario and its seed, so a
headless run of the whole scenario (simulator/advisor/foresight.py) tells when every event step
starts; the page can then offer a jump to any step at any time, and seeking back does not take
the steps away again.
"""

from __future__ import annotations

from simulator.engine.simulation import Simulation
from simulator.scenario.types import Scenario


def needs_run(scenario: Scenario) -> bool:
    """Whether a step of ``scenario.narration`` is tied to an event (its time needs a run)."""
    return any(step.at is None and step.event for step in scenario.narration)


def step_times(scenario: Scenario, simulation: Simulation | None) -> tuple[float | None, ...]:
    """The start of each of ``scenario.narration``'s steps, in simulated seconds: its ``at``,
    or the first time an event of its reason happens in any lane of ``simulation``, a headless
    run of ``scenario`` advanced to its end (None if it never happens). ``simulation`` may be
    None when no step needs it (``needs_run``)."""
    reasons = {step.event for step in scenario.narration if step.at is None and step.event}
    first: dict[str, float] = {}
    if reasons and simulation is not None:
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
