"""Which taints a pod tolerates, and for how long.

k/k staging/src/k8s.io/api/core/v1/toleration.go (ToleratesTaint),
pkg/apis/core/v1/helper/helpers.go (GetMatchingTolerations),
pkg/controller/tainteviction/taint_eviction.go (getMinTolerationTime), and the
DefaultTolerationSeconds admission plugin
(plugin/pkg/admission/defaulttolerationseconds/admission.go).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from simulator.api.node import NO_EXECUTE, NOT_READY_TAINT, UNREACHABLE_TAINT, Taint
from simulator.scenario.types import Toleration


def tolerates(toleration: Toleration, taint: Taint) -> bool:
    """ToleratesTaint: the effect matches (empty tolerates every effect), and the key matches
    (an empty key with Exists tolerates every key); Equal also compares the value (taints here
    carry none)."""
    if toleration.effect and toleration.effect != taint.effect:
        return False
    if toleration.key and toleration.key != taint.key:
        return False
    if toleration.operator == "Exists":
        return True
    return bool(toleration.key) and toleration.value == ""


def with_default_tolerations(
    tolerations: Sequence[Toleration], seconds: float
) -> tuple[Toleration, ...]:
    """DefaultTolerationSeconds admission: a pod that does not tolerate the not-ready or the
    unreachable NoExecute taint gets a toleration of it for ``seconds`` (300 by default)."""
    added = list(tolerations)
    for key in (NOT_READY_TAINT, UNREACHABLE_TAINT):
        if not any(t.key in ("", key) and t.effect in ("", NO_EXECUTE) for t in tolerations):
            added.append(Toleration(key, "Exists", "", NO_EXECUTE, seconds))
    return tuple(added)


def toleration_time(tolerations: Sequence[Toleration], taints: Iterable[Taint]) -> float | None:
    """How long a pod may stay on a node with these NoExecute ``taints``: 0 when one of them is
    not tolerated, the smallest tolerationSeconds of the tolerations used (at least 0), None
    (for ever) when none of those sets a time."""
    shortest: float | None = None
    for taint in taints:
        used = [t for t in tolerations if tolerates(t, taint)]
        if not used:
            return 0.0
        for toleration in used:
            seconds = toleration.toleration_seconds
            if seconds is None:
                continue
            seconds = max(seconds, 0.0)
            shortest = seconds if shortest is None else min(shortest, seconds)
    return shortest
