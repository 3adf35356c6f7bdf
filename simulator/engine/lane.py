"""One lane: a whole simulated cluster running one variant of the scenario."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from simulator.api.container import RUNNING
from simulator.api.events import EventRecorder
from simulator.api.node import Node
from simulator.api.pod import Pod
from simulator.api.server import ApiServer
from simulator.clock import PRIORITY_BUCKET, PRIORITY_INJECTED, Clock
from simulator.controllers.deployment import Deployment
from simulator.controllers.disruption import DisruptionController
from simulator.controllers.endpointslice import EndpointSliceController, service_selection
from simulator.controllers.job import Job
from simulator.controllers.node_lifecycle import NodeLifecycleController
from simulator.controllers.scheduler import Scheduler
from simulator.controllers.statefulset import StatefulSet
from simulator.controllers.taint_eviction import TaintEvictionController
from simulator.controllers.workloads import BarePod, ControllerServices, WorkloadController
from simulator.engine.actions import apply_event
from simulator.engine.snapshot import lane_snapshot
from simulator.kubelet.backoff import Backoff
from simulator.kubelet.kubelet import Kubelet, KubeletServices
from simulator.kubelet.probe_log import ProbeLog
from simulator.kubelet.timing import IMAGE_BACKOFF_INITIAL, IMAGE_BACKOFF_MAX
from simulator.network.kube_proxy import KubeProxy
from simulator.network.served_traffic import ServedTraffic
from simulator.network.traffic import Traffic
from simulator.printing.kubectl import PodTable
from simulator.results.series import Series
from simulator.results.shapes import LaneSnapshot
from simulator.runtime.runtime import ContainerRuntime
from simulator.scenario.types import Scenario, ScenarioEvent, VariantSpec


class Lane:
    """A variant's cluster on its own clock; the Simulation keeps every lane at the same time."""

    def __init__(
        self,
        scenario: Scenario,
        variant: VariantSpec,
        injected: Sequence[ScenarioEvent] = (),
    ) -> None:
        self.name = variant.name
        self.variant = variant
        self.duration = float(scenario.duration)
        clock = self.clock = Clock()
        # One generator per lane, seeded from the scenario seed only: identical variants give
        # identical lanes.
        rng = np.random.default_rng(scenario.seed)
        self.recorder = EventRecorder(lambda: clock.now)
        self._probe_log = ProbeLog()
        serving_container = variant.workload.template.containers[0].name
        self.serving = variant.behavior.for_container(serving_container).serving is not None
        self._series = Series(math.ceil(self.duration), serving=self.serving)
        # Pods changed since the last closed bucket, and the routing table last copied into the
        # series (their flags are refreshed only when these change).
        self._changed_pods: set[Pod] = set()
        self._routed_version = -1
        api = self.api = ApiServer(clock, scenario.seed, variant.cluster.toleration_seconds)
        self.runtime = ContainerRuntime(clock, lambda: self.traffic.state_changed())
        # kubectl watches first, so every row shows the state as each change left it.
        self.kubectl = PodTable(clock)
        api.add_pod_listener(self.kubectl.pod_changed)
        cluster = variant.cluster
        loop = cluster.crash_loop_backoff
        kubelet_services = KubeletServices(
            clock=clock,
            api=api,
            events=self.recorder,
            probe_log=self._probe_log,
            crash_backoff=Backoff(loop.initial, loop.max, loop.reset),
            image_backoff=Backoff(IMAGE_BACKOFF_INITIAL, IMAGE_BACKOFF_MAX, 2 * IMAGE_BACKOFF_MAX),
            image_pull_seconds=variant.behavior.image_pull_seconds,
            runtime=self.runtime,
        )
        self.kubelets: dict[str, Kubelet] = {}
        for index, name in enumerate(cluster.nodes):
            node = Node(name, index)
            api.nodes.append(node)
            self.kubelets[name] = Kubelet(node, kubelet_services)
        self.scheduler = Scheduler(api, self.recorder)
        self.proxy = KubeProxy(clock, variant.service.proxy_mode, cluster.endpoint_propagation, rng)
        service = variant.service
        self.endpoints = EndpointSliceController(
            clock,
            service.publish_not_ready_addresses,
            self.proxy.endpoints_published,
            service_selection(service.selector, service.target_port),
        )
        self.traffic: Traffic | ServedTraffic
        if self.serving:
            self.traffic = self.runtime.serving = ServedTraffic(
                variant.traffic.requests_per_second,
                self.proxy,
                self._series,
                self.runtime,
                seed=scenario.seed,
                client_timeout=variant.traffic.client_timeout_seconds,
                dependencies=scenario.dependencies,
            )
        else:
            self.traffic = Traffic(
                variant.traffic.requests_per_second, self.proxy, self._series, self.runtime
            )
        clock.before_event = self.traffic.flush
        self.taint_eviction = TaintEvictionController(clock, api, self.recorder)
        self.node_lifecycle = NodeLifecycleController(
            clock,
            api,
            self.recorder,
            cluster.node_monitor_grace_period,
            self.taint_eviction,
            self.scheduler.nodes_changed,
        )
        api.add_pod_listener(self._pod_changed)
        self.disruption = DisruptionController(
            clock,
            api,
            self.recorder,
            scenario.disruption_budgets,
            self._expected_pods,
            self.scheduler.nodes_changed,
        )
        services = ControllerServices(clock, api, self.recorder, self.scheduler, variant.behavior)
        kind = variant.workload.kind
        self.workload: WorkloadController
        if kind == "Deployment":
            self.workload = Deployment(services, variant.workload)
        elif kind == "Job":
            self.workload = Job(services, variant.workload)
        elif kind == "StatefulSet":
            self.workload = StatefulSet(services, variant.workload)
        else:
            self.workload = BarePod(services, variant.workload)
        clock.schedule(0.0, self.workload.start)
        clock.schedule(min(1.0, self.duration), self._close_bucket, 0.0, priority=PRIORITY_BUCKET)
        for event in scenario.events:
            clock.schedule(event.at, apply_event, self, event)
        for event in injected:
            self.schedule_injected(event)
        clock.run(0.0)

    def _expected_pods(self) -> int:
        """The workload's scale, as the disruption controller counts it (a Job's parallelism,
        a bare Pod 1)."""
        workload = self.variant.workload
        if workload.kind == "Job":
            return workload.parallelism
        replicas = getattr(self.workload, "replicas", None)
        return replicas if isinstance(replicas, int) else 1

    def schedule_injected(self, event: ScenarioEvent) -> None:
        """Replay a live-injected event after everything else due at its time."""
        self.clock.schedule(event.at, apply_event, self, event, priority=PRIORITY_INJECTED)

    def _pod_changed(self, pod: Pod) -> None:
        self._series.slot(pod.name)
        self._changed_pods.add(pod)
        self.endpoints.pod_changed(pod)
        owner = pod.owner
        if owner is not None:
            owner.pod_changed(pod)  # type: ignore[attr-defined]
        node = pod.node
        if node is not None and node.taints:
            self.taint_eviction.pod_on_tainted_node(pod)

    def _close_bucket(self, start: float) -> None:
        series = self._series
        traffic = self.traffic
        if isinstance(traffic, ServedTraffic):
            traffic.close_bucket(self.clock.now)
        if self._changed_pods:
            routed_names = self.proxy.routed_names
            for pod in self._changed_pods:
                slot = series.slot(pod.name)
                if pod.deleted_at is not None:
                    series.set_pod_absent(slot)
                else:
                    running = any(c.state == RUNNING for c in pod.containers)
                    series.set_pod_state(slot, running, pod.ready, pod.name in routed_names)
            self._changed_pods.clear()
        if self.proxy.version != self._routed_version:
            self._routed_version = self.proxy.version
            routed = [series.slot(pod.name) for pod in self.proxy.routed]
            series.set_routed(np.array(routed, dtype=np.intp))
        series.close_bucket(start, self.endpoints.ready_count, len(self.proxy.routed))
        end = self.clock.now
        if end < self.duration:
            self.clock.schedule(
                min(end + 1.0, self.duration), self._close_bucket, end, priority=PRIORITY_BUCKET
            )

    # --- public surface ---

    @property
    def now(self) -> float:
        return self.clock.now

    def advance_to(self, time: float) -> None:
        self.clock.run(min(time, self.duration))

    def apply_now(self, event: ScenarioEvent) -> None:
        """Apply ``event`` at the current time (live injection)."""
        self.traffic.flush(self.clock.now)
        apply_event(self, event)

    def snapshot(self) -> LaneSnapshot:
        return lane_snapshot(self)

    @property
    def series(self) -> dict:
        return self._series.as_dict()

    @property
    def totals(self) -> dict:
        totals = {
            "requests": self._series.totals["requests"],
            "errors": self._series.totals["errors"],
            "errorsByCause": dict(self._series.totals_by_cause),
        }
        if isinstance(self.traffic, ServedTraffic):
            totals.update(self.traffic.totals())
        return totals

    @property
    def serving_pods(self) -> dict[str, dict] | None:
        """Per pod, what its app served (``ServedTraffic.pods``); None without a serving
        model."""
        if isinstance(self.traffic, ServedTraffic):
            return self.traffic.pods()
        return None

    @property
    def events(self) -> list[dict]:
        return self.recorder.events

    @property
    def probe_log(self) -> list[dict]:
        return self._probe_log.records()
