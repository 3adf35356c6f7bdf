"""What one client may use of a podviz server, and the clear errors past each limit.

Every limit is a setting (``PODVIZ_LIMITS`` in podviz/settings.py, documented with what each
costs in docs/reliability.md). A limit refused is a ``LimitExceeded`` whose message says which
limit, its value and what to do; views answer it with 429, the WebSocket with an ``error`` frame.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, fields

from django.conf import settings
from django.http import HttpRequest, HttpResponse

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
    """The address runs are counted against: the peer, or the client a trusted proxy names
    (Daphne's ``--proxy-headers``, docs/deploy.md)."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def limit_response(refused: LimitExceeded) -> HttpResponse:
    """429 with the limit's message, in plain text (503 when the server as a whole is busy)."""
    status = 503 if refused.code == "busy" else 429
    response = HttpResponse(f"{refused}\n", status=status, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "60"
    return response


def check_run_size(scenario: Scenario, limits: Limits) -> None:
    """Refuses a scenario whose pods × seconds × variants exceed ``run_pod_seconds``.

    The same measure as the simulator's own budget (simulator/run_budget.py), with the smaller
    limit a shared server keeps for live runs; ``python -m simulator`` keeps the larger one.
    """
    pods = max(largest_pod_count(lane.workload, scenario.events) for lane in scenario.variants)
    lanes = len(scenario.variants)
    cost = pods * scenario.duration * lanes
    if cost > limits.run_pod_seconds:
        longest = limits.run_pod_seconds // (pods * lanes)
        raise LimitExceeded(
            f"this scenario is too large to run live here: {pods} pods × {scenario.duration:g} s × "
            f"{lanes} variants = {cost:g} pod-seconds, the limit is {limits.run_pod_seconds}; "
            f"shorten spec.duration to at most {longest} s, or run it headless "
            "(python manage.py simulate)",
            "run_too_large",
        )


def check_injected_faults(injected: int, limits: Limits) -> None:
    """Refuses one more fault for a run that already has ``injected`` of them."""
    allowed = limits.injected_faults_per_run
    if injected >= allowed:
        raise LimitExceeded(
            f"this run already has {allowed} injected faults, the most a run may have; "
            'send {"type": "restart"} to start again without them',
            "too_many_faults",
        )


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
