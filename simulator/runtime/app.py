"""The program inside one container instance: boots, serves, may hang, may exit.

Not part of Kubernetes: this is what the scenario's ``behavior`` describes. The app's state decides
what probes see (probe_handlers.py) and what clients get (traffic.py).
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.clock import Clock, Timer
from simulator.scenario.types import ContainerBehavior

BOOTING = "Booting"  # process up, not listening yet: connections refused
HEALTHY = "Healthy"
HUNG = "Hung"  # listening, answers every request with HTTP 500
UNRESPONSIVE = "Unresponsive"  # listening, never answers: timeouts
EXITED = "Exited"

# Exit codes (docs/kubernetes-model.md §6.4): a SIGKILL'd process exits 137.
EXIT_CODE_SIGKILL = 137


class App:
    """One instance of the program; ``on_exit`` is told when the process exits, ``on_change``
    whenever what it answers may change (a new instance counts as a change)."""

    __slots__ = (
        "_clock",
        "_fault",
        "_on_change",
        "_on_exit",
        "_timers",
        "behavior",
        "booted",
        "exit_code",
        "finished_at",
        "started_at",
        "state",
    )

    def __init__(
        self,
        clock: Clock,
        behavior: ContainerBehavior,
        on_exit: Callable[[App], None],
        on_change: Callable[[], None],
    ) -> None:
        self._clock = clock
        self.behavior = behavior
        self._on_exit = on_exit
        self._on_change = on_change
        self.started_at = clock.now
        self.booted = behavior.boot_seconds <= 0
        self._fault: str | None = None
        self.exit_code: int | None = None
        self.finished_at: float | None = None
        self._timers: list[Timer] = []
        if not self.booted:
            self._timers.append(clock.schedule(self.started_at + behavior.boot_seconds, self._boot))
        if behavior.hang_after_seconds is not None:
            self._timers.append(
                clock.schedule(self.started_at + behavior.hang_after_seconds, self.hang)
            )
        if behavior.exit_after_seconds is not None:
            self._timers.append(
                clock.schedule(
                    self.started_at + behavior.exit_after_seconds, self.exit, behavior.exit_code
                )
            )
        self.state = self._compute_state()
        on_change()

    @property
    def running(self) -> bool:
        return self.state != EXITED

    def _compute_state(self) -> str:
        if self.exit_code is not None:
            return EXITED
        if not self.booted:
            return BOOTING
        return self._fault or HEALTHY

    def _update(self) -> None:
        state = self._compute_state()
        if state != self.state:
            self.state = state
            self._on_change()

    def _boot(self) -> None:
        self.booted = True
        self._update()

    def hang(self) -> None:
        """Keep accepting connections but answer everything with HTTP 500."""
        self._fault = HUNG
        self._update()

    def become_unresponsive(self) -> None:
        """Keep accepting connections but never answer."""
        self._fault = UNRESPONSIVE
        self._update()

    def recover(self) -> None:
        self._fault = None
        self._update()

    def exit(self, code: int) -> None:
        """The process exits with ``code`` (by itself, on SIGTERM, or SIGKILL'd)."""
        if self.exit_code is not None:
            return
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        self.exit_code = code
        self.finished_at = self._clock.now
        self._update()
        self._on_exit(self)

    def receive_sigterm(self) -> None:
        """SIGTERM: a program with a handler shuts down at once with its own exit code; one
        without a handler ignores it (PID 1 is immune to default signal actions)."""
        if self.behavior.handles_sigterm:
            self.exit(self.behavior.exit_code)

    def receive_sigkill(self) -> None:
        self.exit(EXIT_CODE_SIGKILL)
