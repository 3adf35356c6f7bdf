"""A lane's state now, JSON-ready: what the dashboard draws each frame."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.api.container import Container
from simulator.api.pod import Pod
from simulator.printing.durations import human_duration

if TYPE_CHECKING:
    from simulator.engine.lane import Lane


def container_snapshot(container: Container) -> dict:
    status = container.status_dict()
    status["image"] = container.spec.image
    status["app"] = container.app.state if container.app is not None else None
    status["stopping"] = container.stopping
    status["probes"] = [worker.snapshot() for worker in container.workers]
    return status


def pod_snapshot(pod: Pod, lane: Lane) -> dict:
    now = lane.clock.now
    endpoint = lane.endpoints.endpoint(pod.name)
    routed = pod.name in lane.proxy.routed_names
    row = pod.row
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
        "initContainers": [container_snapshot(c) for c in pod.init_containers],
        "containers": [container_snapshot(c) for c in pod.containers],
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


def lane_snapshot(lane: Lane) -> dict:
    api = lane.api
    pods = [pod for pod in api.pods if not pod.removed]
    return {
        "time": lane.clock.now,
        "name": lane.name,
        "pods": [pod_snapshot(pod, lane) for pod in pods],
        "nodes": [
            {**node.snapshot(), "pods": sum(1 for pod in pods if pod.node is node)}
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
