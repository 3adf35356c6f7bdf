"""A complete scenario document built around a pasted Kubernetes manifest.

A user pastes what ``kubectl get -o yaml`` prints, or the file they apply: Deployments, Pods or
Jobs, possibly in a multi-document YAML (or a JSON ``List``) with Services and other objects.
Every document is read. A scenario runs one workload: the first one a Service selects (else the
first), into ``spec.workload`` as written (server-filled fields removed), behind that Service
(its selector, targetPort and ``publishNotReadyAddresses`` go into ``spec.service``; with
Services of which none selects a workload, the first one, so that its lack of endpoints shows).
What is not run, and what decides the outcome without being modelled, is listed in
``cannot_judge`` (and in ``notes``). Everything else gets defaults that tell the product's story:
three nodes, a node failure and a hung app at times that leave room for Kubernetes to react, and
three lanes comparing the manifest's own probes, no probes, and readiness and liveness probes with
Kubernetes' default timings. The document is returned as YAML text for the user to edit.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from simulator.scenario.manifests.assumed_behavior import container_behaviors
from simulator.scenario.manifests.judgement import (
    INERT_KINDS,
    exec_probes_cannot_judge,
    service_cannot_judge,
    workload_cannot_judge,
)
from simulator.scenario.manifests.schema import check_manifest_fields
from simulator.scenario.manifests.service import pod_labels, scenario_service, service_selects
from simulator.scenario.manifests.workload import API_VERSIONS
from simulator.scenario.run_budget import MAX_POD_SECONDS
from simulator.scenario.source.documents import kubernetes_objects, load_documents
from simulator.scenario.spec.variants import NAME_PATTERN
from simulator.scenario.validation import FieldPath, Problem, Problems, ScenarioError

WORKLOAD_KINDS = tuple(API_VERSIONS)
PROBE_TYPES = ("readinessProbe", "livenessProbe", "startupProbe")
# Fields the API server fills in; a pasted `kubectl get -o yaml` carries them.
SERVER_METADATA_FIELDS = (
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "managedFields",
    "selfLink",
    "ownerReferences",
)
SERVER_ANNOTATIONS = (
    "kubectl.kubernetes.io/last-applied-configuration",
    "deployment.kubernetes.io/revision",
)

NODES = ("node1", "node2", "node3")
DURATION = 900
SEED = 1
REQUESTS_PER_SECOND = 100
IMAGE_PULL_SECONDS = 2
# Shorter than the default liveness probe's patience (3 failures 10 s apart), so Kubernetes'
# defaults do not kill the app while it boots.
BOOT_SECONDS = 10
JOB_WORK_SECONDS = 700
# The node dies early; its pods are evicted after nodeMonitorGracePeriod (50 s) + the default
# toleration (300 s) and replaced (docs/kubernetes-model.md §5.4), well before the app hangs.
NODE_DOWN_AT = 60
HANG_AT = 600
# A pinned workload cannot move: its app hangs first, then its node dies.
PINNED_HANG_AT = 120
PINNED_NODE_DOWN_AT = 600
VARIANT_COUNT = 3
FALLBACK_NAME = "manifest"


@dataclass(frozen=True)
class ManifestScenario:
    """The scenario document (YAML text) and what it was built from."""

    text: str
    workload_kind: str
    workload_name: str
    notes: tuple[str, ...]
    # "cannot judge: <what> is not modelled" lines: objects not run, outcome-deciding fields.
    cannot_judge: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Story:
    """The two events, and who they hit."""

    events: tuple[dict[str, Any], ...]
    node: str
    pod: str


def scenario_from_manifest(text: str, *, name: str | None = None) -> ManifestScenario:
    """The scenario around the workload in ``text``; raises ``ScenarioError`` when there is none.

    ``name`` is the scenario's ``metadata.name`` (default: the workload's name). The document is
    not validated here: a manifest the simulator refuses (say 300 replicas) still gives a document,
    and the loader then names the problem in it.
    """
    objects = list(kubernetes_objects(load_documents(text)))
    workloads = [obj for obj in objects if obj.get("kind") in WORKLOAD_KINDS]
    if not workloads:
        found = ", ".join(_describe(obj) for obj in objects) or "nothing"
        message = f"no Deployment, StatefulSet, Pod or Job in the manifest (found: {found})"
        raise ScenarioError([Problem("", message)])
    services = [obj for obj in objects if obj.get("kind") == "Service"]
    chosen = next(
        (w for w in workloads if any(service_selects(svc, w) for svc in services)), workloads[0]
    )
    workload = _without_server_fields(chosen)
    kind = workload["kind"]
    workload_name = _workload_name(workload)
    service = _service_for(chosen, services)
    notes = _ignored_notes(chosen, service, objects)
    cannot_judge = _cannot_judge(chosen, service, objects)
    budgets = _disruption_budgets(chosen, objects, notes, cannot_judge)
    document = _document(workload, kind, workload_name, service, name, notes)
    if budgets:
        document["spec"]["podDisruptionBudgets"] = budgets
    header = _header(kind, workload_name)
    return ManifestScenario(
        text=header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True),
        workload_kind=kind,
        workload_name=workload_name,
        notes=tuple(notes + cannot_judge),
        cannot_judge=tuple(cannot_judge),
    )


# Reading the pasted text ------------------------------------------------------------------------


def _describe(obj: Mapping[str, Any]) -> str:
    name = _mapping(obj.get("metadata")).get("name")
    return f"{obj.get('kind')}/{name}" if isinstance(name, str) else str(obj.get("kind"))


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _without_server_fields(manifest: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = copy.deepcopy(dict(manifest))
    cleaned.pop("status", None)
    metadata = cleaned.get("metadata")
    if isinstance(metadata, dict):
        for field in SERVER_METADATA_FIELDS:
            metadata.pop(field, None)
        annotations = metadata.get("annotations")
        if isinstance(annotations, dict):
            for annotation in SERVER_ANNOTATIONS:
                annotations.pop(annotation, None)
            if not annotations:
                metadata.pop("annotations")
    return cleaned


def _workload_name(workload: Mapping[str, Any]) -> str:
    name = _mapping(workload.get("metadata")).get("name")
    return name if isinstance(name, str) and name else FALLBACK_NAME


def _ignored_notes(
    chosen: Mapping[str, Any],
    service: Mapping[str, Any] | None,
    objects: list[dict[str, Any]],
) -> list[str]:
    """The objects that change no pod and no traffic, named so that none is dropped silently."""
    inert = [
        _describe(obj)
        for obj in objects
        if obj is not chosen
        and obj is not service
        and obj.get("kind") in INERT_KINDS
        and obj.get("kind") != "PodDisruptionBudget"
    ]
    if not inert:
        return []
    return [f"ignored {', '.join(inert)}: they change no pod and no traffic of the run"]


def _cannot_judge(
    chosen: Mapping[str, Any],
    service: Mapping[str, Any] | None,
    objects: list[dict[str, Any]],
) -> list[str]:
    """What the run leaves out that may change its outcome: the other workloads and Services,
    objects of kinds not modelled, and the chosen objects' outcome-deciding fields."""
    lines = []
    for obj in objects:
        if obj is chosen or obj is service or obj.get("kind") in INERT_KINDS:
            continue
        if obj.get("kind") in WORKLOAD_KINDS or obj.get("kind") == "Service":
            what = f"{_describe(obj)} (a scenario runs one workload behind one Service)"
        else:
            what = _describe(obj)
        lines.append(f"cannot judge: {what} is not modelled")
    kind = str(chosen.get("kind"))
    unread = check_manifest_fields(chosen, kind, FieldPath(), Problems())
    for path in workload_cannot_judge(kind, unread):
        lines.append(f"cannot judge: {_describe(chosen)} {path} is not modelled")
    for path in exec_probes_cannot_judge(chosen):
        lines.append(
            f"cannot judge: {_describe(chosen)} {path}: its command checks a file that the "
            "container's own command changes"
        )
    if service is not None:
        for field in service_cannot_judge(service):
            lines.append(f"cannot judge: {_describe(service)} {field} is not modelled")
    return lines


