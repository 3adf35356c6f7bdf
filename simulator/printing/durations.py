"""Durations printed the way Kubernetes prints them (Go ``time.Duration`` and kubectl ages)."""

from __future__ import annotations

import math


def _trim(value: float) -> str:
    text = f"{value:.9f}".rstrip("0").rstrip(".")
    return text or "0"


def go_duration(seconds: float) -> str:
    """Go's ``time.Duration.String()`` for whole or fractional seconds: 80 → ``1m20s``."""
    if seconds == 0:
        return "0s"
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    if seconds < 1:
        return f"{sign}{_trim(seconds * 1000)}ms"
    hours = int(seconds // 3600)
    minutes = int((seconds - hours * 3600) // 60)
    rest = seconds - hours * 3600 - minutes * 60
    text = f"{_trim(rest)}s"
    if hours:
        return f"{sign}{hours}h{minutes}m{text}"
    if minutes:
        return f"{sign}{minutes}m{text}"
    return sign + text


def human_duration(seconds: float) -> str:
    """kubectl's age column (k8s.io/apimachinery/pkg/util/duration HumanDuration)."""
    whole = math.floor(seconds)
    if whole < -1:
        return "<invalid>"
    if whole < 0:
        return "0s"
    if whole < 120:
        return f"{whole}s"
    minutes = whole // 60
    if minutes < 10:
        rest = whole % 60
        return f"{minutes}m" if rest == 0 else f"{minutes}m{rest}s"
    if minutes < 180:
        return f"{minutes}m"
    hours = whole // 3600
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h" if rest == 0 else f"{hours}h{rest}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d" if rest == 0 else f"{hours // 24}d{rest}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    years = hours // (24 * 365)
    if hours < 24 * 365 * 8:
        days = (hours // 24) % 365
        return f"{years}y" if days == 0 else f"{years}y{days}d"
    return f"{years}y"
