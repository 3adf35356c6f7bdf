"""A lane's state now, JSON-ready: what the dashboard draws each frame."""

from __future__ import annotations

from typing import Protocol

from simulator.api.container import Container
from simulator.api.pod import Pod
from simulator.api.server import ApiServer
from simulator.clock import Clock
from simulator.controllers.endpointslice import EndpointSliceController
from simulator.kubelet.kubelet import Kubelet
from simulator.network.kube_proxy import KubeProxy
from simulator.network.served_traffic import ServedTraffic
from simulator.network.traffic import Traffic
from simulator.printing.durations import human_duration
from simulator.printing.kubectl import PodTable
from simulator.results.document import node_result
from simulator.results.shapes import LaneSnapshot, PodSnapshot
from simulator.runtime.runtime import ContainerRuntime


class SnapshotSource(Protocol):
    """The parts of a lane a snapshot reads."""

    name: str
    clock: Clock
    api: ApiServer
    kubelets: dict[str, Kubelet]
    kubectl: PodTable
    endpoints: EndpointSliceController
    proxy: KubeProxy
    traffic: Traffic | ServedTraffic
    runtime: ContainerRuntime

    @property
    def totals(self) -> dict: ...


def container_snapshot(pod: Pod, container: Container, lane: SnapshotSource) -> dict:
    status = container.status_dict()
    status["image"] = container.spec.image
    process = lane.runtime.process(pod.uid, container.name)
    status["app"] = process.state if process is not None else None
    status["stopping"] = container.stopping
    kubelet = lane.kubelets[pod.node.name] if pod.node is not None else None
    workers = kubelet.probes.workers(pod, container) if kubelet is not None else []
    status["probes"] = [worker.snapshot() for worker in workers]
    return status


def pod_snapshot(pod: Pod, lane: SnapshotSource) -> PodSnapshot:
    now = lane.clock.now
    endpoint = lane.endpoints.endpoint(pod.name)
    routed = pod.name in lane.proxy.routed_names
    row = lane.kubectl.row(pod)
    return {
        "name": pod.name,
        "uid": pod.uid,
        "node": pod.node_name,
        "ip": pod.ip,
        "phase": pod.phase,
        "status": row.status,
        "ready": row.ready,
        "restarts": row.restarts,
        "restartsText": row.restarts_text(now),
        "age": human_duration(now - pod.created_at),
        "createdAt": pod.created_at,
        "deletionTimestamp": pod.deletion_timestamp,
        "deletedAt": pod.deleted_at,
        "conditions": [condition.to_dict() for condition in pod.conditions.values()],
        "initContainers": [container_snapshot(pod, c, lane) for c in pod.init_containers],
        "containers": [container_snapshot(pod, c, lane) for c in pod.containers],
        "endpoint": (
            {
                "ready": endpoint.ready,
                "serving": endpoint.serving,
                "terminating": endpoint.terminating,
            }
            if endpoint is not None
            else None
        ),
        "routed": routed,
        "trafficShare": 1 / len(lane.proxy.routed) if routed else 0.0,
    }


def lane_snapshot(lane: SnapshotSource) -> LaneSnapshot:
    api = lane.api
    pods = [pod for pod in api.pods if not pod.removed]
    return {
        "time": lane.clock.now,
        "name": lane.name,
        "pods": [pod_snapshot(pod, lane) for pod in pods],
        "nodes": [
            {**node_result(node), "pods": sum(1 for pod in pods if pod.node is node)}
            for node in api.nodes
        ],
        "endpoints": [endpoint.to_dict() for endpoint in lane.endpoints.endpoints],
        "service": {
            "proxyMode": lane.proxy.mode,
            "routed": [pod.name for pod in lane.proxy.routed],
            "fallbackToTerminating": lane.proxy.fallback,
            "publishNotReadyAddresses": lane.endpoints.publish_not_ready_addresses,
        },
        "traffic": {"requestsPerSecond": lane.traffic.rate},
        "totals": lane.totals,
    }
