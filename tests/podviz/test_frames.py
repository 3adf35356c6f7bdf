"""Frames: built from the real engine, each part sent once until it changes."""

import json

from simulator.engine.simulation import Simulation
from simulator.runs import frames

STATE_PARTS = {"pods", "nodes", "endpoints", "service", "totals"}


def test_full_state_carries_every_part_and_frames_only_what_changed(two_pod_scenario):
    simulation = Simulation(two_pod_scenario)
    cursors = [frames.LaneCursor()]
    simulation.advance_to(30)
    state = frames.full_state(simulation, "r", 1, playing=True, speed=1, cursors=cursors)
    assert state["lanes"][0].keys() >= STATE_PARTS

    simulation.advance_to(30.05)  # inside the same second: nothing new to say but the time
    quiet = frames.delta_frame(simulation, cursors, 2, playing=True, speed=1)["lanes"][0]
    assert not STATE_PARTS & quiet.keys()
    assert quiet["seriesStart"] == len(state["lanes"][0]["series"]["time"])

    simulation.advance_to(32)
    busy = frames.delta_frame(simulation, cursors, 3, playing=True, speed=1)["lanes"][0]
    assert busy["totals"] != state["lanes"][0]["totals"]
    assert busy["totals"] == simulation.lanes[0].snapshot()["totals"]
    assert len(busy["series"]["time"]) == 2


def test_frames_replayed_on_top_of_the_state_rebuild_the_same_series(two_pod_scenario):
    simulation = Simulation(two_pod_scenario)
    cursors = [frames.LaneCursor()]
    rebuilt = None
    for seq, time in enumerate((0, 3.2, 7.9, 12, 12.5, 20), start=1):
        simulation.advance_to(time)
        message = (
            frames.full_state(simulation, "r", seq, playing=True, speed=1, cursors=cursors)
            if rebuilt is None
            else frames.delta_frame(simulation, cursors, seq, playing=True, speed=1)
        )
        lane = json.loads(frames.encode(message))["lanes"][0]
        if rebuilt is None:
            rebuilt = lane["series"]
            continue
        assert lane["seriesStart"] == len(rebuilt["time"])
        rebuilt["time"] += lane["series"]["time"]
        for pod, points in lane["series"]["requests"].items():
            rebuilt["requests"].setdefault(pod, [])
            rebuilt["requests"][pod] += points
    assert rebuilt["time"] == simulation.lanes[0].series["time"]
    assert rebuilt["requests"] == simulation.lanes[0].series["requests"]