PDB_SPEC_FIELDS = ("minAvailable", "maxUnavailable", "selector")


def _disruption_budgets(
    chosen: Mapping[str, Any],
    objects: list[dict[str, Any]],
    notes: list[str],
    cannot_judge: list[str],
) -> list[dict[str, Any]]:
    """The PodDisruptionBudgets over the workload's pods, for ``spec.podDisruptionBudgets``
    (used by a DrainNode event); one with fields the engine does not model cannot be judged."""
    budgets = []
    labels = pod_labels(chosen)
    for obj in objects:
        if obj.get("kind") != "PodDisruptionBudget":
            continue
        spec = _mapping(obj.get("spec"))
        selector = _mapping(spec.get("selector"))
        unread = [f"spec.{key}" for key in spec if key not in PDB_SPEC_FIELDS]
        unread += [f"spec.selector.{key}" for key in selector if key != "matchLabels"]
        if unread:
            cannot_judge += [
                f"cannot judge: {_describe(obj)} {path} is not modelled" for path in unread
            ]
            continue
        match = _mapping(selector.get("matchLabels"))
        if any(labels.get(key) != value for key, value in match.items()):
            notes.append(f"ignored {_describe(obj)}: it selects none of the workload's pods")
            continue
        budgets.append(
            {
                "apiVersion": "policy/v1",
                "kind": "PodDisruptionBudget",
                "metadata": {"name": _mapping(obj.get("metadata")).get("name")},
                "spec": copy.deepcopy(spec),
            }
        )
        notes.append(f"{_describe(obj)} in spec.podDisruptionBudgets (used by DrainNode events)")
    return budgets


