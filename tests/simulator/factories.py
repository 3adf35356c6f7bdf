"""Small builders of ``simulator.scenario.types`` records for the engine's unit tests."""

from __future__ import annotations

from simulator.engine.simulation import Simulation
from simulator.scenario.types import (
    Behavior,
    ClusterSpec,
    ContainerBehavior,
    ContainerSpec,
    CrashLoopBackOff,
    PodTemplate,
    Probe,
    Scenario,
    ScenarioEvent,
    ServiceSpec,
    TrafficSpec,
    VariantSpec,
    Workload,
)

NODES = ("node1", "node2", "node3")


def http_probe(path: str = "/healthz", **settings) -> Probe:
    return Probe(handler="httpGet", port=8080, path=path, **settings)


def tcp_probe(**settings) -> Probe:
    return Probe(handler="tcpSocket", port=8080, **settings)


def exec_probe(**settings) -> Probe:
    return Probe(handler="exec", command=("cat", "/tmp/healthy"), **settings)


def grpc_probe(**settings) -> Probe:
    return Probe(handler="grpc", port=9090, **settings)


def container(
    name: str = "app",
    readiness: Probe | None = None,
    liveness: Probe | None = None,
    startup: Probe | None = None,
    pre_stop: float | None = None,
    image: str = "web:1",
) -> ContainerSpec:
    return ContainerSpec(
        name=name,
        image=image,
        readiness_probe=readiness,
        liveness_probe=liveness,
        startup_probe=startup,
        pre_stop_seconds=pre_stop,
    )


def template(
    *containers: ContainerSpec,
    init: tuple[ContainerSpec, ...] = (),
    restart_policy: str = "Always",
    grace: int = 30,
    node_name: str | None = None,
) -> PodTemplate:
    return PodTemplate(
        containers=containers or (container(),),
        init_containers=init,
        restart_policy=restart_policy,  # type: ignore[arg-type]
        termination_grace_period_seconds=grace,
        node_name=node_name,
    )


def deployment(
    replicas: int = 2, pod: PodTemplate | None = None, name: str = "web", **rollout
) -> Workload:
    return Workload(
        kind="Deployment", name=name, template=pod or template(), replicas=replicas, **rollout
    )


def bare_pod(pod: PodTemplate | None = None, name: str = "solo") -> Workload:
    return Workload(kind="Pod", name=name, template=pod or template())


def job(pod: PodTemplate | None = None, name: str = "batch", **settings) -> Workload:
    return Workload(
        kind="Job", name=name, template=pod or template(restart_policy="Never"), **settings
    )


def behavior(image_pull_seconds: float = 2.0, **program) -> Behavior:
    """The same program in every container (``"*"``)."""
    return Behavior(
        image_pull_seconds=image_pull_seconds, containers={"*": ContainerBehavior(**program)}
    )


def variant(
    workload: Workload,
    name: str = "default",
    program: Behavior | None = None,
    rate: float = 10.0,
    nodes: tuple[str, ...] = NODES,
    proxy_mode: str = "iptables",
    publish_not_ready_addresses: bool = False,
    crash_loop: CrashLoopBackOff | None = None,
    **cluster,
) -> VariantSpec:
    return VariantSpec(
        name=name,
        workload=workload,
        cluster=ClusterSpec(
            nodes=nodes, crash_loop_backoff=crash_loop or CrashLoopBackOff(), **cluster
        ),
        service=ServiceSpec(
            proxy_mode=proxy_mode,  # type: ignore[arg-type]
            publish_not_ready_addresses=publish_not_ready_addresses,
        ),
        traffic=TrafficSpec(requests_per_second=rate),
        behavior=program or behavior(),
    )


def event(at: float, action: str, **target) -> ScenarioEvent:
    return ScenarioEvent(at=at, action=action, **target)  # type: ignore[arg-type]


def scenario(
    *variants: VariantSpec,
    duration: float = 60.0,
    seed: int = 7,
    events: tuple[ScenarioEvent, ...] | list[ScenarioEvent] = (),
) -> Scenario:
    return Scenario(
        name="unit", duration=duration, seed=seed, variants=variants, events=tuple(events)
    )


def simulate(scn: Scenario, until: float | None = None) -> Simulation:
    simulation = Simulation(scn)
    simulation.advance_to(scn.duration if until is None else until)
    return simulation


def only_lane(simulation: Simulation):
    (lane,) = simulation.lanes
    return lane


def pod_of(lane, name: str):
    pod = lane.api.pod(name)
    assert pod is not None, f"no pod {name}"
    return pod


def event_times(lane, reason: str, obj: str | None = None) -> list[float]:
    return [
        e["time"]
        for e in lane.events
        if e["reason"] == reason and (obj is None or e["object"] == obj)
    ]
