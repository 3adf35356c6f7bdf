"""What one client may use of a podviz server, and the clear errors past each limit.

Every limit is a setting (``PODVIZ_LIMITS`` in config/settings.py, documented with what each
costs in docs/reliability.md). A limit refused is a ``LimitExceeded`` whose message says which
limit, its value and what to do; views answer it with 429, the WebSocket with an ``error`` frame.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from dataclasses import dataclass, fields

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from simulator.scenario.run_budget import largest_pod_count
from simulator.scenario.types import Scenario


@dataclass(frozen=True)
class Limits:
    """The limits in force; see ``PODVIZ_LIMITS`` in settings for each one's meaning."""

    runs_per_client: int = 8
    runs_per_process: int = 40
    unjoined_run_seconds: float = 15.0
    run_pod_seconds: int = 300_000
    commands_per_second: float = 10.0
    command_burst: int = 20
    injected_faults_per_run: int = 50
    viewer_buffer_bytes: int = 1_048_576
    slow_viewer_seconds: float = 10.0
    problems_listed: int = 50
    join_attempts_per_minute: int = 10
    sockets_per_client: int = 200
    sockets_per_process: int = 4000
    request_workers: int = 1
    request_queue: int = 4
    heavy_requests_per_client: int = 1


def current() -> Limits:
    """The limits of ``settings.PODVIZ_LIMITS``, defaults for the ones not set; raises
    ``TypeError`` for an unknown name (a typo must not silently lift a limit)."""
    configured = getattr(settings, "PODVIZ_LIMITS", {})
    known = {field.name for field in fields(Limits)}
    unknown = set(configured) - known
    if unknown:
        raise TypeError(f"PODVIZ_LIMITS: unknown limits {sorted(unknown)}; known: {sorted(known)}")
    return Limits(**configured)


class LimitExceeded(Exception):
    """A request past a limit; ``str()`` names the limit and what to do."""

    def __init__(self, detail: str, code: str = "limit_exceeded") -> None:
        super().__init__(detail)
        self.code = code


def client_address(request: HttpRequest) -> str:
    """The address a request's use is counted against (see ``client_of``)."""
    return client_of(request.META.get("REMOTE_ADDR"), request.META.get("HTTP_X_FORWARDED_FOR"))


def socket_client(scope: dict) -> str:
    """The address a WebSocket's use is counted against (see ``client_of``)."""
    peer = (scope.get("client") or [None])[0]
    forwarded = dict(scope.get("headers") or ()).get(b"x-forwarded-for", b"")
    return client_of(peer, forwarded.decode("latin-1") or None)


def client_of(peer: str | None, forwarded_for: str | None) -> str:
    """The client behind ``peer`` (the address the connection came from).

    ``X-Forwarded-For`` is believed only from a proxy listed in ``PODVIZ_TRUSTED_PROXIES``
    (addresses or networks, docs/deploy.md): then the client is the rightmost address it lists
    that is not itself a trusted proxy (the one the nearest trusted proxy saw). A client reaching
    the server directly cannot name itself anyone else by sending the header.
    """
    peer = peer or "unknown"
    if not forwarded_for or not _trusted(peer):
        return peer
    for hop in reversed([part.strip() for part in forwarded_for.split(",")]):
        if not hop:
            continue
        if not _trusted(hop):
            return hop
    return peer


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    networks = [ipaddress.ip_network(net, strict=False) for net in settings.PODVIZ_TRUSTED_PROXIES]
    return any(ip in network for network in networks)


def limit_response(refused: LimitExceeded, request: HttpRequest | None = None) -> HttpResponse:
    """429 with the limit's message (503 when the server as a whole is busy): a page in the
    request's language for a browser's ``request``, plain text without one."""
    status = 503 if refused.code == "busy" else 429
    if request is not None:
        response = render(request, "podviz/refused.html", {"reason": str(refused)}, status=status)
    else:
        text = f"{refused}\n"
        response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "60"
    return response


def check_run_size(scenario: Scenario, limits: Limits) -> None:
    """Refuses a scenario whose pods × seconds × variants exceed ``run_pod_seconds``.

    The same measure as the simulator's own budget (simulator/scenario/run_budget.py), with the
    smaller limit a shared server keeps for live runs; ``python -m simulator`` keeps the larger
    one.
    """
    pods = max(largest_pod_count(lane.workload, scenario.events) for lane in scenario.variants)
    lanes = len(scenario.variants)
    cost = pods * scenario.duration * lanes
    if cost > limits.run_pod_seconds:
        longest = limits.run_pod_seconds // (pods * lanes)
        message = gettext(
            "this scenario is too large to run live here: %(pods)d pods × %(duration)s s × "
            "%(lanes)d variants = %(cost)s pod-seconds, the limit is %(limit)d; shorten "
            "spec.duration to at most %(longest)d s, or run it headless (python manage.py simulate)"
        )
        figures = {
            "pods": pods,
            "duration": f"{scenario.duration:g}",
            "lanes": lanes,
            "cost": f"{cost:g}",
            "limit": limits.run_pod_seconds,
            "longest": longest,
        }
        raise LimitExceeded(message % figures, "run_too_large")


def check_injected_faults(injected: int, limits: Limits) -> None:
    """Refuses one more fault for a run that already has ``injected`` of them."""
    allowed = limits.injected_faults_per_run
    if injected >= allowed:
        raise LimitExceeded(
            f"this run already has {allowed} injected faults, the most a run may have; "
            'send {"type": "restart"} to start again without them',
            "too_many_faults",
        )


class ClientRates:
    """A ``CommandRate`` per key (a client's address, a run): ``take(key)`` counts one for it.

    Keys whose bucket is full again are forgotten, so the table holds only recent users.
    """

    def __init__(self, per_second: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.per_second = per_second
        self.burst = burst
        self._clock = clock
        self._rates: dict[str, CommandRate] = {}

    def take(self, key: str) -> None:
        """Raises ``LimitExceeded`` (``rate_limited``) past the rate for ``key``."""
        self.rate(key).take()

    def rate(self, key: str) -> CommandRate:
        """The bucket of ``key``, shared by everyone who counts against it."""
        if len(self._rates) > 10_000:
            self._forget_idle()
        rate = self._rates.get(key)
        if rate is None:
            rate = self._rates[key] = CommandRate(self.per_second, self.burst, self._clock)
        return rate

    def _forget_idle(self) -> None:
        for key, rate in list(self._rates.items()):
            if rate.delay() == 0 and rate.full():
                del self._rates[key]


class CommandRate:
    """A token bucket: ``burst`` commands at once, then ``per_second`` on average."""

    def __init__(
        self, per_second: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_second = per_second
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._last = clock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.per_second)
        self._last = now

    def delay(self) -> float:
        """Seconds until a command may be taken (0 if one may be now)."""
        self._refill()
        return max(0.0, (1 - self._tokens) / self.per_second)

    def full(self) -> bool:
        """Whether the whole burst is available again (the bucket was not used lately)."""
        self._refill()
        return self._tokens >= self.burst

    def take(self) -> None:
        """Count one command; raises ``LimitExceeded`` (``rate_limited``) past the rate."""
        self._refill()
        if self._tokens < 1:
            raise LimitExceeded(
                f"too many commands: at most {self.per_second:g} per second "
                f"(bursts of {self.burst}); this one was not applied, send it again in a moment",
                "rate_limited",
            )
        self._tokens -= 1
