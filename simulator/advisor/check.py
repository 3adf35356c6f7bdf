"""``check``: every workload of a manifest through the standard drills, then the findings.

``check_manifests`` returns a ``CheckReport``; its ``as_dict`` is the document ``check --json``
prints: ``{"workloads": [...], "services": [...], "drills": [...], "findings": [...],
"cannotJudge": [...]}``.

A Service in the manifest takes part: the drills of a workload it selects run behind it (its
selector, targetPort and publishNotReadyAddresses), and a Service that selects no pod, or
whose named targetPort the pods do not declare, is an error finding. Such a finding, and a
readinessProbe on an undeclared port name, block the workload (``simulator.advisor.blocking``):
its drills run with the fault as it is, and no probe change suggested for it is verified.

What decides the outcome and is not modelled (``simulator.scenario.manifests.judgement``) is
listed in ``cannotJudge``: the workloads it touches are not drilled, and ``check`` exits 2
instead of giving a verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

from simulator.advisor import drills, findings
from simulator.advisor.assumptions import Assumptions
from simulator.advisor.blocking import Blocker
from simulator.advisor.drills import DrillResult
from simulator.advisor.findings import Finding
from simulator.advisor.manifest_reader import ManifestObject, ManifestSet
from simulator.advisor.service_findings import service_blocker, service_findings
from simulator.scenario.loader import load_scenario
from simulator.scenario.manifests.judgement import (
    exec_probes_cannot_judge,
    object_cannot_judge,
    service_cannot_judge,
    workload_cannot_judge,
)
from simulator.scenario.manifests.service import scenario_service, service_selects
from simulator.scenario.validation import Problem, ScenarioError

WORKLOAD_FIELD = "spec.workload"


@dataclass
class WorkloadCheck:
    item: ManifestObject
    drills: list[DrillResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # The Service the drills ran behind, when the manifest has one for the workload: the one
    # whose selector picks its pods, or the one that selects nothing and meant them.
    service: ManifestObject | None = None
    # The blocking findings that keep every request from its pods.
    blocked_by: tuple[Blocker, ...] = ()

    def as_dict(self, assumptions: Assumptions, lang: str = "en") -> dict[str, Any]:
        """The ``workloads`` entry of ``check --json``."""
        return {
            "kind": self.item.kind,
            "name": self.item.name,
            "namespace": self.item.namespace,
            "source": self.item.source,
            "service": self.service.label if self.service else None,
            "drills": [result.name for result in self.drills],
            "assumptions": assumptions.as_dict(),
            "blockedBy": [blocker.as_dict(lang) for blocker in self.blocked_by],
        }


@dataclass
class ServiceCheck:
    """A Service of the manifest: the workloads it selects and what is wrong with it."""

    item: ManifestObject
    selects: list[str]
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.item.name,
            "namespace": self.item.namespace,
            "source": self.item.source,
            "selects": self.selects,
        }


@dataclass(frozen=True)
class CannotJudge:
    """Something that decides the outcome and is not modelled: ``field`` (a manifest path, or
    the object itself) of ``object`` (``Kind/name``)."""

    object: str
    source: str
    field: str
    # Why, when the field is modelled but leaves nothing for the drills to run.
    reason: str | None = None

    @property
    def message(self) -> str:
        if self.reason is not None:
            return f"cannot judge: {self.field}: {self.reason}"
        return f"cannot judge: {self.field} is not modelled"

    def as_dict(self) -> dict[str, str]:
        return {
            "object": self.object,
            "source": self.source,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class CheckReport:
    """What ``check`` found: one ``WorkloadCheck`` per workload drilled, one ``ServiceCheck``
    per Service, what it cannot judge, and the objects skipped."""

    assumptions: Assumptions
    lang: str
    workloads: list[WorkloadCheck]
    skipped: list[ManifestObject]
    services: list[ServiceCheck] = field(default_factory=list)
    cannot_judge: list[CannotJudge] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [finding for service in self.services for finding in service.findings] + [
            finding for workload in self.workloads for finding in workload.findings
        ]

    @property
    def has_errors(self) -> bool:
        return any(finding.severity == findings.ERROR for finding in self.findings)

    def as_dict(self) -> dict[str, Any]:
        """The ``check --json`` document (``errors`` integers, seconds as numbers or null)."""
        return {
            "workloads": [
                workload.as_dict(self.assumptions, self.lang) for workload in self.workloads
            ],
            "services": [service.as_dict() for service in self.services],
            "drills": [
                result.as_dict() for workload in self.workloads for result in workload.drills
            ],
            "findings": [finding.as_dict() for finding in self.findings],
            "cannotJudge": [item.as_dict() for item in self.cannot_judge],
        }


def validate_workloads(manifests: ManifestSet, assumptions: Assumptions) -> list[tuple[str, ...]]:
    """The known fields each workload gives that the engine does not read (one tuple per
    workload, in order). Raises ``ScenarioError`` naming every problem of every workload, each
    problem's path starting at its object (``Deployment/web: spec.replicas: ...``)."""
    problems: list[Problem] = []
    not_modelled: list[tuple[str, ...]] = []
    for item in manifests.workloads:
        first = drills.drill_names(item.kind)[0]
        service = _service_of(item, manifests)
        document = drills.drill_scenario(
            item.manifest,
            first,
            assumptions,
            scenario_service(service.manifest) if service else None,
        )
        try:
            loaded = load_scenario(document)
        except ScenarioError as error:
            problems += [_rebased(item, problem) for problem in error.problems]
            not_modelled.append(())
        else:
            not_modelled.append(loaded.variants[0].workload.not_modelled)
    if problems:
        raise ScenarioError(problems)
    return not_modelled


