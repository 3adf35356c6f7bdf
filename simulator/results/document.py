"""The results document of docs/scenario-format.md (JSON-ready dicts)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from simulator.api.conditions import CONTAINERS_READY, INITIALIZED, POD_SCHEDULED, READY
from simulator.api.container import Container
from simulator.api.node import Node
from simulator.api.pod import Pod
from simulator.api.server import ApiServer
from simulator.controllers.workloads import WorkloadController
from simulator.printing.kubectl import PodTable, node_status
from simulator.results.score import ScoreWindow, lane_score, rank_scores, score_window
from simulator.results.shapes import (
    InjectedEvent,
    NodeResult,
    PodResult,
    ResultsDocument,
    VariantResult,
)
from simulator.scenario.types import Scenario, ScenarioEvent, VariantSpec


class LaneOutput(Protocol):
    """The parts of a lane its results read."""

    name: str
    variant: VariantSpec
    api: ApiServer
    kubectl: PodTable
    workload: WorkloadController

    @property
    def totals(self) -> dict: ...

    @property
    def events(self) -> list[dict]: ...

    @property
    def series(self) -> dict: ...


_RESULT_CONDITIONS = (POD_SCHEDULED, INITIALIZED, CONTAINERS_READY, READY)


def _container_result(container: Container) -> dict:
    status = container.status_dict()
    del status["startedAt"]
    return status


def node_result(node: Node) -> NodeResult:
    """A node as the results and snapshots show it."""
    return {
        "name": node.name,
        "status": node_status(node.ready_status),
        "up": node.up,
        "ready": {
            "status": node.ready_status,
            "reason": node.ready_reason,
            "message": node.ready_message,
            "lastTransitionTime": node.ready_since,
        },
        "taints": [t.to_dict() for t in node.taints],
    }


def pod_result(pod: Pod, table: PodTable) -> PodResult:
    row = table.row(pod)
    conditions = dict.fromkeys(_RESULT_CONDITIONS, False)
    conditions.update({name: c.is_true for name, c in pod.conditions.items()})
    return {
        "name": pod.name,
        "uid": pod.uid,
        "node": pod.node_name,
        "ip": pod.ip,
        "createdAt": pod.created_at,
        "deletionTimestamp": pod.deletion_timestamp,
        "deletedAt": pod.deleted_at,
        "phase": pod.phase,
        "status": row.status,
        "ready": row.ready,
        "restarts": row.restarts,
        "restartsText": row.restarts_text(table.clock.now),
        "conditions": conditions,
        "conditionDetails": [c.to_dict() for c in pod.conditions.values()],
        "containers": [_container_result(c) for c in pod.containers],
        "initContainers": [_container_result(c) for c in pod.init_containers],
        "history": list(table.history(pod)),
    }


def event_result(event: ScenarioEvent) -> InjectedEvent:
    result: InjectedEvent = {
        "at": event.at,
        "action": event.action,
        "node": event.node,
        "pod": event.pod,
        "container": event.container,
        "exitCode": event.exit_code,
        "replicas": event.replicas,
        "requestsPerSecond": event.requests_per_second,
    }
    if event.dependency is not None:
        result["dependency"] = event.dependency
        result["latency"] = event.latency
    return result


def lane_result(lane: LaneOutput, window: ScoreWindow, now: float) -> VariantResult:
    series = lane.series
    result: VariantResult = {
        "name": lane.name,
        "title": dict(lane.variant.title),
        "totals": lane.totals,
        "pods": [pod_result(pod, lane.kubectl) for pod in lane.api.pods],
        "events": list(lane.events),
        "series": series,
        "nodes": [node_result(node) for node in lane.api.nodes],
        "workload": lane.workload.status(),
        "notModelled": list(lane.variant.workload.not_modelled),
        "score": lane_score(series, window, now),
    }
    serving_pods = getattr(lane, "serving_pods", None)
    if serving_pods is not None:
        result["servingPods"] = serving_pods
    return result


def _ranked(variants: list[VariantResult]) -> list[VariantResult]:
    """Each variant's score with its ``rank`` among the variants (simulator/results/score.py)."""
    ranks = rank_scores([variant["score"] for variant in variants])
    for variant, rank in zip(variants, ranks, strict=True):
        variant["score"] = {**variant["score"], "rank": rank}
    return variants


def build_results(
    scenario: Scenario,
    lanes: Sequence[LaneOutput],
    injected: Sequence[ScenarioEvent],
    now: float | None = None,
) -> ResultsDocument:
    """The results so far; ``now``: the simulated time reached (None: the end of the run)."""
    window = score_window(scenario)
    reached = scenario.duration if now is None else now
    return {
        "scenario": scenario.name,
        "seed": scenario.seed,
        "duration": scenario.duration,
        "scoreWindow": window.as_dict(),
        "variants": _ranked([lane_result(lane, window, reached) for lane in lanes]),
        "injected": [event_result(event) for event in injected],
    }
