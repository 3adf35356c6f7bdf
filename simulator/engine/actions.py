"""What each scenario event action does to a lane (scenario-format.md "Event actions")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.api.container import Container
from simulator.scenario.types import ScenarioEvent

if TYPE_CHECKING:
    from simulator.engine.lane import Lane


def _target_containers(lane: Lane, event: ScenarioEvent) -> list[Container]:
    """The running app containers an app fault hits: the named one, else every app container."""
    pod = lane.api.pod(event.pod) if event.pod else None
    if pod is None or pod.removed:
        return []
    if event.container:
        container = pod.container(event.container)
        candidates = [container] if container is not None else []
    else:
        candidates = pod.containers
    return [c for c in candidates if c.app is not None and c.app.running]


def node_down(lane: Lane, event: ScenarioEvent) -> None:
    node = lane.api.node(event.node or "")
    if node is None or not node.up:
        return
    node.up = False
    node.down_since = lane.clock.now
    lane.traffic.state_changed()
    assert node.kubelet is not None
    node.kubelet.node_down()


def node_up(lane: Lane, event: ScenarioEvent) -> None:
    node = lane.api.node(event.node or "")
    if node is None or node.up:
        return
    now = lane.clock.now
    node.up = True
    node.down_since = None
    lane.traffic.state_changed()
    node.lease_anchor = now  # the restarted kubelet renews its Lease at once, then every 10 s
    ref = f"Node/{node.name}"
    lane.recorder.normal(ref, "Starting", "Starting kubelet.")
    if node.ready_status != "True":
        # The kubelet posts its status on start (node-status.md "Heartbeats").
        node.ready_status = "True"
        node.ready_reason = "KubeletReady"
        node.ready_message = "kubelet is posting ready status"
        node.ready_since = now
        lane.recorder.normal(ref, "NodeReady", f"Node {node.name} status is now: NodeReady")
    assert node.kubelet is not None
    node.kubelet.node_up()


def app_hang(lane: Lane, event: ScenarioEvent) -> None:
    for container in _target_containers(lane, event):
        container.app.hang()


def app_unresponsive(lane: Lane, event: ScenarioEvent) -> None:
    for container in _target_containers(lane, event):
        container.app.become_unresponsive()


def app_recover(lane: Lane, event: ScenarioEvent) -> None:
    for container in _target_containers(lane, event):
        container.app.recover()


def app_crash(lane: Lane, event: ScenarioEvent) -> None:
    for container in _target_containers(lane, event):
        container.app.exit(event.exit_code)


def delete_pod(lane: Lane, event: ScenarioEvent) -> None:
    pod = lane.api.pod(event.pod or "")
    if pod is not None:
        lane.api.delete_pod(pod)


def scale(lane: Lane, event: ScenarioEvent) -> None:
    if event.replicas is not None:
        lane.workload.scale(event.replicas)


def rollout_restart(lane: Lane, event: ScenarioEvent) -> None:
    lane.workload.rollout_restart()


def set_traffic(lane: Lane, event: ScenarioEvent) -> None:
    if event.requests_per_second is not None:
        lane.traffic.set_rate(event.requests_per_second, lane.clock.now)


ACTIONS = {
    "NodeDown": node_down,
    "NodeUp": node_up,
    "AppHang": app_hang,
    "AppUnresponsive": app_unresponsive,
    "AppRecover": app_recover,
    "AppCrash": app_crash,
    "DeletePod": delete_pod,
    "Scale": scale,
    "RolloutRestart": rollout_restart,
    "SetTraffic": set_traffic,
}


def apply_event(lane: Lane, event: ScenarioEvent) -> None:
    ACTIONS[event.action](lane, event)