def _service_for(
    workload: Mapping[str, Any], services: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The Service whose selector picks the workload's pods; else the first Service (it selects
    nothing of the manifest: the run shows a Service without endpoints)."""
    for service in services:
        if service_selects(service, workload):
            return service
    return services[0] if services else None


# The pod template -------------------------------------------------------------------------------


def _pod_template(workload: Mapping[str, Any]) -> dict[str, Any]:
    spec = _mapping(workload.get("spec"))
    if workload.get("kind") == "Pod":
        return {"metadata": _mapping(workload.get("metadata")), "spec": spec}
    return _mapping(spec.get("template"))


def _containers(workload: Mapping[str, Any], field: str) -> list[dict[str, Any]]:
    listed = _mapping(_pod_template(workload).get("spec")).get(field)
    return [item for item in listed if isinstance(item, dict)] if isinstance(listed, list) else []


def _node_name(workload: Mapping[str, Any]) -> str | None:
    node = _mapping(_pod_template(workload).get("spec")).get("nodeName")
    return node if isinstance(node, str) and node else None


def _pod_count(workload: Mapping[str, Any]) -> int:
    """How many pods run at first (values the loader refuses count as 1; it reports them)."""
    spec = _mapping(workload.get("spec"))
    field = {"Deployment": "replicas", "StatefulSet": "replicas", "Job": "parallelism"}.get(
        workload["kind"]
    )
    count = spec.get(field, 1) if field else 1
    return count if isinstance(count, int) and not isinstance(count, bool) and count >= 0 else 1


# The scenario document --------------------------------------------------------------------------


def _document(
    workload: dict[str, Any],
    kind: str,
    workload_name: str,
    service: Mapping[str, Any] | None,
    name: str | None,
    notes: list[str],
) -> dict[str, Any]:
    nodes = _nodes(workload)
    story = _story(workload, kind, workload_name, nodes)
    duration, events = _fit_budget(_pod_count(workload), story.events)
    spec: dict[str, Any] = {
        "duration": duration,
        "seed": SEED,
        "cluster": {"nodes": list(nodes) if nodes != NODES else len(nodes)},
        "service": _service_section(service, notes),
        "traffic": {"requestsPerSecond": REQUESTS_PER_SECOND},
        "workload": workload,
        "behavior": _behavior(workload, kind),
        "events": list(events),
        "variants": _variants(workload),
    }
    return {
        "apiVersion": "podviz/v1",
        "kind": "Scenario",
        "metadata": {
            "name": _scenario_name(name or workload_name),
            "title": {
                "en": f"{kind} {workload_name}: a node failure and a hung app, three probe setups",
                "ko": f"{kind} {workload_name}: 노드 장애와 멈춘 앱, 세 가지 Probe 설정 비교",
            },
            "description": _description(events, story),
        },
        "spec": spec,
    }


def _scenario_name(name: str) -> str:
    """``name`` made a valid ``metadata.name``: lowercase letters, digits and dashes."""
    slug = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")[:63].strip("-")
    return slug if NAME_PATTERN.fullmatch(slug) else FALLBACK_NAME


def _nodes(workload: Mapping[str, Any]) -> tuple[str, ...]:
    """Three nodes; a pod pinned by ``nodeName`` gets its node among them."""
    pinned = _node_name(workload)
    if pinned is None or pinned in NODES:
        return NODES
    return (pinned, *NODES[1:])


def _story(
    workload: Mapping[str, Any], kind: str, workload_name: str, nodes: tuple[str, ...]
) -> _Story:
    pinned = _node_name(workload)
    if kind == "Pod" or pinned is not None:
        node = pinned or nodes[0]
        pod = workload_name if kind == "Pod" else f"{workload_name}-1"
        events = (
            {"at": PINNED_HANG_AT, "action": "AppHang", "pod": pod},
            {"at": PINNED_NODE_DOWN_AT, "action": "NodeDown", "node": node},
        )
        return _Story(events, node, pod)
    # The scheduler spreads the pods over the nodes in order (docs/scenario-format.md): with two
    # or more, node2 holds the second and the first hangs later; a lone pod's node dies, and its
    # replacement (the count goes on: <name>-2) hangs.
    # A StatefulSet's pods go by ordinal from 0, and a replacement keeps its name.
    ordinal = kind == "StatefulSet"
    first = f"{workload_name}-0" if ordinal else f"{workload_name}-1"
    if _pod_count(workload) >= 2:
        node, pod = nodes[1], first
    else:
        node, pod = nodes[0], first if ordinal else f"{workload_name}-2"
    events = (
        {"at": NODE_DOWN_AT, "action": "NodeDown", "node": node},
        {"at": HANG_AT, "action": "AppHang", "pod": pod},
    )
    return _Story(events, node, pod)


def _fit_budget(
    pods: int, events: tuple[dict[str, Any], ...]
) -> tuple[int, tuple[dict[str, Any], ...]]:
    """The duration, shortened (events keeping their place in it) if the run would exceed the
    simulator's pod-seconds budget."""
    longest = MAX_POD_SECONDS // (max(pods, 1) * VARIANT_COUNT)
    if longest >= DURATION:
        return DURATION, events
    duration = max(longest, 1)
    return duration, tuple(
        {**event, "at": round(event["at"] * duration / DURATION)} for event in events
    )


