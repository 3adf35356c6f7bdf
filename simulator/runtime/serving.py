"""How one app instance serves requests: a pool of workers with a FCFS queue in front
(docs/kubernetes-model.md §10, "The app's serving model").

Not part of Kubernetes. ``concurrency`` workers (threads, event-loop slots) each handle one request
at a time for its service time; a request that finds them all busy waits in a first-come,
first-served queue of at most ``queueLimit`` requests, and one that finds the queue full is answered
503 at once. A worker is busy for a request's whole answer, its path's extra latency and the
dependencies' latency included (a thread blocked on a database call serves nobody else). Probes on
http/grpc paths are requests like any other and wait in the same queue, unless their path is
``servedApart`` (a management port with its own threads).

Requests are simulated one by one, but in batches: client arrivals are routed to a server's inbox
and served when something needs the server's state (a probe, a second's end, an exit, a change of
a dependency). A batch is first served as if every request found a free worker, with numpy; that
guess is exact as long as fewer than ``concurrency`` requests are in the system at each arrival,
which is checked, and from the first arrival where it fails the batch is served one request at a
time (the multi-server queue's recursion: each request starts when it arrives or when the worker
that frees first is free).
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Mapping
from typing import Protocol

import numpy as np

from simulator.scenario.spec.serving import Z99
from simulator.scenario.types import DependencySpec, PathSpec, ServingSpec

# Answers by outcome of a served client request (the ledger's outcome codes are the series').
QUEUE_FULL_STATUS = 503
_DEFAULT_PATH = PathSpec()


class Dependencies:
    """The state of the scenario's dependencies in one lane: latency now, and which are down."""

    def __init__(self, specs: Mapping[str, DependencySpec]) -> None:
        self.latency = {name: spec.latency for name, spec in specs.items()}
        self._normal = dict(self.latency)
        self.down: set[str] = set()
        self.version = 0  # bumped at every change

    def set_down(self, name: str) -> None:
        self.down.add(name)
        self.version += 1

    def set_latency(self, name: str, seconds: float) -> None:
        self.latency[name] = seconds
        self.version += 1

    def recover(self, name: str) -> None:
        """Up again, at its normal latency."""
        self.down.discard(name)
        self.latency[name] = self._normal[name]
        self.version += 1

    def answer(self, names: tuple[str, ...]) -> tuple[float, bool]:
        """Seconds the calls to ``names`` take (one after another) and whether all succeeded.

        [model] A dependency that is down answers an error after its latency."""
        seconds = 0.0
        for name in names:
            seconds += self.latency[name]
        return seconds, not any(name in self.down for name in names)


class ServingHost(Protocol):
    """What a lane's served traffic (network/served_traffic.py) is to its servers."""

    rng: np.random.Generator
    dependencies: Dependencies
    pending_servers: list[Server]

    def flush(self, now: float) -> None:
        """Route the client requests that arrived before ``now`` to the servers' inboxes."""

    def served(
        self, server: Server, arrivals: np.ndarray, departures: np.ndarray, dependencies_ok: bool
    ) -> None:
        """``server`` answers requests arriving at ``arrivals`` at ``departures``."""

    def server_stopped(self, server: Server, now: float) -> None:
        """``server``'s process exited at ``now``."""

    def new_server(self, spec: ServingSpec, pod_name: str, booted_at: float) -> Server:
        """A server for a new instance of ``pod_name``'s container."""
        ...


