"""The frames sent to viewers, built from the engine's lanes and encoded once per tick.

Kinds (docs/protocol.md):
- ``run.state``: everything so far, sent on connect, on reconnect, and after a seek or restart;
- ``run.frame``: what changed since the previous frame (new series points and events, pods now);
- ``run.heartbeat``: a sign of life while the run is paused;
- ``run.narration``: when each narration step starts, once the server has worked it out;
- ``run.prediction``: each fault's predicted damage, once the server has worked it out;
- ``run.part``: one part of a message too large for one WebSocket message (split_message).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from simulator.engine.simulation import Lane, Simulation
from simulator.results.recovery import recoveries
from simulator.results.score import lane_score, rank_scores, score_window
from simulator.scenario.types import Scenario, ScenarioEvent

PROTOCOL_VERSION = 1

# Daphne refuses to send a WebSocket message over 1 MiB (and closes the socket with 1011). A
# message over WHOLE_MESSAGE_LIMIT characters goes out in parts of PART_CHARS characters; encode()
# writes ASCII only, and JSON escaping at most doubles a part, so every part stays under 1 MiB.
WHOLE_MESSAGE_LIMIT = 512 * 1024
PART_CHARS = 256 * 1024
_part_ids = itertools.count(1)


@dataclass
class LaneCursor:
    """How much of a lane's append-only series and events earlier frames already carried."""

    series_length: int = 0
    events_length: int = 0
    # The probe log is bounded (oldest attempts fall off), so it is followed by time, not index.
    probes_until: float = -1.0
    # The state parts (pods, nodes, ...) last sent: a frame repeats none that did not change.
    state_sent: dict[str, Any] = field(default_factory=dict)


def encode(message: dict[str, Any]) -> str:
    """The message as compact JSON text, ASCII only (``\\u`` escapes for other characters)."""
    return json.dumps(message, separators=(",", ":"), allow_nan=False)


@functools.lru_cache(maxsize=4)
def split_message(text: str) -> tuple[str, ...]:
    """``text`` itself when small enough for one WebSocket message, else ``run.part`` messages
    (docs/protocol.md): ``{"type": "run.part", "v", "id", "index", "count", "data"}``, where the
    ``data`` of parts 0..count-1 joined give ``text``. Cached, so a state sent to every viewer
    is split once."""
    if len(text) <= WHOLE_MESSAGE_LIMIT:
        return (text,)
    part_id = next(_part_ids)
    slices = [text[start : start + PART_CHARS] for start in range(0, len(text), PART_CHARS)]
    return tuple(
        encode(
            {
                "type": "run.part",
                "v": PROTOCOL_VERSION,
                "id": part_id,
                "index": index,
                "count": len(slices),
                "data": data,
            }
        )
        for index, data in enumerate(slices)
    )


def slice_series(series: dict[str, Any], start: int) -> dict[str, Any]:
    """The points of every series from index ``start`` on; nested maps (per pod, per cause,
    per pod state) keep their keys."""
    return {
        key: slice_series(values, start) if isinstance(values, dict) else values[start:]
        for key, values in series.items()
    }


def disruptions(simulation: Simulation) -> list[ScenarioEvent]:
    """The scenario's events and the faults injected live, in time order."""
    return sorted((*simulation.scenario.events, *simulation.injected), key=lambda event: event.at)


def recovery_view(lane: Lane, events: list[ScenarioEvent], duration: float) -> list[dict]:
    """Time to recover after each disruption so far (simulator/results/recovery.py)."""
    happened = [event for event in events if event.at <= lane.now]
    found = recoveries(lane.series["totalErrors"], [event.at for event in happened], duration)
    return [
        {**event_view(event), "recoverySeconds": recovery.seconds}
        for event, recovery in zip(happened, found, strict=True)
    ]


def lane_view(
    lane: Lane,
    cursor: LaneCursor,
    faults: list[ScenarioEvent],
    duration: float,
    score: dict[str, Any],
) -> dict[str, Any]:
    """The lane's series, events and probe attempts since ``cursor``, and the parts of its state
    that changed since (all of it for a fresh cursor); moves the cursor on. ``score``: the lane's
    in the scenario's score window, ranked among the lanes (``scores``)."""
    series = lane.series
    events = lane.events
    probes = [attempt for attempt in lane.probe_log if attempt["time"] > cursor.probes_until]
    view = {
        "name": lane.name,
        "title": dict(lane.variant.title),
        "seriesStart": cursor.series_length,
        "series": slice_series(series, cursor.series_length),
        "events": list(events[cursor.events_length :]),
        "probes": probes,
    }
    state = {
        **lane.snapshot(),
        "recovery": recovery_view(lane, faults, duration),
        "score": score,
    }
    for part, value in state.items():
        if cursor.state_sent.get(part) != value:
            view[part] = value
            cursor.state_sent[part] = value
    cursor.series_length = len(series["time"])
    cursor.events_length = len(events)
    if probes:
        cursor.probes_until = probes[-1]["time"]
    return view


