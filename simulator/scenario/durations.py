"""Durations in scenario files: seconds as numbers, or strings such as "90s", "5m", "1m30s"."""

from __future__ import annotations

import math
import re

_DURATION = re.compile(
    r"(?:(?P<hours>\d+(?:\.\d+)?)h)?(?:(?P<minutes>\d+(?:\.\d+)?)m)?(?:(?P<seconds>\d+(?:\.\d+)?)s)?"
    r"(?:(?P<milliseconds>\d+(?:\.\d+)?)ms)?"
)
_SECONDS_PER_UNIT = {"hours": 3600.0, "minutes": 60.0, "seconds": 1.0, "milliseconds": 0.001}

DURATION_HINT = (
    'must be a number of seconds or a duration such as "90s", "5m", "1h", "1m30s", "250ms"'
)


def parse_duration(value: object) -> float:
    """Seconds in ``value``; raises ``ValueError`` for anything that is not a duration.

    Numbers are seconds (booleans are not numbers). Strings combine hours, minutes, seconds and
    milliseconds in that order, each at most once, like Go's ``time.ParseDuration`` without its
    units below the millisecond.
    """
    if isinstance(value, bool):
        raise ValueError(DURATION_HINT)
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError(DURATION_HINT)
        return float(value)
    if isinstance(value, str):
        match = _DURATION.fullmatch(value.strip())
        if match and any(match.groupdict().values()):
            return sum(
                float(amount) * _SECONDS_PER_UNIT[unit]
                for unit, amount in match.groupdict().items()
                if amount is not None
            )
    raise ValueError(DURATION_HINT)
