"""Lane.snapshot(): what the dashboard draws, JSON-ready."""

from __future__ import annotations

import json

from .factories import (
    behavior,
    deployment,
    event,
    http_probe,
    only_lane,
    scenario,
    simulate,
    template,
    variant,
)
from .factories import container as spec


def snapshot_at(until: float) -> dict:
    pod = template(spec(readiness=http_probe("/ready"), liveness=http_probe()))
    scn = scenario(
        variant(deployment(2, pod), program=behavior(boot_seconds=5)),
        duration=400,
        events=[event(30, "NodeDown", node="node2")],
    )
    snapshot = only_lane(simulate(scn, until=until)).snapshot()
    json.dumps(snapshot)
    return snapshot


def pods_by_name(snapshot: dict) -> dict[str, dict]:
    return {pod["name"]: pod for pod in snapshot["pods"]}


def test_pod_rows_conditions_containers_and_service_membership():
    snapshot = snapshot_at(25)
    web1 = pods_by_name(snapshot)["web-1"]
    assert (web1["phase"], web1["status"], web1["ready"], web1["restarts"]) == (
        "Running",
        "Running",
        "1/1",
        0,
    )
    assert web1["age"] == "25s"
    assert [c["type"] for c in web1["conditions"]] == [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
    ]
    (app,) = web1["containers"]
    assert (app["state"], app["ready"], app["started"], app["app"]) == (
        "Running",
        True,
        True,
        "Healthy",
    )
    assert [p["type"] for p in app["probes"]] == ["readiness", "liveness"]
    assert web1["endpoint"] == {"ready": True, "serving": True, "terminating": False}
    assert web1["routed"] is True
    assert web1["trafficShare"] == 0.5
    assert snapshot["service"]["routed"] == ["web-1", "web-2"]


def test_dead_node_and_its_stale_pod():
    snapshot = snapshot_at(100)
    node2 = snapshot["nodes"][1]
    assert (node2["name"], node2["status"], node2["up"]) == ("node2", "NotReady", False)
    assert node2["ready"]["status"] == "Unknown"
    assert [t["effect"] for t in node2["taints"]] == ["NoSchedule", "NoExecute"]
    web2 = pods_by_name(snapshot)["web-2"]
    assert (web2["status"], web2["ready"]) == ("Running", "1/1")
    assert web2["endpoint"] == {"ready": False, "serving": False, "terminating": False}
    assert web2["routed"] is False
    assert web2["trafficShare"] == 0.0
    assert snapshot["totals"]["errorsByCause"]["Timeout"] > 0
