"""Small builders of scenario documents (docs/scenario-format.md), as plain dicts.

Every builder returns exactly what a user would write in a scenario file, so the
acceptance tests exercise the loader and the engine through the public contract only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Document = dict[str, Any]

APP_PORT = 8080
DEFAULT_IMAGE = "registry.example/web:1.0"


def http_probe(path: str = "/healthz", **settings: Any) -> Document:
    """An httpGet probe; ``settings`` are Kubernetes probe fields (periodSeconds=5, ...)."""
    return {"httpGet": {"path": path, "port": APP_PORT}, **settings}


def tcp_probe(**settings: Any) -> Document:
    return {"tcpSocket": {"port": APP_PORT}, **settings}


def exec_probe(**settings: Any) -> Document:
    return {"exec": {"command": ["/bin/check-health"]}, **settings}


def grpc_probe(**settings: Any) -> Document:
    return {"grpc": {"port": APP_PORT}, **settings}


def container(
    name: str = "app",
    *,
    readiness: Document | None = None,
    liveness: Document | None = None,
    startup: Document | None = None,
    pre_stop_sleep: int | None = None,
    pre_stop_command: list[str] | None = None,
    image: str = DEFAULT_IMAGE,
) -> Document:
    """One container; ``pre_stop_sleep`` is a sleep action, ``pre_stop_command`` an exec hook."""
    spec: Document = {"name": name, "image": image, "ports": [{"containerPort": APP_PORT}]}
    if readiness is not None:
        spec["readinessProbe"] = readiness
    if liveness is not None:
        spec["livenessProbe"] = liveness
    if startup is not None:
        spec["startupProbe"] = startup
    if pre_stop_sleep is not None:
        spec["lifecycle"] = {"preStop": {"sleep": {"seconds": pre_stop_sleep}}}
    if pre_stop_command is not None:
        spec["lifecycle"] = {"preStop": {"exec": {"command": pre_stop_command}}}
    return spec


def init_container(name: str) -> Document:
    return {"name": name, "image": "registry.example/setup:1.0"}


def pod_spec(
    containers: Iterable[Document],
    *,
    init_containers: Iterable[Document] = (),
    restart_policy: str | None = None,
    grace: int | None = None,
) -> Document:
    spec: Document = {"containers": list(containers)}
    init = list(init_containers)
    if init:
        spec["initContainers"] = init
    if restart_policy is not None:
        spec["restartPolicy"] = restart_policy
    if grace is not None:
        spec["terminationGracePeriodSeconds"] = grace
    return spec


def deployment(
    containers: Iterable[Document] | None = None,
    *,
    replicas: int = 1,
    name: str = "web",
    init_containers: Iterable[Document] = (),
    grace: int | None = None,
    max_surge: int | str | None = None,
    max_unavailable: int | str | None = None,
) -> Document:
    labels = {"app": name}
    spec: Document = {
        "replicas": replicas,
        "selector": {"matchLabels": labels},
        "template": {
            "metadata": {"labels": labels},
            "spec": pod_spec(
                containers or [container()], init_containers=init_containers, grace=grace
            ),
        },
    }
    rolling: Document = {}
    if max_surge is not None:
        rolling["maxSurge"] = max_surge
    if max_unavailable is not None:
        rolling["maxUnavailable"] = max_unavailable
    if rolling:
        spec["strategy"] = {"type": "RollingUpdate", "rollingUpdate": rolling}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name}, "spec": spec}


def bare_pod(
    containers: Iterable[Document] | None = None,
    *,
    name: str = "solo",
    init_containers: Iterable[Document] = (),
    restart_policy: str | None = None,
    grace: int | None = None,
) -> Document:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": pod_spec(
            containers or [container()],
            init_containers=init_containers,
            restart_policy=restart_policy,
            grace=grace,
        ),
    }


def job(
    containers: Iterable[Document] | None = None,
    *,
    name: str = "batch",
    restart_policy: str = "Never",
    backoff_limit: int | None = None,
) -> Document:
    spec: Document = {
        "template": {
            "metadata": {"labels": {"app": name}},
            "spec": pod_spec(containers or [container()], restart_policy=restart_policy),
        }
    }
    if backoff_limit is not None:
        spec["backoffLimit"] = backoff_limit
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name}, "spec": spec}


def program(**fields: Any) -> Document:
    """What the program in one container does (bootSeconds, hangAfterSeconds, ...)."""
    return dict(fields)


def event(at: float, action: str, **target: Any) -> Document:
    return {"at": at, "action": action, **target}


def variant(name: str, **probes: Document | None) -> Document:
    """A lane; ``probes`` maps readinessProbe/livenessProbe/startupProbe to a probe or None."""
    return {"name": name, "probes": dict(probes)}


def scenario(
    workload: Document,
    *,
    duration: float,
    programs: Mapping[str, Document] | None = None,
    events: Iterable[Document] = (),
    variants: Iterable[Document] = (),
    nodes: int | list[str] = 3,
    requests_per_second: float = 10,
    seed: int = 7,
    cluster: Mapping[str, Any] | None = None,
    service: Mapping[str, Any] | None = None,
    image_pull_seconds: float | None = None,
    name: str = "acceptance",
) -> Document:
    """A complete scenario document; ``programs`` maps container names to ``program(...)``."""
    behavior: Document = {"containers": dict(programs or {})}
    if image_pull_seconds is not None:
        behavior["imagePullSeconds"] = image_pull_seconds
    spec: Document = {
        "duration": duration,
        "seed": seed,
        "cluster": {"nodes": nodes, **(cluster or {})},
        "service": {"proxyMode": "iptables", "publishNotReadyAddresses": False, **(service or {})},
        "traffic": {"requestsPerSecond": requests_per_second},
        "workload": workload,
        "behavior": behavior,
        "events": list(events),
    }
    variant_list = list(variants)
    if variant_list:
        spec["variants"] = variant_list
    return {
        "apiVersion": "podviz/v1",
        "kind": "Scenario",
        "metadata": {"name": name, "title": "Acceptance scenario"},
        "spec": spec,
    }
