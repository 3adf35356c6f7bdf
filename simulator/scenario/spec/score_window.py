"""``spec.scoreWindow``: which seconds the comparison of the lanes counts (docs/scenario-format.md).

A rule name (``afterBoot``, the default, or ``fromFirstFault``) or the seconds themselves,
``{start: 40, end: 100}`` (``end`` may be left out: the end of the run).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.scenario.field_readers import read_duration, read_mapping
from simulator.scenario.types import NAMED, SCORE_WINDOW_RULES, ScoreWindowSpec
from simulator.scenario.validation import FieldPath, Problems, quoted_list

WINDOW_FIELDS = ("start", "end")


def parse_score_window(
    raw: Any, path: FieldPath, problems: Problems, *, duration: float | None
) -> ScoreWindowSpec:
    """The window as written; problems name ``path`` and the fix. None gives the default."""
    if raw is None:
        return ScoreWindowSpec()
    if isinstance(raw, str):
        if raw not in SCORE_WINDOW_RULES:
            problems.invalid(
                path,
                raw,
                f"must be one of {quoted_list(SCORE_WINDOW_RULES)}, or {{start: S, end: E}} "
                "in seconds",
            )
            return ScoreWindowSpec()
        return ScoreWindowSpec(rule=raw)
    window = read_mapping(raw, path, problems, known=WINDOW_FIELDS)
    if window is None:
        return ScoreWindowSpec()
    return _named(window, path, problems, duration)


def _named(
    window: Mapping[str, Any], path: FieldPath, problems: Problems, duration: float | None
) -> ScoreWindowSpec:
    start = read_duration(window, "start", path, problems, default=None, required=True)
    end = read_duration(window, "end", path, problems, default=None)
    if start is None:
        return ScoreWindowSpec()
    limit = duration if duration is not None else float("inf")
    if start >= limit:
        problems.invalid(path.child("start"), window["start"], "must be before spec.duration")
        return ScoreWindowSpec()
    if end is not None and not start < end <= limit:
        problems.invalid(
            path.child("end"), window["end"], "must be after start and at most spec.duration"
        )
        return ScoreWindowSpec()
    return ScoreWindowSpec(rule=NAMED, start=start, end=end)
