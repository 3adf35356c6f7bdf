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

import bisect
import heapq
import math
from collections.abc import Mapping
from typing import Protocol

import numpy as np

from simulator.scenario.spec.serving import Z99
from simulator.scenario.types import DependencySpec, PathSpec, ServingSpec

QUEUE_FULL_STATUS = 503
_SKIP_AFTER_MISS = 8
_AT_ONCE_MINIMUM = 16  # requests: below this, serving one by one is cheaper than the guess
_DEFAULT_PATH = PathSpec()


class Dependencies:
    """The state of the scenario's dependencies in one lane: latency now, and which are down."""

    def __init__(self, specs: Mapping[str, DependencySpec]) -> None:
        self.latency = {name: spec.latency for name, spec in specs.items()}
        self._normal = dict(self.latency)
        self.down: set[str] = set()

    def set_down(self, name: str) -> None:
        self.down.add(name)

    def set_latency(self, name: str, seconds: float) -> None:
        self.latency[name] = seconds

    def recover(self, name: str) -> None:
        """Up again, at its normal latency."""
        self.down.discard(name)
        self.latency[name] = self._normal[name]

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
        "_ahead",
        "_free",
        "_last_start",
        "_mu",
        "_ring",
        "_ring_at",
        "_ring_fresh",
        "_sigma",
        "_skip_at_once",
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
        # When the latest admitted request started (or starts: it may still wait).
        self._last_start = -math.inf
        # Bounded queue: the starts of the latest ``queueLimit`` admitted requests, a ring.
        self._ring = [-math.inf] * (spec.queue_limit or 0)
        self._ring_at = 0
        self._ring_fresh: list[np.ndarray] = []  # starts not yet written into the ring
        # Unbounded queue: the starts still ahead at the last batch's last arrival.
        self._ahead: list[float] = []
        # Batches left to serve one by one before guessing again that all find a free worker
        # (after a guess that held for less than half a batch: busy times, the guess costs).
        self._skip_at_once = 0
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
        done = 0
        departures = arrivals + services
        # The guess needs an empty queue (nobody admitted earlier still waits at the first
        # arrival) and pays only for batches of some size.
        if count >= _AT_ONCE_MINIMUM and self._last_start <= arrivals[0]:
            if self._skip_at_once:
                self._skip_at_once -= 1
            else:
                done = self._serve_at_once(arrivals, departures)
                if done == count:
                    return departures
                if 2 * done < count:
                    self._skip_at_once = _SKIP_AFTER_MISS
        if self.spec.queue_limit is None:
            self._serve_unbounded(arrivals, services, departures, done)
        else:
            self._serve_bounded(arrivals, services, departures, done)
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
            self._last_start = float(arrivals[done - 1])
            if self._ring:
                # They started on arrival: the ring's latest starts are theirs (written into
                # the ring only when it is read).
                self._ring_fresh.append(arrivals[max(0, done - len(self._ring)) : done])
        return done

    def _serve_unbounded(
        self, arrivals: np.ndarray, services: np.ndarray, departures: np.ndarray, first: int
    ) -> None:
        """Serve requests ``first:`` one at a time, with no bound on the queue (writes
        ``departures``): each starts when it arrives or when the first worker frees."""
        free = self._free
        replace = heapq.heapreplace
        out: list[float] = []
        append = out.append
        start = self._last_start
        for arrival, service in zip(
            arrivals[first:].tolist(), services[first:].tolist(), strict=True
        ):
            worker_free = free[0]
            start = worker_free if worker_free > arrival else arrival
            departure = start + service
            replace(free, departure)
            append(departure)
        departures[first:] = out
        self._last_start = start
        # Those that have not started by the last arrival wait (starts never decrease in a
        # FCFS queue).
        last = arrivals[-1]
        starts = departures[first:] - services[first:]
        earlier = self._ahead
        self._ahead = (
            earlier[bisect.bisect_right(earlier, last) :]
            + starts[np.searchsorted(starts, last, side="right") :].tolist()
        )

    def _serve_bounded(
        self, arrivals: np.ndarray, services: np.ndarray, departures: np.ndarray, first: int
    ) -> None:
        """Serve requests ``first:`` one at a time, refusing one that finds ``queueLimit``
        waiting (writes ``departures``, NaN for a refused one).

        The queue is full at ``t`` exactly when the request admitted ``queueLimit`` admissions
        ago has not started by ``t`` (starts never decrease): a ring of the latest starts."""
        free = self._free
        replace = heapq.heapreplace
        out: list[float] = []
        append = out.append
        ring = self._current_ring()
        size = len(ring)
        at = self._ring_at
        start = self._last_start
        nan = math.nan
        for arrival, service in zip(
            arrivals[first:].tolist(), services[first:].tolist(), strict=True
        ):
            worker_free = free[0]
            if worker_free > arrival:
                if not size or ring[at] > arrival:
                    append(nan)
                    continue
                start = worker_free
            else:
                start = arrival
            departure = start + service
            replace(free, departure)
            append(departure)
            if size:
                ring[at] = start
                at += 1
                if at == size:
                    at = 0
        departures[first:] = out
        self._ring_at = at
        self._last_start = start

    def _current_ring(self) -> list[float]:
        """The ring with every start written in."""
        fresh = self._ring_fresh
        if fresh:
            ring = self._ring
            size = len(ring)
            latest = (fresh[0] if len(fresh) == 1 else np.concatenate(fresh))[-size:].tolist()
            self._ring = (ring[self._ring_at :] + ring[: self._ring_at] + latest)[-size:]
            self._ring_at = 0
            fresh.clear()
        return self._ring

    def _waiting_at(self, now: float) -> int:
        """Admitted requests that have not started by ``now`` (newest first: starts never
        decrease, so the count stops at the first that has)."""
        if self.spec.queue_limit is None:
            starts = self._ahead[::-1]
        else:
            ring = self._current_ring()
            starts = ring[self._ring_at - 1 :: -1] + ring[: self._ring_at - 1 : -1]
        waiting = 0
        for start in starts:
            if start <= now:
                break
            waiting += 1
        return waiting

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

    def waits_with_clients(self, path: str | None) -> bool:
        """Whether a request to ``path`` waits in the queue the clients' requests wait in."""
        return not self.spec.paths.get(path or "/", _DEFAULT_PATH).served_apart

    # --- state ---

    def in_system(self, now: float) -> int:
        """Requests (probes included) being served or waiting at ``now``."""
        return sum(1 for time in self._free if time > now) + self._waiting_at(now)

    def stop(self) -> None:
        """The process exited: what is in the inbox is served up to now, nothing after."""
        self.catch_up()
        self.stopped = True
