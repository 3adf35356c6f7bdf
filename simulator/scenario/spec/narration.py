"""``spec.narration``: captions that tell the story, at a time or at the first event of a reason."""

from __future__ import annotations

import re
from typing import Any

from simulator.scenario.field_readers import read_list, read_mapping, read_str, read_text
from simulator.scenario.spec.events import read_time
from simulator.scenario.types import NarrationStep
from simulator.scenario.validation import FieldPath, Problems

MAX_NARRATION_STEPS = 200  # simulator limit
NARRATION_FIELDS = ("at", "event", "text")
_EVENT_REASON = re.compile(r"[A-Z][A-Za-z0-9]*")


def parse_narration(
    raw: Any, path: FieldPath, problems: Problems, *, duration: float | None
) -> tuple[NarrationStep, ...]:
    """The steps in the file's order (the display sorts them once it knows when events happen)."""
    if raw is None:
        return ()
    items = read_list(raw, path, problems)
    if len(items) > MAX_NARRATION_STEPS:
        problems.too_many(path, len(items), MAX_NARRATION_STEPS)
        return ()
    steps = (_step(item, path.index(index), problems, duration) for index, item in enumerate(items))
    return tuple(step for step in steps if step is not None)


def _step(
    raw: Any, path: FieldPath, problems: Problems, duration: float | None
) -> NarrationStep | None:
    step = read_mapping(raw, path, problems, known=NARRATION_FIELDS)
    if step is None:
        return None
    before = len(problems.found)
    text = read_text(step, "text", path, problems, required=True)
    at = read_time(step, path, problems, duration) if step.get("at") is not None else None
    reason = read_str(step, "event", path, problems)
    if reason is not None and not _EVENT_REASON.fullmatch(reason):
        problems.invalid(
            path.child("event"), reason, 'must be an event reason such as "NodeNotReady"'
        )
    if step.get("at") is None and reason is None:
        problems.required(path.child("at"), 'a step needs "at" (seconds) or "event" (a reason)')
    elif step.get("at") is not None and reason is not None:
        problems.forbidden(path.child("event"), 'may not be set together with "at"')
    if len(problems.found) > before:
        return None
    return NarrationStep(text=text, at=at, event=reason)
