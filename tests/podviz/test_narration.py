"""Narration steps tied to an event get their start from a headless run of the scenario."""

import json
import subprocess
import sys

from django.conf import settings

from simulator.advisor.foresight import foresee
from simulator.engine.simulation import Simulation
from simulator.runs import frames
from simulator.scenario import presets


def headless_first_events(slug):
    completed = subprocess.run(
        [sys.executable, "-m", "simulator", "run", slug, "--json"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    first = {}
    for variant in json.loads(completed.stdout)["variants"]:
        for event in variant["events"]:
            start = event.get("firstTime", event["time"])
            first[event["reason"]] = min(first.get(event["reason"], start), start)
    return first


def test_event_steps_start_at_the_first_such_event_of_the_headless_run():
    scenario = presets.load_preset("seed-story")
    first = headless_first_events("seed-story")
    times = foresee(scenario).narration_times
    assert len(times) == len(scenario.narration)
    for step, time in zip(scenario.narration, times, strict=True):
        assert time == (step.at if step.at is not None else first[step.event])
    assert any(step.event for step in scenario.narration)


def test_times_are_cached_per_scenario():
    assert foresee(presets.load_preset("seed-story")) is foresee(presets.load_preset("seed-story"))


def test_the_full_state_carries_the_times_once_known():
    scenario = presets.load_preset("seed-story")
    simulation = Simulation(scenario)
    unknown = frames.full_state(simulation, "r", 1, playing=True, speed=1)
    assert all("time" not in step for step in unknown["scenario"]["narration"])
    times = foresee(scenario).narration_times
    known = frames.full_state(simulation, "r", 1, playing=True, speed=1, narration_times=times)
    assert [step["time"] for step in known["scenario"]["narration"]] == list(times)