def _service_section(service: Mapping[str, Any] | None, notes: list[str]) -> dict[str, Any]:
    """``spec.service``: the Service's selector, ports and publishNotReadyAddresses."""
    section = scenario_service(service) if service is not None else {}
    section["publishNotReadyAddresses"] = _publish_not_ready(service, notes)
    if service is not None and "selector" in section:
        notes.append(f"selector and ports from {_describe(service)}")
    return section


def _publish_not_ready(service: Mapping[str, Any] | None, notes: list[str]) -> bool:
    if service is None:
        return False
    value = _mapping(service.get("spec")).get("publishNotReadyAddresses")
    if not isinstance(value, bool):
        return False
    notes.append(f"publishNotReadyAddresses: {str(value).lower()} from {_describe(service)}")
    return value


def _behavior(workload: Mapping[str, Any], kind: str) -> dict[str, Any]:
    """A guess at the programs (``simulator.scenario.manifests.assumed_behavior``): the app boots
    for a while; a Job's work ends; init containers finish; sidecars run for the pod's life."""
    work = JOB_WORK_SECONDS if kind == "Job" else None
    pod_spec = _mapping(_pod_template(workload).get("spec"))
    return {
        "imagePullSeconds": IMAGE_PULL_SECONDS,
        "containers": container_behaviors(pod_spec, BOOT_SECONDS, work),
    }


