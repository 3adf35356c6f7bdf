"""kube-proxy: programs the Service's endpoints after the propagation delay and picks a backend.

docs/kubernetes-model.md §4.2-§4.3. iptables/nftables pick uniformly at random per new connection
(k/k pkg/proxy/iptables/proxier.go writeServiceToEndpointRules; nftables ``numgen random``);
IPVS uses round robin (pkg/proxy/ipvs/proxier.go DefaultScheduler "rr"). Usable endpoints are the
ready ones; with none, the serving-and-terminating ones (pkg/proxy/topology.go
CategorizeEndpoints). [model] One propagation delay p for additions and removals.
"""

from __future__ import annotations

import numpy as np

from simulator.api.pod import Pod
from simulator.clock import Clock
from simulator.controllers.endpointslice import Endpoint


class KubeProxy:
    def __init__(self, clock: Clock, mode: str, propagation: float, rng: np.random.Generator):
        self.clock = clock
        self.mode = mode
        self.propagation = propagation
        self.rng = rng
        self.endpoints: tuple[Endpoint, ...] = ()  # the version programmed now
        self.routed: list[Pod] = []
        self.routed_names: frozenset[str] = frozenset()
        self.fallback = False  # routing to serving-terminating endpoints
        self.version = 0  # bumped each time the rules are rewritten
        self._round_robin = 0
        self._uniform: dict[int, np.ndarray] = {}

    def endpoints_published(self, endpoints: tuple[Endpoint, ...]) -> None:
        """A new EndpointSlice version: programmed ``propagation`` seconds later."""
        self.clock.schedule(self.clock.now + self.propagation, self._program, endpoints)

    def _program(self, endpoints: tuple[Endpoint, ...]) -> None:
        self.endpoints = endpoints
        ready = [e.pod for e in endpoints if e.ready]
        if ready:
            self.routed, self.fallback = ready, False
        else:
            self.routed = [e.pod for e in endpoints if e.serving and e.terminating]
            self.fallback = bool(self.routed)
        self.routed_names = frozenset(pod.name for pod in self.routed)
        self.version += 1

    def distribute(self, requests: int) -> np.ndarray:
        """How many of ``requests`` new connections go to each routed pod (same order)."""
        count = len(self.routed)
        if self.mode == "ipvs":
            base, extra = divmod(requests, count)
            shares = np.full(count, base, dtype=np.int64)
            start = self._round_robin % count
            shares[(start + np.arange(extra)) % count] += 1
            self._round_robin = (start + requests) % count
            return shares
        pvals = self._uniform.get(count)
        if pvals is None:
            pvals = np.full(count, 1.0 / count)
            self._uniform[count] = pvals
        return self.rng.multinomial(requests, pvals)
