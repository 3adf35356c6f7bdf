"""The program inside one container instance: boots, serves, may hang, may exit.

Not part of Kubernetes: this is what the scenario's ``behavior`` describes. The app's state decides
what probes see (probe_handlers.py) and what clients get (traffic.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from simulator.clock import Clock, Timer
from simulator.scenario.types import ContainerBehavior

if TYPE_CHECKING:
    from simulator.runtime.serving import Server

BOOTING = "Booting"  # process up, not listening yet: connections refused
HEALTHY = "Healthy"
HUNG = "Hung"  # listening, answers every request with HTTP 500
UNRESPONSIVE = "Unresponsive"  # listening, never answers: timeouts
EXITED = "Exited"

# Exit codes (docs/kubernetes-model.md §6.4): a SIGKILL'd process exits 137.
EXIT_CODE_SIGKILL = 137
# The runtime's reason for a container the kernel's OOM killer ended (k/k cri-api / containerd:
# "OOMKilled"; the process got SIGKILL, so 137).
OOM_KILLED = "OOMKilled"
# Makes the server of a new instance: (serving spec, boot time) -> Server.
ServerFactory = Callable[..., "Server"]


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
        "exit_reason",
        "finished_at",
        "server",
        "started_at",
        "state",
    )

    def __init__(
        self,
        clock: Clock,
        behavior: ContainerBehavior,
        on_exit: Callable[[App], None],
        on_change: Callable[[], None],
        server_factory: ServerFactory | None = None,
        memory_limit_mib: float | None = None,
    ) -> None:
        """``server_factory`` makes the instance's server when ``behavior.serving`` is given;
        ``memory_limit_mib`` is the container's ``resources.limits.memory``."""
        self._clock = clock
        self.behavior = behavior
        self._on_exit = on_exit
        self._on_change = on_change
        self.started_at = clock.now
        self.booted = behavior.boot_seconds <= 0
        self._fault: str | None = None
        self.exit_code: int | None = None
        self.exit_reason: str | None = None  # the runtime's reason when not by exit code
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
        self.server: Server | None = None
        if behavior.serving is not None and server_factory is not None:
            self.server = server_factory(behavior.serving, self.started_at + behavior.boot_seconds)
        memory = behavior.memory
        if memory is not None and memory_limit_mib is not None:
            room = memory_limit_mib - memory.start_mib
            if room <= 0 or memory.leak_mib_per_minute > 0:
                minutes = max(0.0, room) / memory.leak_mib_per_minute if room > 0 else 0.0
                self._timers.append(clock.schedule(self.started_at + 60 * minutes, self.oom_kill))
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

    def oom_kill(self) -> None:
        """Its memory reached the container's limit: the kernel's OOM killer ends it (SIGKILL)."""
        self.exit(EXIT_CODE_SIGKILL, OOM_KILLED)

    def exit(self, code: int, reason: str | None = None) -> None:
        """The process exits with ``code`` (by itself, on SIGTERM, or SIGKILL'd); ``reason`` is
        the runtime's reason when it is not the code's (OOMKilled)."""
        if self.exit_code is not None:
            return
        if self.server is not None:
            self.server.owner.server_stopped(self.server, self._clock.now)
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        self.exit_code = code
        self.exit_reason = reason
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