def _service_of(item: ManifestObject, manifests: ManifestSet) -> ManifestObject | None:
    """The first Service whose selector picks the workload's pods."""
    return next(
        (svc for svc in manifests.services if service_selects(svc.manifest, item.manifest)), None
    )


def _drilled_behind(
    item: ManifestObject, manifests: ManifestSet
) -> tuple[ManifestObject | None, tuple[Blocker, ...]]:
    """The Service the workload's drills run behind, and the blocking findings that keep every
    request from its pods: the Service that selects it (blocking when its named targetPort is
    not declared), else a Service that selects nothing and meant it (docs/advisor.md,
    "Blocking findings"), plus a readinessProbe on an undeclared port name."""
    own = tuple(findings.readiness_port_blockers(item.label, item.manifest))
    service = _service_of(item, manifests)
    if service is not None:
        blocker = service_blocker(service, item, manifests.workloads)
        return service, (blocker, *own) if blocker else own
    for candidate in manifests.services:
        if service_cannot_judge(candidate.manifest):
            continue
        blocker = service_blocker(candidate, item, manifests.workloads)
        if blocker is not None:
            return candidate, (blocker, *own)
    return None, own


def _cannot_judge(
    manifests: ManifestSet, not_modelled: list[tuple[str, ...]]
) -> tuple[list[CannotJudge], set[int]]:
    """Everything that decides the outcome and is not modelled, and the indexes of the
    workloads it touches (not drilled)."""
    found: list[CannotJudge] = []
    untouchable: set[int] = set()
    for index, (item, paths) in enumerate(zip(manifests.workloads, not_modelled, strict=True)):
        for path in workload_cannot_judge(item.kind, paths):
            found.append(CannotJudge(item.label, item.source, path))
            untouchable.add(index)
        for path in exec_probes_cannot_judge(item.manifest):
            reason = "its command checks a file that the container's own command changes"
            found.append(CannotJudge(item.label, item.source, path, reason))
            untouchable.add(index)
        spec = item.manifest.get("spec")
        if item.kind == "Deployment" and isinstance(spec, dict) and spec.get("paused") is True:
            # docs/kubernetes-model.md §8.13: no ReplicaSet, no pod, no rollout to drill.
            reason = "a Deployment created paused makes no pods, so no drill can run"
            found.append(CannotJudge(item.label, item.source, "spec.paused", reason))
            untouchable.add(index)
    for service in manifests.services:
        fields = service_cannot_judge(service.manifest)
        found += [CannotJudge(service.label, service.source, text) for text in fields]
        if fields:
            untouchable |= {
                index
                for index, item in enumerate(manifests.workloads)
                if service_selects(service.manifest, item.manifest)
            }
    for other in manifests.skipped:
        if object_cannot_judge(other.kind):
            found.append(CannotJudge(other.label, other.source, other.label))
    return found, untouchable


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
    not_modelled = validate_workloads(manifests, assumptions)
    cannot_judge, untouchable = _cannot_judge(manifests, not_modelled)
    items = [item for index, item in enumerate(manifests.workloads) if index not in untouchable]
    behind = [_drilled_behind(item, manifests) for item in items]
    services = [service for service, _ in behind]
    blockers = [blocked_by for _, blocked_by in behind]
    # Without any Service in the manifest, one that selects each workload is assumed; with
    # Services, a workload none of them selects gets no traffic.
    served = [_service_of(item, manifests) is not None or not manifests.services for item in items]
    if scheduler is not None:
        from simulator.runs.dask_cluster import map_on_cluster

        count = len(items)
        checks = map_on_cluster(
            scheduler,
            check_workload,
            items,
            [assumptions] * count,
            [lang] * count,
            services,
            served,
            blockers,
            progress=progress,
            description="check",
        )
    else:
        checks = [
            check_workload(item, assumptions, lang, service, is_served, blocked_by)
            for item, service, is_served, blocked_by in zip(
                items, services, served, blockers, strict=True
            )
        ]
    service_checks = [
        ServiceCheck(
            service,
            [w.label for w in manifests.workloads if service_selects(service.manifest, w.manifest)],
            service_findings(service, manifests.workloads, assumptions, lang),
        )
        for service in manifests.services
        if not service_cannot_judge(service.manifest)
    ]
    return CheckReport(
        assumptions, lang, checks, list(manifests.skipped), service_checks, cannot_judge
    )


