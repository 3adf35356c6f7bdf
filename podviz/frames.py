"""The frames sent to viewers, built from the engine's lanes and encoded once per tick.

Two kinds (docs/protocol.md):
- ``run.state``: everything so far, sent on connect, on reconnect and to a viewer that fell behind;
- ``run.frame``: what changed since the previous frame (new series points and events, pods now).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from simulator.simulation import Lane, Simulation

PROTOCOL_VERSION = 1


@dataclass
class LaneCursor:
    """How much of a lane's append-only series and events earlier frames already carried."""

    series_length: int = 0
    events_length: int = 0


def encode(message: dict[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":"), allow_nan=False)


def slice_series(series: dict[str, Any], start: int) -> dict[str, Any]:
    """The points of every series from index ``start`` on; nested per-pod maps keep their keys."""
    sliced: dict[str, Any] = {}
    for key, values in series.items():
        if isinstance(values, dict):
            sliced[key] = {name: list(points[start:]) for name, points in values.items()}
        else:
            sliced[key] = list(values[start:])
    return sliced


def lane_view(lane: Lane, cursor: LaneCursor) -> dict[str, Any]:
    """The lane's state now and its series and events since ``cursor``; moves the cursor on."""
    series = lane.series
    length = len(series["time"])
    view = {
        "name": lane.name,
        "seriesStart": cursor.series_length,
        "series": slice_series(series, cursor.series_length),
        "events": list(lane.events[cursor.events_length :]),
        **lane.snapshot(),
    }
    cursor.series_length = length
    cursor.events_length = len(lane.events)
    return view


def run_header(simulation: Simulation, seq: int, *, playing: bool, speed: float) -> dict[str, Any]:
    return {
        "v": PROTOCOL_VERSION,
        "seq": seq,
        # Wall-clock time of encoding: lets a viewer (and bench/bench_fanout.py) see delays.
        "sentAt": round(time.time(), 4),
        "time": simulation.now,
        "duration": simulation.scenario.duration,
        "playing": playing,
        "speed": speed,
        "finished": simulation.finished,
    }


def full_state(
    simulation: Simulation, run_id: str, seq: int, *, playing: bool, speed: float
) -> dict[str, Any]:
    scenario = simulation.scenario
    return {
        "type": "run.state",
        "run": run_id,
        **run_header(simulation, seq, playing=playing, speed=speed),
        "scenario": {
            "name": scenario.name,
            "title": dict(scenario.title),
            "description": dict(scenario.description),
            "seed": scenario.seed,
        },
        "lanes": [lane_view(lane, LaneCursor()) for lane in simulation.lanes],
    }


def delta_frame(
    simulation: Simulation,
    cursors: list[LaneCursor],
    seq: int,
    *,
    playing: bool,
    speed: float,
) -> dict[str, Any]:
    return {
        "type": "run.frame",
        **run_header(simulation, seq, playing=playing, speed=speed),
        "lanes": [
            lane_view(lane, cursor) for lane, cursor in zip(simulation.lanes, cursors, strict=True)
        ],
    }
