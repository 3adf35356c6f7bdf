"""The EndpointSlice controller: which pods back the Service, with which conditions.

docs/kubernetes-model.md §4.1; k/k staging/src/k8s.io/endpointslice/util/controller_utils.go
(ShouldPodBeInEndpoints), staging/src/k8s.io/endpointslice/utils.go (podToEndpoint).
"""

from __future__ import annotations

from collections.abc import Callable
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


def _endpoint_fields(pod: Pod, publish_not_ready_addresses: bool) -> _EndpointFields | None:
    """What the pod's endpoint holds besides the pod (``Endpoint``'s compared fields), or None
    when it is not listed (terminal, gone, or without an IP)."""
    if pod.removed or pod.terminal or pod.ip is None:
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
    ) -> None:
        self.clock = clock
        self.publish_not_ready_addresses = publish_not_ready_addresses
        self.on_publish = on_publish
        self._by_pod: dict[str, Endpoint] = {}
        self._fields: dict[str, _EndpointFields] = {}  # each endpoint's compared fields
        self.endpoints: tuple[Endpoint, ...] = ()
        self.ready_count = 0
        self._publish_pending = False

    def pod_changed(self, pod: Pod) -> None:
        # Most pod changes leave the endpoint as it was: compare its fields before making one.
        fields = _endpoint_fields(pod, self.publish_not_ready_addresses)
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