def _variants(workload: Mapping[str, Any]) -> list[dict[str, Any]]:
    handler = _probe_handler(workload)
    return [
        {
            "name": "as-written",
            "title": {"en": "Probes as in the manifest", "ko": "매니페스트의 Probe 그대로"},
        },
        {
            "name": "no-probes",
            "title": {"en": "No probes", "ko": "Probe 없음"},
            "probes": dict.fromkeys(PROBE_TYPES),
        },
        {
            "name": "kubernetes-defaults",
            "title": {
                "en": "Readiness and liveness probes, Kubernetes defaults",
                "ko": "Readiness·Liveness Probe, 쿠버네티스 기본값",
            },
            # Only the handler: periodSeconds 10, timeoutSeconds 1, successThreshold 1,
            # failureThreshold 3, initialDelaySeconds 0 (docs/kubernetes-model.md §0;
            # k/k pkg/apis/core/v1/defaults.go (SetDefaults_Probe)).
            "probes": {"readinessProbe": handler, "livenessProbe": copy.deepcopy(handler)},
        },
    ]


def _probe_handler(workload: Mapping[str, Any]) -> dict[str, Any]:
    """A handler of the first app container's own probes that sees a hung app (``httpGet``,
    ``grpc`` or ``exec``), else an HTTP GET of / on the port it checks or exposes: a TCP check
    passes while the app answers 500 (docs/kubernetes-model.md §2.1)."""
    containers = _containers(workload, "containers")
    first = containers[0] if containers else {}
    probes = [_mapping(first.get(probe_type)) for probe_type in PROBE_TYPES]
    for handler in ("httpGet", "grpc", "exec"):
        for probe in probes:
            if isinstance(probe.get(handler), dict):
                return {handler: copy.deepcopy(probe[handler])}
    tcp_ports = [_mapping(probe.get("tcpSocket")).get("port") for probe in probes]
    port = next((port for port in tcp_ports if _is_port(port)), None) or _first_port(first)
    return {"httpGet": {"path": "/", "port": port}}


def _is_port(value: Any) -> bool:
    """A port number, or a port's name (the loader checks the name's rules)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return 1 <= value <= 65535
    return isinstance(value, str) and bool(value)


def _first_port(container: Mapping[str, Any]) -> int:
    ports = container.get("ports")
    for port in ports if isinstance(ports, list) else []:
        number = _mapping(port).get("containerPort")
        if _is_port(number) and isinstance(number, int):
            return number
    return 80


def _description(events: tuple[dict[str, Any], ...], story: _Story) -> dict[str, str]:
    times = {event["action"]: event["at"] for event in events}
    node_down, hang = times["NodeDown"], times["AppHang"]
    lanes_en = (
        "The lanes compare the probes of the manifest, no probes, and readiness and liveness "
        "probes with Kubernetes' default timings."
    )
    lanes_ko = (
        "레인은 매니페스트의 Probe, Probe 없음, 쿠버네티스 기본 설정의 Readiness·Liveness Probe를 "
        "비교합니다."
    )
    en_node = (
        f"At {node_down} s {story.node} goes down; after the node-monitor grace period (50 s) and "
        "the default toleration (300 s) its pods are evicted and replaced."
    )
    ko_node = (
        f"{node_down}초에 {story.node}가 다운됩니다. 노드 모니터 유예 시간(50초)과 기본 "
        "톨러레이션(300초)이 지나면 그 노드의 Pod가 축출되고 교체됩니다."
    )
    en_hang = f"At {hang} s the app in {story.pod} hangs and answers every request with HTTP 500."
    ko_hang = f"{hang}초에 {story.pod}의 앱이 멈춰 모든 요청에 HTTP 500으로 응답합니다."
    if hang < node_down:
        return {"en": f"{en_hang} {en_node} {lanes_en}", "ko": f"{ko_hang} {ko_node} {lanes_ko}"}
    return {"en": f"{en_node} {en_hang} {lanes_en}", "ko": f"{ko_node} {ko_hang} {lanes_ko}"}


def _header(kind: str, workload_name: str) -> str:
    # One line whatever the name holds: a line break would end the comment.
    shown_name = " ".join(workload_name.split())
    return (
        f"# A scenario built around the pasted {kind} {shown_name} (spec.workload).\n"
        "# The cluster, the traffic, what the app does (spec.behavior) and the events are\n"
        "# defaults chosen to show how probes steer traffic: edit them to match your app.\n"
    )