class Server:
    """The worker pool and queue of one container instance."""

    __slots__ = (
        "_free",
        "_mu",
        "_sigma",
        "_waiting",
        "booted_at",
        "concurrency",
        "id",
        "inbox",
        "owner",
        "slot",
        "spec",
        "stopped",
    )

    def __init__(
        self, owner: ServingHost, spec: ServingSpec, slot: int, booted_at: float, ident: int
    ) -> None:
        self.owner = owner
        self.spec = spec
        self.slot = slot  # the pod's series row
        self.id = ident
        self.booted_at = booted_at  # warm-up counts from here
        self.concurrency = spec.concurrency
        # When each worker is next free (a heap; a time in the past means idle).
        self._free = [-math.inf] * spec.concurrency
        # Start times of the admitted requests still waiting for a worker, oldest first.
        self._waiting: deque[float] = deque()
        self.inbox: list[np.ndarray] = []
        latency = spec.latency
        self._mu = math.log(latency.median)
        self._sigma = math.log(latency.p99 / latency.median) / Z99
        self.stopped = False

    # --- service times ---

    def draw(self, arrivals: np.ndarray) -> np.ndarray:
        """Service times of requests arriving at ``arrivals`` (the warm-up included)."""
        rng = self.owner.rng
        latency = self.spec.latency
        count = len(arrivals)
        if latency.distribution == "exponential":
            seconds = rng.exponential(latency.mean, count)
        elif self._sigma > 0:
            seconds = rng.lognormal(self._mu, self._sigma, count)
        else:
            seconds = np.full(count, latency.median)
        warm_up = self.spec.warm_up
        if warm_up.seconds > 0 and warm_up.factor > 1 and count:
            left = np.clip(1.0 - (arrivals - self.booted_at) / warm_up.seconds, 0.0, 1.0)
            seconds = seconds * (1.0 + (warm_up.factor - 1.0) * left)
        return seconds

    # --- client requests ---

    def enqueue(self, arrivals: np.ndarray) -> None:
        """Client requests routed here, arriving at ``arrivals`` (sorted, before now)."""
        if not self.inbox:
            self.owner.pending_servers.append(self)
        self.inbox.append(arrivals)

    def catch_up(self) -> None:
        """Serve every request in the inbox."""
        inbox = self.inbox
        if not inbox:
            return
        arrivals = inbox[0] if len(inbox) == 1 else np.concatenate(inbox)
        inbox.clear()
        if self.stopped:
            return
        services = self.draw(arrivals)
        extra, ok = self.owner.dependencies.answer(self.spec.depends_on)
        if extra:
            services = services + extra
        departures = self._serve(arrivals, services)
        self.owner.served(self, arrivals, departures, ok)

    def _serve(self, arrivals: np.ndarray, services: np.ndarray) -> np.ndarray:
        """Departure time of each request (NaN: refused, the queue was full)."""
        count = len(arrivals)
        first = arrivals[0]
        waiting = self._waiting
        while waiting and waiting[0] <= first:
            waiting.popleft()
        done = 0
        departures = arrivals + services
        if not waiting:
            done = self._serve_at_once(arrivals, departures)
            if done == count:
                return departures
        self._serve_queued(arrivals, services, departures, done)
        return departures

    def _serve_at_once(self, arrivals: np.ndarray, departures: np.ndarray) -> int:
        """How many leading requests find a free worker; those start on arrival (``departures``
        already holds their answers) and the workers are updated."""
        concurrency = self.concurrency
        free = np.array(self._free)
        free.sort()
        count = len(arrivals)
        # In the system at each arrival, before it: earlier requests not yet answered (a later
        # one cannot have left before an earlier arrival), plus the workers still busy then.
        busy = (
            concurrency
            - np.searchsorted(free, arrivals, side="right")
            + np.arange(count)
            - np.searchsorted(np.sort(departures), arrivals, side="right")
        )
        fits = busy < concurrency
        done = count if fits.all() else int(fits.argmin())
        if done:
            # The workers' next free times: the latest ``concurrency`` of all (the idle ones
            # are interchangeable, every time they hold is in the past).
            merged = np.concatenate((free, departures[:done]))
            if len(merged) > concurrency:
                merged = np.partition(merged, len(merged) - concurrency)[-concurrency:]
            self._free = merged.tolist()
            heapq.heapify(self._free)
        return done

    def _serve_queued(
        self, arrivals: np.ndarray, services: np.ndarray, departures: np.ndarray, start: int
    ) -> None:
        """Serve requests ``start:`` one at a time (writes ``departures``)."""
        free = self._free
        waiting = self._waiting
        limit = self.spec.queue_limit
        replace = heapq.heapreplace
        popleft = waiting.popleft
        append = waiting.append
        times = arrivals[start:].tolist()
        answers = services[start:].tolist()
        out = []
        for arrival, service in zip(times, answers, strict=True):
            while waiting and waiting[0] <= arrival:
                popleft()
            if limit is not None and len(waiting) >= limit:
                out.append(math.nan)
                continue
            worker_free = free[0]
            if worker_free > arrival:
                append(worker_free)
                departure = worker_free + service
            else:
                departure = arrival + service
            replace(free, departure)
            out.append(departure)
        departures[start:] = out

    # --- probes ---

    def probe(self, now: float, path: str | None) -> tuple[float, int]:
        """A probe's request to ``path`` at ``now``: seconds until its answer, and its status."""
        self.owner.flush(now)
        self.catch_up()
        entry = self.spec.paths.get(path or "/", _DEFAULT_PATH)
        service = float(self.draw(np.array([now]))[0]) + entry.latency
        extra, ok = self.owner.dependencies.answer(entry.depends_on)
        service += extra
        status = entry.status if ok or entry.status >= 400 else 503
        if entry.served_apart:
            return service, status
        departure = self._serve(np.array([now]), np.array([service]))[0]
        if math.isnan(departure):
            return 0.0, QUEUE_FULL_STATUS
        return float(departure) - now, status

    # --- state ---

    def in_system(self, now: float) -> int:
        """Requests (probes included) being served or waiting at ``now``."""
        waiting = self._waiting
        while waiting and waiting[0] <= now:
            waiting.popleft()
        return sum(1 for time in self._free if time > now) + len(waiting)

    def stop(self) -> None:
        """The process exited: what is in the inbox is served up to now, nothing after."""
        self.catch_up()
        self.stopped = True
