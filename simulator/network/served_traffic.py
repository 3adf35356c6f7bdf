"""Client traffic to a Service whose pods' app has a serving model: request by request.

Replaces ``Traffic`` (traffic.py) in a lane whose serving container declares ``serving``. Clients
are many and independent: requests arrive as a Poisson process of the current rate (in each
flushed slice, a Poisson count at uniform random times). kube-proxy picks a pod per request
(iptables/nftables uniformly at random, ipvs round robin: docs/kubernetes-model.md §4.3). A pod
that cannot serve (no endpoint answering, app booting, hung, unresponsive, node down) gives its
error at once, as ``Traffic`` does; a pod whose app serves puts the request in its server's inbox
(runtime/serving.py), and the request is counted in the second its outcome is known: its answer,
the client's timeout, a full queue, or the process's exit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from simulator.api.pod import Pod
from simulator.network.kube_proxy import KubeProxy
from simulator.network.traffic import request_outcome
from simulator.results.series import (
    CLIENT_TIMEOUT,
    CONNECTION_RESET,
    OUTCOME_INDEX,
    QUEUE_FULL,
    SERVER_ERROR,
    TIMEOUT,
    Series,
)
from simulator.runtime.runtime import ContainerRuntime
from simulator.runtime.serving import Dependencies, Server
from simulator.scenario.types import DependencySpec, ServingSpec

_SERVED = 0
_QUEUE_FULL = OUTCOME_INDEX[QUEUE_FULL]
_CLIENT_TIMEOUT = OUTCOME_INDEX[CLIENT_TIMEOUT]
_SERVER_ERROR = OUTCOME_INDEX[SERVER_ERROR]
_RESET = OUTCOME_INDEX[CONNECTION_RESET]
_TIMEOUT = OUTCOME_INDEX[TIMEOUT]


class _Ledger:
    """Requests whose outcome is known but not yet counted (it lies ahead of the open second):
    when each ends, its outcome and time in the app, and the pod row and server that have it."""

    def __init__(self) -> None:
        self._chunks: list[tuple[np.ndarray, np.ndarray, np.ndarray, int, int]] = []
        self._merged: tuple[np.ndarray, ...] | None = None

    def add(
        self, ends: np.ndarray, outcomes: np.ndarray, seconds: np.ndarray, slot: int, server: int
    ) -> None:
        self._chunks.append((ends, outcomes, seconds, slot, server))

    def merged(self) -> tuple[np.ndarray, ...]:
        """Every entry: ends, pod rows, outcomes, seconds, server ids (arrays that may be
        changed in place)."""
        if self._chunks:
            chunks = self._chunks
            lengths = [len(chunk[0]) for chunk in chunks]
            columns: tuple[np.ndarray, ...] = (
                np.concatenate([chunk[0] for chunk in chunks]),
                np.repeat(np.array([chunk[3] for chunk in chunks], dtype=np.intp), lengths),
                np.concatenate([chunk[1] for chunk in chunks]),
                np.concatenate([chunk[2] for chunk in chunks]),
                np.repeat(np.array([chunk[4] for chunk in chunks], dtype=np.intp), lengths),
            )
            if self._merged is not None:
                columns = tuple(
                    np.concatenate((old, new))
                    for old, new in zip(self._merged, columns, strict=True)
                )
            self._merged = columns
            chunks.clear()
        assert self._merged is not None
        return self._merged

    def __bool__(self) -> bool:
        return bool(self._chunks) or self._merged is not None

    def __len__(self) -> int:
        merged = len(self._merged[0]) if self._merged is not None else 0
        return merged + sum(len(chunk[0]) for chunk in self._chunks)

    def keep(self, mask: np.ndarray) -> None:
        """Keep only the merged entries where ``mask`` is true."""
        assert self._merged is not None and not self._chunks
        kept = tuple(column[mask] for column in self._merged)
        self._merged = kept if len(kept[0]) else None


class ServedTraffic:
    """The lane's clients and the serving model's bookkeeping (same surface as ``Traffic``)."""

    def __init__(
        self,
        rate: float,
        proxy: KubeProxy,
        series: Series,
        runtime: ContainerRuntime,
        *,
        seed: int,
        client_timeout: float | None,
        dependencies: Mapping[str, DependencySpec],
    ) -> None:
        self.rate = rate
        self.proxy = proxy
        self.series = series
        self.runtime = runtime
        self.client_timeout = client_timeout
        self.dependencies = Dependencies(dependencies)
        # Its own generator: arrivals, routing and service times, in the order they are drawn.
        self.rng = np.random.default_rng([seed, 1])
        self.state_version = 0
        self.pending_servers: list[Server] = []
        self._last_time = 0.0
        self._round_robin = 0
        self._cached_for: tuple[int, int] | None = None
        self._targets: tuple[np.ndarray, np.ndarray, list[Server | None]] | None = None
        self._ledger = _Ledger()
        self._zeros = np.zeros(0, dtype=np.intp)
        self._servers: dict[int, Server] = {}  # by id, every server started
        self._current: dict[str, Server] = {}  # by pod name, the newest server
        self._next_id = 0
        # Counts for the results (every request accounted for once).
        self.arrivals = 0
        self._pod_arrivals: dict[int, int] = {}
        self._pod_answered = np.zeros(0, dtype=np.int64)  # by pod row
        self._pod_seconds = np.zeros(0)

    # --- servers ---

    def new_server(self, spec: ServingSpec, pod_name: str, booted_at: float) -> Server:
        """A server for a new instance of ``pod_name``'s container."""
        server = Server(self, spec, self.series.slot(pod_name), booted_at, self._next_id)
        self._next_id += 1
        self._servers[server.id] = server
        self._current[pod_name] = server
        return server

    def server_stopped(self, server: Server, now: float, cause: str = CONNECTION_RESET) -> None:
        """``server``'s process exited (or its node went down) at ``now``: the requests in it
        get ``cause`` now."""
        self.flush(now)
        server.stop()
        self._cut(now, lambda ids: ids == server.id, OUTCOME_INDEX[cause])

    def node_down(self, pods: list[Pod], now: float) -> None:
        """The requests in the apps of ``pods`` never get their answer: a client timeout."""
        self.flush(now)
        ids = []
        for pod in pods:
            server = self._current.get(pod.name)
            if server is not None:
                server.catch_up()
                ids.append(server.id)
        if ids:
            chosen = np.array(ids)
            self._cut(now, lambda column: np.isin(column, chosen), _TIMEOUT)

    def _cut(self, now: float, which: Callable[[np.ndarray], np.ndarray], outcome: int) -> None:
        if not self._ledger:
            return
        ends, _slots, outcomes, _seconds, servers = self._ledger.merged()
        cut = which(servers) & (ends > now)
        if cut.any():
            ends[cut] = now
            outcomes[cut] = outcome

    # --- the Traffic surface ---

    def state_changed(self) -> None:
        self.state_version += 1

    def set_rate(self, rate: float, now: float) -> None:
        self.flush(now)
        self.rate = rate

    def _routing(self) -> tuple[np.ndarray, np.ndarray, list[Server | None]]:
        """Series rows, immediate outcomes and servers of the routed pods, cached while nothing
        changes."""
        key = (self.proxy.version, self.state_version)
        if key != self._cached_for or self._targets is None:
            slots, outcomes, servers = [], [], []
            for pod in self.proxy.routed:
                slots.append(self.series.slot(pod.name))
                outcome = request_outcome(pod, self.runtime)
                server = None
                if outcome is None:
                    app = self.runtime.process(pod.uid, pod.serving_container.name)
                    server = app.server if app is not None else None
                outcomes.append(OUTCOME_INDEX[outcome])
                servers.append(server)
            self._targets = (
                np.array(slots, dtype=np.intp),
                np.array(outcomes, dtype=np.intp),
                servers,
            )
            self._cached_for = key
        return self._targets

    def flush(self, now: float) -> None:
        """Route the requests that arrived since the last flush."""
        start = self._last_time
        if now <= start:
            return
        self._last_time = now
        if self.rate <= 0:
            return
        rng = self.rng
        span = now - start
        count = int(rng.poisson(self.rate * span))
        if not count:
            return
        self.arrivals += count
        if not self.proxy.routed:
            self.series.add_no_endpoints(count)
            return
        slots, outcomes, servers = self._routing()
        pods = len(slots)
        if self.proxy.mode == "ipvs":
            choice = (self._round_robin + np.arange(count)) % pods
            self._round_robin = (self._round_robin + count) % pods
        else:
            choice = rng.integers(0, pods, count)
        shares = np.bincount(choice, minlength=pods)
        immediate = np.array([server is None for server in servers])
        if immediate.any():
            self.series.add_slice(slots[immediate], shares[immediate], outcomes[immediate])
        if immediate.all():
            return
        times = start + np.sort(rng.random(count)) * span
        order = np.argsort(choice, kind="stable")
        ends = np.cumsum(shares).tolist()
        begin = 0
        for index, server in enumerate(servers):
            end = ends[index]
            if server is not None and end > begin:
                server.enqueue(times[order[begin:end]])
                slot = int(slots[index])
                self._pod_arrivals[slot] = self._pod_arrivals.get(slot, 0) + end - begin
            begin = end

    # --- results ---

    def served(
        self, server: Server, arrivals: np.ndarray, departures: np.ndarray, dependencies_ok: bool
    ) -> None:
        """``server`` answers requests arriving at ``arrivals`` at ``departures`` (NaN: refused,
        its queue was full)."""
        count = len(arrivals)
        seconds = departures - arrivals
        ends = departures
        code = _SERVED if dependencies_ok else _SERVER_ERROR
        zeros = self._zeros
        if len(zeros) < count:
            zeros = self._zeros = np.zeros(2 * count, dtype=np.intp)
        # The ledger copies what it keeps (concatenation): a shared slice of zeros will do.
        outcomes = zeros[:count] if code == _SERVED else np.full(count, code, dtype=np.intp)
        timeout = self.client_timeout
        late = seconds > timeout if timeout is not None else None
        refused = np.isnan(departures)
        has_late = late is not None and late.any()
        has_refused = refused.any()
        if has_late or has_refused:
            ends = departures.copy()
            outcomes = outcomes.copy()
            if has_late:
                outcomes[late] = _CLIENT_TIMEOUT
                ends[late] = arrivals[late] + timeout
            if has_refused:
                outcomes[refused] = _QUEUE_FULL
                ends[refused] = arrivals[refused]
        self._ledger.add(ends, outcomes, seconds, server.slot, server.id)

    def catch_up(self, now: float) -> None:
        """Route and serve every request that arrived before ``now``."""
        self.flush(now)
        pending = self.pending_servers
        while pending:
            pending.pop().catch_up()

    def close_bucket(self, now: float) -> None:
        """Count every request whose outcome came by ``now`` and sample the apps' queues."""
        self.catch_up(now)
        series = self.series
        if self._ledger:
            ends, slots, outcomes, seconds, _servers = self._ledger.merged()
            done = ends <= now
            if done.any():
                done_slots = slots[done]
                done_outcomes = outcomes[done]
                done_seconds = seconds[done]
                series.add_requests(done_slots, done_outcomes)
                series.add_latencies(done_seconds[done_outcomes == _SERVED])
                answered = (done_outcomes == _SERVED) | (done_outcomes == _SERVER_ERROR)
                if answered.any():
                    self._count_answered(done_slots[answered], done_seconds[answered])
                self._ledger.keep(~done)
        series.set_in_system(
            {
                name: server.in_system(now)
                for name, server in self._current.items()
                if not server.stopped
            }
        )

    def _count_answered(self, slots: np.ndarray, seconds: np.ndarray) -> None:
        rows = max(len(self.series.slots), int(slots.max()) + 1)
        if rows > len(self._pod_answered):
            grown = np.zeros(2 * rows, dtype=np.int64)
            grown[: len(self._pod_answered)] = self._pod_answered
            self._pod_answered = grown
            grown_seconds = np.zeros(2 * rows)
            grown_seconds[: len(self._pod_seconds)] = self._pod_seconds
            self._pod_seconds = grown_seconds
        size = len(self._pod_answered)
        self._pod_answered += np.bincount(slots, minlength=size)
        self._pod_seconds += np.bincount(slots, weights=seconds, minlength=size)

    @property
    def in_flight(self) -> int:
        """Requests arrived but not yet counted (still in an app, or not yet served)."""
        ledger = len(self._ledger)
        inbox = sum(len(chunk) for server in self._servers.values() for chunk in server.inbox)
        return ledger + inbox

    def totals(self) -> dict:
        """``meanSecondsInSystem`` (None before any answer) and ``inFlight``."""
        total = float(self._pod_seconds.sum())
        count = int(self._pod_answered.sum())
        return {
            "meanSecondsInSystem": round(total / count, 6) if count else None,
            "inFlight": self.in_flight,
        }

    def pods(self) -> dict[str, dict]:
        """Per pod: requests routed to its app, answered, and their mean seconds in it."""
        found = {}
        for name, slot in self.series.slots.items():
            if slot not in self._pod_arrivals:
                continue
            answered = int(self._pod_answered[slot]) if slot < len(self._pod_answered) else 0
            seconds = float(self._pod_seconds[slot]) if answered else 0.0
            found[name] = {
                "arrivals": self._pod_arrivals[slot],
                "answered": answered,
                "meanSecondsInSystem": round(seconds / answered, 6) if answered else None,
            }
        return found
