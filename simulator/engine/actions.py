"""What each scenario event action does to a lane (scenario-format.md "Event actions")."""

from __future__ import annotations

from typing import Protocol

from simulator.api.server import ApiServer
from simulator.clock import Clock
from simulator.controllers.disruption import DisruptionController
from simulator.controllers.workloads import WorkloadController
from simulator.kubelet.kubelet import Kubelet
from simulator.network.served_traffic import ServedTraffic
from simulator.network.traffic import Traffic
from simulator.runtime.app import App
from simulator.runtime.runtime import ContainerRuntime
from simulator.scenario.types import ScenarioEvent


class Cluster(Protocol):
    """What the actions reach in a lane."""

    clock: Clock
    api: ApiServer
    kubelets: dict[str, Kubelet]
    traffic: Traffic | ServedTraffic
    runtime: ContainerRuntime
    workload: WorkloadController
    disruption: DisruptionController


def _target_processes(lane: Cluster, event: ScenarioEvent) -> list[App]:
    """The running processes an app fault hits: the named container's, else every app
    container's."""
    pod = lane.api.pod(event.pod) if event.pod else None
    if pod is None or pod.removed:
        return []
    if event.container:
        container = pod.container(event.container)
        candidates = [container] if container is not None else []
    else:
        candidates = pod.containers
    processes = [lane.runtime.process(pod.uid, c.name) for c in candidates]
    return [process for process in processes if process is not None and process.running]


def node_down(lane: Cluster, event: ScenarioEvent) -> None:
    node = lane.api.node(event.node or "")
    if node is None or not node.up:
        return
    node.up = False
    node.down_since = lane.clock.now
    traffic = lane.traffic
    if isinstance(traffic, ServedTraffic):
        pods = [pod for pod in lane.api.pods if pod.node is node]
        traffic.node_down(pods, lane.clock.now)
    traffic.state_changed()
    lane.kubelets[node.name].node_down()


def node_up(lane: Cluster, event: ScenarioEvent) -> None:
    node = lane.api.node(event.node or "")
    if node is None or node.up:
        return
    node.up = True
    node.down_since = None
    lane.traffic.state_changed()
    lane.kubelets[node.name].node_up()


def app_hang(lane: Cluster, event: ScenarioEvent) -> None:
    for process in _target_processes(lane, event):
        process.hang()


def app_unresponsive(lane: Cluster, event: ScenarioEvent) -> None:
    for process in _target_processes(lane, event):
        process.become_unresponsive()


def app_recover(lane: Cluster, event: ScenarioEvent) -> None:
    for process in _target_processes(lane, event):
        process.recover()


def app_crash(lane: Cluster, event: ScenarioEvent) -> None:
    for process in _target_processes(lane, event):
        process.exit(event.exit_code)


def delete_pod(lane: Cluster, event: ScenarioEvent) -> None:
    pod = lane.api.pod(event.pod or "")
    if pod is not None:
        lane.api.delete_pod(pod)


def scale(lane: Cluster, event: ScenarioEvent) -> None:
    if event.replicas is not None:
        lane.workload.scale(event.replicas)


def rollout_restart(lane: Cluster, event: ScenarioEvent) -> None:
    lane.workload.rollout_restart()


def set_traffic(lane: Cluster, event: ScenarioEvent) -> None:
    if event.requests_per_second is not None:
        lane.traffic.set_rate(event.requests_per_second, lane.clock.now)


def drain_node(lane: Cluster, event: ScenarioEvent) -> None:
    lane.disruption.drain(event.node or "")


def _dependencies(lane: Cluster) -> ServedTraffic | None:
    """The lane's served traffic, its servers caught up, before a dependency changes (a lane
    without a serving model has no dependencies that matter)."""
    traffic = lane.traffic
    if not isinstance(traffic, ServedTraffic):
        return None
    traffic.catch_up(lane.clock.now)
    return traffic


def dependency_down(lane: Cluster, event: ScenarioEvent) -> None:
    traffic = _dependencies(lane)
    if traffic is not None and event.dependency is not None:
        traffic.dependencies.set_down(event.dependency)


def dependency_slow(lane: Cluster, event: ScenarioEvent) -> None:
    traffic = _dependencies(lane)
    if traffic is not None and event.dependency is not None and event.latency is not None:
        traffic.dependencies.set_latency(event.dependency, event.latency)


def dependency_recover(lane: Cluster, event: ScenarioEvent) -> None:
    traffic = _dependencies(lane)
    if traffic is not None and event.dependency is not None:
        traffic.dependencies.recover(event.dependency)


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
    "DrainNode": drain_node,
    "DependencyDown": dependency_down,
    "DependencySlow": dependency_slow,
    "DependencyRecover": dependency_recover,
}


def apply_event(lane: Cluster, event: ScenarioEvent) -> None:
    ACTIONS[event.action](lane, event)
