"""How long a lane took to stop failing after each disruption: the "time to recover".

After a disruption at time T, the lane has recovered at the end of its last second with errors
that is followed by a quiet stretch (no errors for ``quiet_seconds``) before the next disruption.
A lane with no errors after T recovered at once (0 s); one still failing when the run (or the
next disruption) comes has not recovered (``None``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

QUIET_SECONDS = 10


@dataclass(frozen=True)
class Recovery:
    at: float
    seconds: float | None


def recovery_after(
    errors_per_second: Sequence[int],
    start: float,
    end: float,
    quiet_seconds: int = QUIET_SECONDS,
) -> float | None:
    """Seconds from ``start`` until errors stopped for good within [start, end), or None."""
    first = math.floor(start)
    last = min(math.ceil(end), len(errors_per_second))
    last_error = None
    for second in range(first, last):
        if errors_per_second[second]:
            last_error = second
    if last_error is None:
        return 0.0
    quiet_until = last_error + 1 + quiet_seconds
    if quiet_until > last:
        return None
    return last_error + 1 - start


def recoveries(
    errors_per_second: Sequence[int],
    disruptions: Sequence[float],
    duration: float,
    quiet_seconds: int = QUIET_SECONDS,
) -> list[Recovery]:
    """The recovery after each disruption time, each bounded by the next disruption."""
    times = sorted(disruptions)
    ends = [*times[1:], duration]
    return [
        Recovery(at, recovery_after(errors_per_second, at, end, quiet_seconds))
        for at, end in zip(times, ends, strict=False)
    ]
