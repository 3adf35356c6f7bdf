"""The commands a viewer may send, decoded and checked before anything touches a run.

Every command is a small JSON object with a ``type``, sent as a text frame of at most
``MAX_COMMAND_BYTES`` UTF-8 bytes; anything else (binary frames, invalid or deeply nested JSON,
wrong types, numbers that are not what the field needs) is refused with a ``CommandError`` whose
message names the field and the fix (docs/protocol.md). ``decode`` never raises anything else.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from simulator.scenario.types import ScenarioEvent

from .live_run import MAX_SPEED, MIN_SPEED, CommandError

MAX_COMMAND_BYTES = 4096
MAX_STEP_SECONDS = 600.0
# Numbers a command field may hold at most in magnitude: far beyond any valid value, small enough
# to print and compare as a float.
MAX_MAGNITUDE = 1e15
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


@dataclass(frozen=True)
class Ask:
    """Predict, then reveal: the presenter puts a question of the run's scenario to the class."""

    question: str  # its id (classroom/questions.py)


@dataclass(frozen=True)
class Answer:
    """A follower's guess to the open question."""

    value: float


@dataclass(frozen=True)
class Reveal:
    """The presenter closes the question and shows the guesses beside the measured value."""


# Who sees each fault's predicted damage during a class (the presenter's switch, ``predictions``
# command): nobody; everyone but while a question it would answer is open (the default); everyone.
PREDICTIONS_OFF = "off"
PREDICTIONS_AFTER_REVEAL = "afterReveal"
PREDICTIONS_ALWAYS = "always"
PREDICTION_MODES = (PREDICTIONS_OFF, PREDICTIONS_AFTER_REVEAL, PREDICTIONS_ALWAYS)


@dataclass(frozen=True)
class ShowPredictions:
    """The presenter's switch for each fault's predicted damage on every screen of the class:
    ``off``, ``afterReveal`` (hidden while a question it would answer is open) or ``always``."""

    show: str


# Commands that change the run (the presenter's), and the class's questions and answers.
Control = Simple | Speed | Step | Seek | Inject
PollCommand = Ask | Answer | Reveal | ShowPredictions
Command = Control | PollCommand


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def decode(text_data: str | None, bytes_data: bytes | None = None) -> Command:
    """The command in one WebSocket message (a text frame, or ``bytes_data`` for a binary one).

    Raises ``CommandError`` (code ``bad_message``, ``too_large``, ``bad_json``,
    ``unknown_command`` or ``bad_value``) for anything that is not a valid command; nothing else.
    """
    if text_data is None:
        raise CommandError("send each command as a JSON text frame, not binary", "bad_message")
    # Characters never outnumber UTF-8 bytes: the count is only taken for short texts.
    if len(text_data) > MAX_COMMAND_BYTES or _utf8_size(text_data) > MAX_COMMAND_BYTES:
        raise CommandError(f"a command is at most {MAX_COMMAND_BYTES} bytes", "too_large")
    try:
        message = json.loads(text_data, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        message = None
    if not isinstance(message, dict):
        raise CommandError('a command must be a JSON object like {"type": "play"}', "bad_json")
    return parse(message)


def _utf8_size(text: str) -> int:
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:  # lone surrogates: as large as their escaped form
        return len(text.encode("utf-8", "backslashreplace"))


def _number(command: dict[str, Any], field: str, low: float, high: float) -> float:
    value = command.get(field)
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not abs(value) <= MAX_MAGNITUDE  # also refuses NaN
    ):
        raise CommandError(f"{field}: must be a number from {low:g} to {high:g}")
    if not low <= value <= high:
        raise CommandError(f"{field}: {value:g} is out of range; use {low:g} to {high:g}")
    return float(value)


def _integer(command: dict[str, Any], field: str, low: int, high: int) -> int:
    value = _number(command, field, low, high)
    if not value.is_integer():
        raise CommandError(f"{field}: {value:g} is not a whole number; use {low} to {high}")
    return int(value)


def _name(command: dict[str, Any], field: str) -> str:
    value = command.get(field)
    if not isinstance(value, str) or not value or len(value) > 253:
        raise CommandError(f"{field}: required, the name of a {field}")
    return value


def _inject(command: dict[str, Any]) -> Inject:
    action = command.get("action")
    if not isinstance(action, str) or action not in LIVE_ACTIONS:
        raise CommandError(f"action: must be one of {', '.join(LIVE_ACTIONS)}")
    target = LIVE_ACTIONS[action]
    exit_code = 1
    if action == "AppCrash" and "exitCode" in command:
        exit_code = _integer(command, "exitCode", 0, 255)
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
    """The command a decoded JSON object stands for; raises ``CommandError``."""
    kind = command.get("type")
    if not isinstance(kind, str):
        kind = None
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
    if kind == "ask":
        return Ask(_name(command, "question"))
    if kind == "answer":
        return Answer(_number(command, "value", -MAX_MAGNITUDE, MAX_MAGNITUDE))
    if kind == "reveal":
        return Reveal()
    if kind == "predictions":
        show = command.get("show")
        if show not in PREDICTION_MODES:
            modes = ", ".join(PREDICTION_MODES)
            raise CommandError(f"show: must be one of {modes}")
        return ShowPredictions(show)
    known = ", ".join(
        (
            *SIMPLE_COMMANDS,
            *("speed", "step", "seek", "inject", "ask", "answer", "reveal", "predictions"),
        )
    )
    shown = repr(kind[:40]) if kind is not None else "(missing or not a string)"
    raise CommandError(f"type: unknown command {shown}; use one of {known}", "unknown_command")
