"""The shapes of what the engine hands out: the results document (docs/scenario-format.md) and a
lane's snapshot (docs/protocol.md), as TypedDicts that mypy checks where they are built.

Nested parts built by API objects (conditions, container statuses, taints, endpoints, probe
workers) are plain JSON-ready dicts here.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from simulator.printing.kubectl import HistoryRow

JsonDict = dict[str, Any]


class NodeReady(TypedDict):
    status: str
    reason: str
    message: str
    lastTransitionTime: float


class NodeResult(TypedDict):
    name: str
    status: str  # Ready / NotReady, as kubectl get nodes prints it
    up: bool
    ready: NodeReady
    taints: list[JsonDict]


class PodResult(TypedDict):
    name: str
    uid: str
    node: str | None
    ip: str | None
    createdAt: float
    deletionTimestamp: float | None
    deletedAt: float | None
    phase: str
    status: str
    ready: str
    restarts: int
    restartsText: str
    conditions: dict[str, bool]
    conditionDetails: list[JsonDict]
    containers: list[JsonDict]
    initContainers: list[JsonDict]
    history: list[HistoryRow]


class InjectedEvent(TypedDict):
    at: float
    action: str
    node: str | None
    pod: str | None
    container: str | None
    exitCode: int
    replicas: int | None
    requestsPerSecond: float | None
    dependency: NotRequired[str | None]  # the Dependency* actions only
    latency: NotRequired[float | None]


class VariantResult(TypedDict):
    name: str
    title: dict[str, str]
    totals: JsonDict
    pods: list[PodResult]
    events: list[JsonDict]
    series: JsonDict
    nodes: list[NodeResult]
    workload: JsonDict
    notModelled: list[str]
    servingPods: NotRequired[dict[str, JsonDict]]  # lanes with a serving model only
    # The variant's score in the scenario's score window (simulator/results/score.py).
    score: JsonDict


class ResultsDocument(TypedDict):
    scenario: str
    seed: int
    duration: float
    scoreWindow: JsonDict
    variants: list[VariantResult]
    injected: list[InjectedEvent]


class EndpointView(TypedDict):
    ready: bool
    serving: bool
    terminating: bool


class PodSnapshot(TypedDict):
    name: str
    uid: str
    node: str | None
    ip: str | None
    phase: str
    status: str
    ready: str
    restarts: int
    restartsText: str
    age: str
    createdAt: float
    deletionTimestamp: float | None
    deletedAt: float | None
    conditions: list[JsonDict]
    initContainers: list[JsonDict]
    containers: list[JsonDict]
    endpoint: EndpointView | None
    routed: bool
    trafficShare: float


class NodeSnapshot(NodeResult):
    pods: int


class ServiceView(TypedDict):
    proxyMode: str
    routed: list[str]
    fallbackToTerminating: bool
    publishNotReadyAddresses: bool


class LaneSnapshot(TypedDict):
    time: float
    name: str
    pods: list[PodSnapshot]
    nodes: list[NodeSnapshot]
    endpoints: list[JsonDict]
    service: ServiceView
    traffic: dict[str, float]
    totals: JsonDict
