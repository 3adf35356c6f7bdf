"""What a valid manifest gets wrong without the API server refusing it.

A probe on a port name the container does not declare passes validation (only the name's form
is checked), yet the kubelet cannot resolve it: every attempt errors and its result is thrown
away (docs/kubernetes-model.md §8.3), so a readiness probe keeps the pod out of the Service and
a liveness or startup probe never acts. ``validate`` and the editor say so beside "valid".
"""

from __future__ import annotations

from simulator.scenario.types import ContainerSpec, Probe, Workload

PROBE_FIELDS = (
    ("readinessProbe", "readiness_probe"),
    ("livenessProbe", "liveness_probe"),
    ("startupProbe", "startup_probe"),
)


def workload_warnings(workload: Workload, prefix: str = "spec.workload") -> list[str]:
    """One line per problem, named by its field path under ``prefix``."""
    pod_spec = f"{prefix}.spec" if workload.kind == "Pod" else f"{prefix}.spec.template.spec"
    lines = []
    template = workload.template
    for field, containers in (
        ("containers", template.containers),
        ("initContainers", template.init_containers),
    ):
        for index, container in enumerate(containers):
            lines += _container_warnings(f"{pod_spec}.{field}[{index}]", container)
    return lines


def _container_warnings(path: str, container: ContainerSpec) -> list[str]:
    lines = []
    for field, attribute in PROBE_FIELDS:
        probe: Probe | None = getattr(container, attribute)
        if probe is None or not isinstance(probe.port, str):
            continue
        if probe.port in container.named_ports:
            continue
        declared = ", ".join(f"{name}={port}" for name, port in container.named_ports.items())
        effect = (
            "the pod never becomes Ready"
            if field == "readinessProbe"
            else "the probe never fails, so it never restarts anything"
        )
        lines.append(
            f"{path}.{field}.{probe.handler}.port: port name {probe.port!r} is not declared by "
            f"container {container.name} (declared ports: {declared or 'none'}): the kubelet "
            f"cannot resolve it, every attempt errors and is thrown away; {effect}"
        )
    return lines