def check_workload(
    item: ManifestObject,
    assumptions: Assumptions,
    lang: str,
    service: ManifestObject | None = None,
    served: bool = True,
    blocked_by: tuple[Blocker, ...] = (),
) -> WorkloadCheck:
    """The drills of one workload (run in the engine) and the findings they support.

    ``service``: the Service the drills run behind; ``served``: whether any Service sends it
    traffic (False: the findings about traffic do not apply); ``blocked_by``: the blocking
    findings that keep every request from its pods (no suggested change is verified). Raises
    ``ScenarioError`` naming the workload when a drill exceeds the simulator's limits."""
    label = item.label
    scenario_svc = scenario_service(service.manifest) if service else None
    try:
        results = {
            name: drills.run_drill(label, item.manifest, name, assumptions, scenario_svc)
            for name in drills.drill_names(item.kind)
        }
    except ScenarioError as error:
        # A drill beyond the simulator's limits (events, pod-seconds) for this workload.
        raise ScenarioError([_rebased(item, problem) for problem in error.problems]) from None

    def rerun(changed: Mapping[str, Any], drill: str) -> DrillResult:
        return drills.run_drill(label, changed, drill, assumptions, scenario_svc)

    def run_failing(
        changed: Mapping[str, Any], drill: str, failing: Mapping[str, Mapping[str, float]]
    ) -> DrillResult:
        return drills.run_drill(label, changed, drill, assumptions, scenario_svc, failing)

    context = findings.Context(
        label, item.manifest, results, assumptions, lang, rerun, served, run_failing, blocked_by
    )
    found = findings.find(context)
    return WorkloadCheck(item, list(results.values()), found, service, blocked_by)
