"""``check``: every workload of a manifest through the standard drills, then the findings.

``check_manifests`` returns a ``CheckReport``; its ``as_dict`` is the document ``check --json``
prints: ``{"workloads": [...], "drills": [...], "findings": [...]}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

from simulator.advisor import drills, findings
from simulator.advisor.assumptions import Assumptions
from simulator.advisor.drills import DrillResult
from simulator.advisor.findings import Finding
from simulator.advisor.manifest_reader import ManifestObject, ManifestSet
from simulator.scenario.loader import load_scenario
from simulator.scenario.validation import Problem, ScenarioError

WORKLOAD_FIELD = "spec.workload"


@dataclass
class WorkloadCheck:
    item: ManifestObject
    drills: list[DrillResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self, assumptions: Assumptions) -> dict[str, Any]:
        return {
            "kind": self.item.kind,
            "name": self.item.name,
            "namespace": self.item.namespace,
            "source": self.item.source,
            "drills": [result.name for result in self.drills],
            "assumptions": assumptions.as_dict(),
        }


@dataclass
class CheckReport:
    """What ``check`` found: one ``WorkloadCheck`` per workload, and the objects skipped."""

    assumptions: Assumptions
    lang: str
    workloads: list[WorkloadCheck]
    skipped: list[ManifestObject]

    @property
    def findings(self) -> list[Finding]:
        return [finding for workload in self.workloads for finding in workload.findings]

    @property
    def has_errors(self) -> bool:
        return any(finding.severity == findings.ERROR for finding in self.findings)

    def as_dict(self) -> dict[str, Any]:
        """The ``check --json`` document (``errors`` integers, seconds as numbers or null)."""
        return {
            "workloads": [workload.as_dict(self.assumptions) for workload in self.workloads],
            "drills": [
                result.as_dict() for workload in self.workloads for result in workload.drills
            ],
            "findings": [finding.as_dict() for finding in self.findings],
        }


def validate_workloads(manifests: ManifestSet, assumptions: Assumptions) -> None:
    """Raises ``ScenarioError`` naming every problem of every workload, each problem's path
    starting at its object (``Deployment/web: spec.replicas: ...``)."""
    problems: list[Problem] = []
    for item in manifests.workloads:
        first = drills.drill_names(item.kind)[0]
        try:
            load_scenario(drills.drill_scenario(item.manifest, first, assumptions))
        except ScenarioError as error:
            problems += [_rebased(item, problem) for problem in error.problems]
    if problems:
        raise ScenarioError(problems)


def _rebased(item: ManifestObject, problem: Problem) -> Problem:
    path = problem.path
    if path.startswith(WORKLOAD_FIELD):
        path = path[len(WORKLOAD_FIELD) :].lstrip(".")
    # Standard input (and the check page's pasted text) is one source: the object names it.
    place = item.label if item.source == "-" else f"{item.source}: {item.label}"
    return Problem(f"{place}: {path}" if path else place, problem.message)


def check_manifests(
    manifests: ManifestSet,
    assumptions: Assumptions,
    lang: str = "en",
    scheduler: str | None = None,
    progress: TextIO | None = None,
) -> CheckReport:
    """Validates, runs every drill of every workload, and finds what they show.

    ``scheduler``: a Dask scheduler's address (``tcp://HOST:PORT``): each workload is then one
    task on its workers (``progress``: where its progress bar goes). Raises ``ScenarioError``
    (see ``validate_workloads``) before running anything, ``SchedulerUnreachable`` when the
    scheduler cannot be reached.
    """
    validate_workloads(manifests, assumptions)
    items = manifests.workloads
    if scheduler is not None:
        from simulator.runs.dask_cluster import map_on_cluster

        count = len(items)
        checks = map_on_cluster(
            scheduler,
            check_workload,
            items,
            [assumptions] * count,
            [lang] * count,
            progress=progress,
            description="check",
        )
    else:
        checks = [check_workload(item, assumptions, lang) for item in items]
    return CheckReport(assumptions, lang, checks, list(manifests.skipped))


def check_workload(item: ManifestObject, assumptions: Assumptions, lang: str) -> WorkloadCheck:
    """The drills of one workload (run in the engine) and the findings they support.

    Raises ``ScenarioError`` naming the workload when a drill exceeds the simulator's limits."""
    label = item.label
    try:
        results = {
            name: drills.run_drill(label, item.manifest, name, assumptions)
            for name in drills.drill_names(item.kind)
        }
    except ScenarioError as error:
        # A drill beyond the simulator's limits (events, pod-seconds) for this workload.
        raise ScenarioError([_rebased(item, problem) for problem in error.problems]) from None

    def rerun(changed: Mapping[str, Any], drill: str) -> DrillResult:
        return drills.run_drill(label, changed, drill, assumptions)

    context = findings.Context(label, item.manifest, results, assumptions, lang, rerun)
    return WorkloadCheck(item, list(results.values()), findings.find(context))
