"""The EndpointSlice controller: which pods back the Service, with which conditions.

docs/kubernetes-model.md §4.1; k/k staging/src/k8s.io/endpointslice/util/controller_utils.go
(ShouldPodBeInEndpoints), staging/src/k8s.io/endpointslice/utils.go (podToEndpoint). Only the
pods the Service's selector picks are listed (k/k pkg/controller/endpointslice/
endpointslice_controller.go (syncService)), and a named targetPort must be declared by one of
the pod's containers (k/k pkg/api/v1/pod/util.go (FindPort); reconciler.go skips the pod),
docs/kubernetes-model.md §4.5.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from simulator.api.pod import Pod
from simulator.clock import Clock


@dataclass(frozen=True)
class Endpoint:
    pod_name: str
    ip: str
    node: str | None
    ready: bool
    serving: bool
    terminating: bool
    pod: Pod = field(compare=False, repr=False)

    def to_dict(self) -> dict:
        return {
            "pod": self.pod_name,
            "ip": self.ip,
            "node": self.node,
            "ready": self.ready,
            "serving": self.serving,
            "terminating": self.terminating,
        }


_EndpointFields = tuple[str, str, str | None, bool, bool, bool]


@dataclass(frozen=True)
class ServiceSelection:
    """Which pods the Service picks: ``selector`` (None: every pod of the lane's workload) and a
    named ``target_port`` the pod must declare (a number, or None, needs nothing)."""

    selector: Mapping[str, str] | None = None
    target_port: int | str | None = None

    def picks(self, pod: Pod) -> bool:
        template = pod.template
        if self.selector is not None:
            labels = template.labels
            if not self.selector or any(
                labels.get(key) != value for key, value in self.selector.items()
            ):
                return False
        if isinstance(self.target_port, str):
            return any(
                self.target_port in container.named_ports
                for container in template.containers + template.init_containers
            )
        return True


EVERY_POD = ServiceSelection()


def service_selection(
    selector: Mapping[str, str] | None, target_port: int | str | None
) -> ServiceSelection:
    """The ``ServiceSelection`` of a Service's selector and targetPort (``EVERY_POD`` when
    neither narrows it)."""
    if selector is None and not isinstance(target_port, str):
        return EVERY_POD
    return ServiceSelection(selector, target_port)


def _endpoint_fields(
    pod: Pod, publish_not_ready_addresses: bool, selection: ServiceSelection = EVERY_POD
) -> _EndpointFields | None:
    """What the pod's endpoint holds besides the pod (``Endpoint``'s compared fields), or None
    when it is not listed (terminal, gone, without an IP, or not picked by the Service)."""
    if pod.removed or pod.terminal or pod.ip is None:
        return None
    if selection is not EVERY_POD and not selection.picks(pod):
        return None
    serving = pod.ready
    terminating = pod.deletion_timestamp is not None
    ready = publish_not_ready_addresses or (serving and not terminating)
    return (pod.name, pod.ip, pod.node_name, ready, serving, terminating)


def endpoint_for(pod: Pod, publish_not_ready_addresses: bool) -> Endpoint | None:
    """The pod's endpoint, or None when it is not listed (terminal, gone, or without an IP)."""
    fields = _endpoint_fields(pod, publish_not_ready_addresses)
    return None if fields is None else Endpoint(*fields, pod)


class EndpointSliceController:
    """Keeps the Service's endpoints; publishes each new version to ``on_publish``."""

    def __init__(
        self,
        clock: Clock,
        publish_not_ready_addresses: bool,
        on_publish: Callable[[tuple[Endpoint, ...]], None],
        selection: ServiceSelection = EVERY_POD,
    ) -> None:
        self.clock = clock
        self.selection = selection
        self.publish_not_ready_addresses = publish_not_ready_addresses
        self.on_publish = on_publish
        self._by_pod: dict[str, Endpoint] = {}
        self._fields: dict[str, _EndpointFields] = {}  # each endpoint's compared fields
        self.endpoints: tuple[Endpoint, ...] = ()
        self.ready_count = 0
        self._publish_pending = False

    def pod_changed(self, pod: Pod) -> None:
        # Most pod changes leave the endpoint as it was: compare its fields before making one.
        fields = _endpoint_fields(pod, self.publish_not_ready_addresses, self.selection)
        if self._fields.get(pod.name) == fields:
            return
        if fields is None:
            del self._by_pod[pod.name]
            del self._fields[pod.name]
        else:
            self._by_pod[pod.name] = Endpoint(*fields, pod)
            self._fields[pod.name] = fields
        if not self._publish_pending:
            # One slice update for all pod changes of this instant (batch period 0).
            self._publish_pending = True
            self.clock.schedule(self.clock.now, self._publish, quiet=True)

    def _publish(self) -> None:
        self._publish_pending = False
        endpoints = tuple(self._by_pod.values())
        if endpoints != self.endpoints:
            self.endpoints = endpoints
            self.ready_count = sum(1 for endpoint in endpoints if endpoint.ready)
            self.on_publish(endpoints)

    def endpoint(self, pod_name: str) -> Endpoint | None:
        return self._by_pod.get(pod_name)
