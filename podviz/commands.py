"""The commands a viewer may send, parsed and checked before anything touches a run.

Every command is a small JSON object with a ``type``; anything else is refused with a
``CommandError`` whose message names the field and the fix (docs/protocol.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from simulator.scenario.types import ScenarioEvent

from .live_run import MAX_SPEED, MIN_SPEED, CommandError

MAX_STEP_SECONDS = 600.0
# Faults a viewer may inject live, and the target each needs (scenario-format.md, "Event actions").
LIVE_ACTIONS: dict[str, str] = {
    "NodeDown": "node",
    "NodeUp": "node",
    "AppHang": "pod",
    "AppUnresponsive": "pod",
    "AppCrash": "pod",
    "AppRecover": "pod",
    "DeletePod": "pod",
}
SIMPLE_COMMANDS = ("play", "pause", "end", "restart")


@dataclass(frozen=True)
class Simple:
    type: str


@dataclass(frozen=True)
class Speed:
    speed: float


@dataclass(frozen=True)
class Step:
    seconds: float


@dataclass(frozen=True)
class Seek:
    time: float


@dataclass(frozen=True)
class Inject:
    event: ScenarioEvent


Command = Simple | Speed | Step | Seek | Inject


def _number(command: dict[str, Any], field: str, low: float, high: float) -> float:
    value = command.get(field)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise CommandError(f"{field}: must be a number from {low:g} to {high:g}")
    if not low <= value <= high:
        raise CommandError(f"{field}: {value:g} is out of range; use {low:g} to {high:g}")
    return float(value)


def _name(command: dict[str, Any], field: str) -> str:
    value = command.get(field)
    if not isinstance(value, str) or not value or len(value) > 253:
        raise CommandError(f"{field}: required, the name of a {field}")
    return value


def _inject(command: dict[str, Any]) -> Inject:
    action = command.get("action")
    if action not in LIVE_ACTIONS:
        raise CommandError(f"action: must be one of {', '.join(LIVE_ACTIONS)}")
    target = LIVE_ACTIONS[action]
    exit_code = 1
    if action == "AppCrash" and "exitCode" in command:
        exit_code = int(_number(command, "exitCode", 0, 255))
    return Inject(
        ScenarioEvent(
            at=0.0,
            action=action,
            node=_name(command, "node") if target == "node" else None,
            pod=_name(command, "pod") if target == "pod" else None,
            exit_code=exit_code,
        )
    )


def parse(command: dict[str, Any]) -> Command:
    kind = command.get("type")
    if kind in SIMPLE_COMMANDS:
        return Simple(kind)
    if kind == "speed":
        return Speed(_number(command, "speed", MIN_SPEED, MAX_SPEED))
    if kind == "step":
        return Step(_number(command, "seconds", 0, MAX_STEP_SECONDS) if "seconds" in command else 1)
    if kind == "seek":
        return Seek(_number(command, "time", 0, math.inf))
    if kind == "inject":
        return _inject(command)
    known = ", ".join((*SIMPLE_COMMANDS, "speed", "step", "seek", "inject"))
    raise CommandError(f"type: unknown command {kind!r}; use one of {known}", "unknown_command")
