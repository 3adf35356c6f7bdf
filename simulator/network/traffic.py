"""Client traffic to the Service, counted without simulating single requests.

Requests arrive uniformly: [a, b) at rate R holds floor(R·b) − floor(R·a) of them (counted from the
last rate change). The lane calls ``flush`` before anything that could change how requests are
served, so each flushed slice has one routing table and one state per pod; kube-proxy splits the
slice's requests over the routed pods and the pod's state decides all their outcomes (§4.4).
"""

from __future__ import annotations

import math

import numpy as np

from simulator.api.pod import Pod
from simulator.network.kube_proxy import KubeProxy
from simulator.results.series import (
    CONNECTION_REFUSED,
    OUTCOME_INDEX,
    SERVER_ERROR,
    TIMEOUT,
    Series,
)
from simulator.runtime.app import BOOTING, HEALTHY, HUNG, UNRESPONSIVE
from simulator.runtime.runtime import ContainerRuntime

_OUTCOME_BY_APP_STATE = {
    HEALTHY: None,
    BOOTING: CONNECTION_REFUSED,
    HUNG: SERVER_ERROR,
    UNRESPONSIVE: TIMEOUT,
}


def request_outcome(pod: Pod, runtime: ContainerRuntime) -> str | None:
    """What a new connection to ``pod`` gets: None for a 2xx answer, else the error cause."""
    node = pod.node
    if node is None or not node.up:
        return TIMEOUT  # no answer from a dead or partitioned node
    app = runtime.process(pod.uid, pod.serving_container.name)
    if app is None:
        return CONNECTION_REFUSED  # pod IP alive, nothing listening
    return _OUTCOME_BY_APP_STATE.get(app.state, CONNECTION_REFUSED)


class Traffic:
    def __init__(
        self, rate: float, proxy: KubeProxy, series: Series, runtime: ContainerRuntime
    ) -> None:
        self.rate = rate
        self.proxy = proxy
        self.runtime = runtime
        self.series = series
        self._origin_time = 0.0
        self._origin_count = 0
        self._last_time = 0.0
        self._last_count = 0
        # Bumped whenever a pod's answer may change (app state, new container, node up/down).
        self.state_version = 0
        self._cached_for: tuple[int, int] | None = None
        self._slots = np.zeros(0, dtype=np.intp)
        self._outcomes = np.zeros(0, dtype=np.intp)

    def state_changed(self) -> None:
        self.state_version += 1

    def _arrivals(self, time: float) -> int:
        # The small epsilon keeps float noise (0.1·30 = 3.0000000000000004) off the floor.
        return self._origin_count + math.floor(self.rate * (time - self._origin_time) + 1e-9)

    def _routing(self) -> tuple[np.ndarray, np.ndarray]:
        """Series rows and outcome indexes of the routed pods, cached while nothing changes."""
        key = (self.proxy.version, self.state_version)
        if key != self._cached_for:
            routed = self.proxy.routed
            series = self.series
            self._slots = np.array([series.slot(pod.name) for pod in routed], dtype=np.intp)
            self._outcomes = np.array(
                [OUTCOME_INDEX[request_outcome(pod, self.runtime)] for pod in routed], dtype=np.intp
            )
            self._cached_for = key
        return self._slots, self._outcomes

    def flush(self, now: float) -> None:
        """Count and route the requests that arrived since the last flush."""
        if now <= self._last_time:
            return
        count = self._arrivals(now)
        requests = count - self._last_count
        self._last_time = now
        self._last_count = count
        if requests <= 0:
            return
        if not self.proxy.routed:
            self.series.add_no_endpoints(requests)
            return
        slots, outcomes = self._routing()
        self.series.add_slice(slots, self.proxy.distribute(requests), outcomes)

    def set_rate(self, rate: float, now: float) -> None:
        self.flush(now)
        self._origin_count = self._arrivals(now)
        self._origin_time = now
        self._last_count = self._origin_count
        self.rate = rate
