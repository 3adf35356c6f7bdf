"""What the lanes' comparison counts: the score window of a scenario, and each lane's score in it.

A lesson compares its lanes on what it is about (a rollout, a fault, a boot), not on the seconds
every lane spends starting up alike. ``spec.scoreWindow`` (docs/scenario-format.md) names the rule:

- ``afterBoot`` (the default): from the second the slowest lane's first pods can serve, as its
  spec implies (``boot_seconds``), to the end of the run;
- ``fromFirstFault``: from the first scenario event to the end of the run (the whole run
  without events);
- ``{start, end}``: the seconds the scenario names.

The page's lane score, the summary, the HTML report, the sweep and the results document all count
this window; the page draws it on the errors charts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from simulator.scenario.types import (
    AFTER_BOOT,
    FROM_FIRST_FAULT,
    ContainerSpec,
    Scenario,
    VariantSpec,
)


@dataclass(frozen=True)
class ScoreWindow:
    """Seconds ``start`` (inclusive) to ``end`` (exclusive) of simulated time, and the rule
    that set them (``afterBoot``, ``fromFirstFault`` or ``named``)."""

    start: float
    end: float
    rule: str

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "rule": self.rule}


def score_window(scenario: Scenario) -> ScoreWindow:
    """The window the comparison of ``scenario``'s lanes counts, in whole seconds within the run."""
    spec = scenario.score_window
    duration = scenario.duration
    if spec.rule == AFTER_BOOT:
        start = max((boot_seconds(variant) for variant in scenario.variants), default=0.0)
    elif spec.rule == FROM_FIRST_FAULT:
        start = min((event.at for event in scenario.events), default=0.0)
    else:
        start = spec.start or 0.0
    end = duration if spec.end is None else min(spec.end, duration)
    start = min(float(math.floor(start)), max(0.0, math.ceil(end) - 1.0))
    return ScoreWindow(start=start, end=float(math.ceil(end)), rule=spec.rule)


def boot_seconds(variant: VariantSpec) -> float:
    """Seconds after the start until the variant's first pods can serve, if nothing fails:
    each init container pulled and run to its end in order (a sidecar until it has started),
    then the app containers pulled and booted, a startup or readiness probe's period to notice
    it (the kubelet probes once a period, docs/kubernetes-model.md §2), and the endpoint
    propagation to kube-proxy, rounded up to a whole second. Later pods (replacements, a
    rollout) are what lessons are about, so they count."""
    behavior = variant.behavior
    pull = behavior.image_pull_seconds
    elapsed = 0.0
    for container in variant.workload.template.init_containers:
        own = behavior.for_container(container.name)
        if container.is_sidecar:
            elapsed += pull + own.boot_seconds + _noticed_after(container)
        else:
            ran = own.exit_after_seconds if own.exit_after_seconds is not None else 0.0
            elapsed += pull + max(ran, own.boot_seconds)
    app = max(
        (
            behavior.for_container(container.name).boot_seconds + _noticed_after(container)
            for container in variant.workload.template.containers
        ),
        default=0.0,
    )
    return float(math.ceil(elapsed + pull + app + variant.cluster.endpoint_propagation))


def _noticed_after(container: ContainerSpec) -> float:
    """Up to one period of each probe that gates serving (startup, then readiness)."""
    return sum(
        probe.initial_delay_seconds + probe.period_seconds
        for probe in (container.startup_probe, container.readiness_probe)
        if probe is not None
    )


def lane_score(series: Mapping[str, Any], window: ScoreWindow, now: float) -> dict[str, Any]:
    """One lane's score so far: ``{"window": [start, end], "counted": [start, until] or None
    (before the window opens), "requests", "errors", "errorsByCause", "failedPercent" (None
    without requests)}``, from the per-second ``series`` (results' names) up to ``now``."""
    times: Sequence[float] = series["time"]
    first = _first_index(times, window.start)
    last = _first_index(times, window.end)
    requests = sum(series["totalRequests"][first:last])
    # Every cause the lane has: a lane with a serving model counts QueueFull, ClientTimeout and
    # ConnectionReset too.
    by_cause = {cause: sum(counts[first:last]) for cause, counts in series["errorsByCause"].items()}
    errors = sum(by_cause.values())
    until = min(window.end, now)
    return {
        "window": [window.start, window.end],
        "counted": [window.start, until] if until > window.start else None,
        "requests": requests,
        "errors": errors,
        "errorsByCause": by_cause,
        "failedPercent": 100.0 * errors / requests if requests else None,
    }


def _first_index(times: Sequence[float], at: float) -> int:
    """The index of the first bucket starting at or after ``at`` (buckets are whole seconds
    from 0, so this is ``at`` itself unless the series is shorter)."""
    index = min(math.ceil(at), len(times))
    while index > 0 and times[index - 1] >= at:
        index -= 1
    return index


# Two lanes' shares of failed requests differ only when the gap is beyond chance: with random
# routing the same lane fails a little more or less from run to run. |z| of the two-proportion
# test at or under this is a tie (three standard errors).
TIE_Z = 3.0
BEST = "best"
BEHIND = "behind"
EVEN = "even"
NO_SCORE = "none"


def rank_scores(scores: Sequence[Mapping[str, Any]]) -> list[str]:
    """Per lane score (``lane_score``'s), in order: ``best`` (no lane fails significantly less;
    the lane the page marks as having the fewest errors), ``behind``, ``even`` (every lane
    with a score ties with the best) or ``none`` (no number yet). Ties: the same share printed
    to one decimal, or a gap within ``TIE_Z`` standard errors (``_tied``)."""
    counted = [score if score["counted"] and score["requests"] else None for score in scores]
    known = [score for score in counted if score is not None]
    if not known:
        return [NO_SCORE] * len(scores)
    lowest = min(known, key=lambda score: score["failedPercent"])
    tied = [score is not None and _tied(score, lowest) for score in counted]
    if all(tie for tie, score in zip(tied, counted, strict=True) if score is not None):
        return [NO_SCORE if score is None else EVEN for score in counted]
    return [
        NO_SCORE if score is None else BEST if tie else BEHIND
        for tie, score in zip(tied, counted, strict=True)
    ]


def _tied(score: Mapping[str, Any], lowest: Mapping[str, Any]) -> bool:
    if f"{score['failedPercent']:.1f}" == f"{lowest['failedPercent']:.1f}":
        return True
    n1, n2 = score["requests"], lowest["requests"]
    pooled = (score["errors"] + lowest["errors"]) / (n1 + n2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if spread == 0:
        return False
    gap = (score["errors"] / n1 - lowest["errors"] / n2) / spread
    return abs(gap) <= TIE_Z
