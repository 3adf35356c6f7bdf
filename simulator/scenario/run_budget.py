"""The simulator limit on a whole run: pods × simulated seconds × variants.

A run's cost grows with every pod's probes and per-second series, in every lane, for every
simulated second; the per-field limits alone would allow runs of minutes. One budget in
pod-seconds keeps any run to a few seconds (measured in docs/scenario-format.md, "Limits").
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.scenario.types import ScenarioEvent, VariantSpec, Workload
from simulator.scenario.validation import FieldPath, Problems

MAX_POD_SECONDS = 300_000  # simulator limit


def largest_pod_count(workload: Workload, events: Sequence[ScenarioEvent]) -> int:
    """The most pods the workload runs at once (a Scale event may raise a Deployment's count)."""
    if workload.kind == "Pod":
        return 1
    if workload.kind == "Job":
        return workload.parallelism
    scaled = [event.replicas for event in events if event.replicas is not None]
    return max([workload.replicas, *scaled])


def check_run_budget(
    duration: float,
    variants: Sequence[VariantSpec],
    events: Sequence[ScenarioEvent],
    path: FieldPath,
    problems: Problems,
    limit: int | None = MAX_POD_SECONDS,
) -> bool:
    """Whether the run fits the budget of ``limit`` pod-seconds (None: no budget, the command
    line's ``--large``); else a problem at ``path`` (the duration) saying how long the run may
    be with these pods and variants."""
    if not variants or limit is None:
        return True
    pods = max(largest_pod_count(variant.workload, events) for variant in variants)
    lanes = len(variants)
    if pods * duration * lanes <= limit:
        return True
    longest = limit // (pods * lanes)
    problems.invalid(
        path,
        duration,
        f"with {pods} pods and {lanes} variant{'s' * (lanes != 1)}, must be less than or equal "
        f"to {longest} (simulator limit: {limit} pod-seconds per run)",
    )
    return False