def lane_views(simulation: Simulation, cursors: list[LaneCursor]) -> list[dict[str, Any]]:
    faults = disruptions(simulation)
    return [
        lane_view(lane, cursor, faults, simulation.duration, score)
        for lane, cursor, score in zip(simulation.lanes, cursors, scores(simulation), strict=True)
    ]


def scores(simulation: Simulation) -> list[dict[str, Any]]:
    """Each lane's score in the scenario's score window so far, with its ``rank`` among the
    lanes (simulator/results/score.py)."""
    window = score_window(simulation.scenario)
    found = [lane_score(lane.series, window, lane.now) for lane in simulation.lanes]
    return [{**score, "rank": rank} for score, rank in zip(found, rank_scores(found), strict=True)]


def event_view(event: ScenarioEvent) -> dict[str, Any]:
    """A scenario or injected event as the browser shows it: only the fields that are set."""
    fields = dataclasses.asdict(event)
    if event.action != "AppCrash":
        fields.pop("exit_code")
    return {key: value for key, value in fields.items() if value is not None}


def header(simulation: Simulation, seq: int, *, playing: bool, speed: float) -> dict[str, Any]:
    return {
        "v": PROTOCOL_VERSION,
        "seq": seq,
        # Wall-clock time of encoding: lets a viewer (and bench/bench_fanout.py) see delays.
        "sentAt": round(time.time(), 4),
        "time": simulation.now,
        "duration": simulation.duration,
        "playing": playing,
        "speed": speed,
        "finished": simulation.finished,
        "injected": [event_view(event) for event in simulation.injected],
    }


def full_state(
    simulation: Simulation,
    run_id: str,
    seq: int,
    *,
    playing: bool,
    speed: float,
    cursors: list[LaneCursor] | None = None,
    narration_times: tuple[float | None, ...] | None = None,
    predictions: tuple[dict[str, Any], ...] | None = None,
) -> dict[str, Any]:
    """Everything so far; ``cursors`` (fresh ones if None) end where the state ends.
    ``narration_times`` (simulator/advisor/foresight.py), once known, give each narration step
    its start;
    ``predictions`` (``Prediction.as_dict()``s), once known, go in ``scenario.predictions``."""
    scenario = simulation.scenario
    cursors = cursors if cursors is not None else [LaneCursor() for _ in simulation.lanes]
    return {
        "type": "run.state",
        "run": run_id,
        **header(simulation, seq, playing=playing, speed=speed),
        "scenario": {
            "name": scenario.name,
            "title": dict(scenario.title),
            "description": dict(scenario.description),
            "seed": scenario.seed,
            "events": [event_view(event) for event in scenario.events],
            "narration": narration_view(scenario, narration_times),
            "scoreWindow": score_window(scenario).as_dict(),
            **({"predictions": list(predictions)} if predictions is not None else {}),
        },
        "lanes": lane_views(simulation, cursors),
    }


def narration_view(
    scenario: Scenario, times: tuple[float | None, ...] | None
) -> list[dict[str, Any]]:
    """The scenario's narration steps; with ``times``, each carries its ``time`` (None: the
    step's event never happens in a run without injected faults)."""
    steps = []
    for index, step in enumerate(scenario.narration):
        view = {"at": step.at, "event": step.event, "text": dict(step.text)}
        if times is not None:
            view["time"] = times[index]
        steps.append(view)
    return steps


def narration_message(times: tuple[float | None, ...]) -> dict[str, Any]:
    """``run.narration``: when each narration step starts, once the server has worked it out."""
    return {"type": "run.narration", "v": PROTOCOL_VERSION, "times": list(times)}


def prediction_message(predictions: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    """``run.prediction``: each fault's predicted damage (``Prediction.as_dict()``s, in
    ``simulator.advisor.prediction.predicted_damage``'s order), once the server has worked it
    out."""
    return {"type": "run.prediction", "v": PROTOCOL_VERSION, "predictions": list(predictions)}


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
        **header(simulation, seq, playing=playing, speed=speed),
        "lanes": lane_views(simulation, cursors),
    }


def heartbeat(seq: int, time_: float, *, playing: bool, speed: float) -> dict[str, Any]:
    """``run.heartbeat`` (docs/protocol.md): the run still answers; ``seq`` and ``time_`` (the
    simulated clock, seconds) are those of the last frame or state sent, taken together."""
    return {
        "type": "run.heartbeat",
        "v": PROTOCOL_VERSION,
        "seq": seq,
        "sentAt": round(time.time(), 4),
        "time": time_,
        "playing": playing,
        "speed": speed,
    }
