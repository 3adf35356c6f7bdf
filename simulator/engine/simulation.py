"""All variants ("lanes") of one scenario on one simulated clock; the engine's entry point."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from simulator.engine.lane import Lane
from simulator.results.document import build_results
from simulator.results.shapes import ResultsDocument
from simulator.scenario.types import Scenario, ScenarioEvent


class Simulation:
    """Runs every lane of ``scenario`` in step; ``injected`` replays earlier live events."""

    def __init__(self, scenario: Scenario, injected: Iterable[ScenarioEvent] = ()) -> None:
        self.scenario = scenario
        self.duration = float(scenario.duration)
        self.injected: list[ScenarioEvent] = list(injected)
        self.lanes = [Lane(scenario, variant, self.injected) for variant in scenario.variants]
        self.now = 0.0

    @property
    def finished(self) -> bool:
        return self.now >= self.duration

    def advance_to(self, time: float) -> None:
        """Run every lane up to ``min(time, duration)``."""
        target = min(float(time), self.duration)
        if target <= self.now:
            return
        for lane in self.lanes:
            lane.advance_to(target)
        self.now = target

    def inject(self, event: ScenarioEvent) -> ScenarioEvent:
        """Apply ``event`` now to every lane; it is recorded so a re-run reproduces it."""
        event = dataclasses.replace(event, at=self.now)
        self.injected.append(event)
        for lane in self.lanes:
            lane.apply_now(event)
        return event

    def results(self) -> ResultsDocument:
        return build_results(self.scenario, self.lanes, self.injected, self.now)


def run_scenario(scenario: Scenario) -> ResultsDocument:
    """The results document of ``scenario``, run to its end."""
    simulation = Simulation(scenario)
    simulation.advance_to(simulation.duration)
    return simulation.results()
