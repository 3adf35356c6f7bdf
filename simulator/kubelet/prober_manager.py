"""The kubelet's probe workers, one per (pod, container, probe type).

k/k pkg/kubelet/prober/prober_manager.go: ``manager.workers`` is a map keyed by ``probeKey{podUID,
containerName, probeType}``; ``AddPod`` starts a worker for each probe a container declares.
"""

from __future__ import annotations

from typing import NamedTuple

from simulator.api.container import Container
from simulator.api.pod import Pod
from simulator.kubelet.prober import LIVENESS, READINESS, STARTUP, ProberContext, ProbeWorker

# The order in which a container's workers are listed (snapshots, status updates).
PROBE_TYPES = (STARTUP, READINESS, LIVENESS)


class ProbeKey(NamedTuple):
    pod_uid: str
    container_name: str
    probe_type: str


class ProbeManager:
    def __init__(self, context: ProberContext) -> None:
        self.context = context
        self._workers: dict[ProbeKey, ProbeWorker] = {}
        # The same workers by container, in PROBE_TYPES order.
        self._by_container: dict[tuple[str, str], list[ProbeWorker]] = {}

    def add_pod(self, pod: Pod) -> None:
        """A worker for every probe of every sidecar and app container of ``pod`` (replacing
        older ones)."""
        for container in pod.long_running_containers:
            spec = container.spec
            probes = {
                STARTUP: spec.startup_probe,
                READINESS: spec.readiness_probe,
                LIVENESS: spec.liveness_probe,
            }
            workers = []
            for probe_type in PROBE_TYPES:
                key = ProbeKey(pod.uid, container.name, probe_type)
                probe = probes[probe_type]
                if probe is None:
                    self._workers.pop(key, None)
                    continue
                worker = ProbeWorker(self.context, pod, container, probe_type, probe)
                self._workers[key] = worker
                workers.append(worker)
            self._by_container[(pod.uid, container.name)] = workers

    def workers(self, pod: Pod, container: Container) -> list[ProbeWorker]:
        """The container's workers: startup, readiness, liveness (those it has)."""
        return self._by_container.get((pod.uid, container.name), [])

    def worker(self, pod: Pod, container: Container, probe_type: str) -> ProbeWorker | None:
        return self._workers.get(ProbeKey(pod.uid, container.name, probe_type))
