"""kubectl ages and Go durations."""

from __future__ import annotations

import pytest

from simulator.printing.durations import human_duration


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (59.9, "59s"),
        (119, "119s"),
        (120, "2m"),
        (125, "2m5s"),
        (600, "10m"),
        (3 * 3600 + 60, "3h1m"),
        (10 * 3600, "10h"),
        (3 * 86400, "3d"),
    ],
)
def test_human_duration(seconds, text):
    assert human_duration(seconds) == text
