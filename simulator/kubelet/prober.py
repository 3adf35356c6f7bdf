"""Probe workers: one per container and probe type (docs/kubernetes-model.md §2.2, §2.4).

k/k pkg/kubelet/prober/worker.go (newWorker, run, doProbe); pkg/kubelet/prober/prober_manager.go
(UpdatePodStatus). A worker ticks every ``periodSeconds``; [model] its ticker is anchored at each
container start plus the kubelet's observation lag δ (readiness: the start-of-container status
sync's manual trigger re-anchors it; liveness/startup: anchored likewise, tolerance ±P).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from simulator.api.container import RUNNING
from simulator.api.events import EventRecorder
from simulator.clock import Clock, Timer
from simulator.kubelet.probe_handlers import (
    SUCCESS,
    TIMEOUT,
    ProbeOutcome,
    resolve_port,
    run_probe,
    served_outcome,
)
from simulator.kubelet.probe_log import ProbeLog
from simulator.runtime.app import HEALTHY, App
from simulator.scenario.manifests.pod_spec import exec_sleep_seconds
from simulator.scenario.types import Probe

if TYPE_CHECKING:
    from simulator.api.container import Container
    from simulator.api.pod import Pod

READINESS = "readiness"
LIVENESS = "liveness"
STARTUP = "startup"

# Cached results (k/k pkg/kubelet/prober/results).
SUCCESS_RESULT = "Success"
FAILURE_RESULT = "Failure"
UNKNOWN_RESULT = "Unknown"

# Initial cached value when a new container ID is seen (worker.go: initialValue).
INITIAL_RESULT = {READINESS: FAILURE_RESULT, LIVENESS: SUCCESS_RESULT, STARTUP: UNKNOWN_RESULT}
# The attempt of a probe the prober could not run (its port does not resolve).
ERROR = "error"
_TITLE = {READINESS: "Readiness", LIVENESS: "Liveness", STARTUP: "Startup"}


class ProberContext:
    """What every worker of a kubelet shares."""

    def __init__(
        self,
        clock: Clock,
        events: EventRecorder,
        probe_log: ProbeLog,
        on_result_changed: Callable[[Pod, Container, ProbeWorker], None],
    ) -> None:
        self.clock = clock
        self.events = events
        self.probe_log = probe_log
        self.on_result_changed = on_result_changed


class ProbeWorker:
    """The worker loop of one probe of one container."""

    __slots__ = (
        "_clock",
        "_command_timeout",
        "_ctx",
        "_delay_until",
        "_guards_liveness",
        "_interval",
        "_is_startup",
        "_log",
        "_served",
        "_timer",
        "_unusual",
        "container",
        "instance",
        "kind",
        "last_attempt",
        "last_attempt_at",
        "on_hold",
        "period",
        "pod",
        "port",
        "port_error",
        "probe",
        "process",
        "result",
        "run_count",
        "run_result",
        "stopped",
    )

    def __init__(
        self, ctx: ProberContext, pod: Pod, container: Container, kind: str, probe: Probe
    ) -> None:
        self._ctx = ctx
        self.pod = pod
        self.container = container
        self.kind = kind
        self.probe = probe
        self.process: App | None = None  # the instance's process, from container_started
        self.port, self.port_error = resolve_port(probe, container.spec)
        # An exec command that runs for timeoutSeconds or longer times out on every attempt
        # (k/k pkg/probe/exec/exec.go; ExecProbeTimeout, on since 1.20).
        self._command_timeout: ProbeOutcome | None = None
        command_seconds = container.behavior.command_seconds.get(f"{kind}Probe")
        if command_seconds is None and probe.handler == "exec":
            # Without a time given, the command takes what its ``sleep N`` take, as a preStop
            # exec hook's does (docs/kubernetes-model.md §8.6).
            command_seconds = exec_sleep_seconds(probe.command)
        if (
            probe.handler == "exec"
            and command_seconds is not None
            and command_seconds >= probe.timeout_seconds
        ):
            command = " ".join(probe.command)
            self._command_timeout = ProbeOutcome(TIMEOUT, f'command "{command}" timed out')
        self.period = max(1, probe.period_seconds or 10)
        self.result = INITIAL_RESULT[kind]
        self.last_attempt: str | None = None
        self.last_attempt_at: float | None = None
        self.run_result: str | None = None
        self.run_count = 0
        self.on_hold = False
        self.stopped = False
        self.instance = 0
        self._timer: Timer | None = None
        self._log = ctx.probe_log.append
        self._guards_liveness = kind != READINESS
        self._is_startup = kind == STARTUP
        # floor(x) < d  <=>  x < ceil(d): the first whole second of age at which probing starts.
        self._delay_until = math.ceil(probe.initial_delay_seconds)
        # Ticks every period; an attempt that runs longer pushes the next one back (_runs_for).
        self._interval = self.period
        self._clock = ctx.clock
        self._unusual = self.port_error is not None or self._command_timeout is not None
        # Attempts that are requests to a serving model's app (set per instance).
        self._served = False

    # --- driven by the kubelet ---

    def container_started(self, first_tick: float, process: App) -> None:
        """A new container ID running ``process``: initial value, not on hold, ticking from
        ``first_tick``."""
        self._cancel()
        self.process = process
        self._served = process.server is not None and self.probe.handler in ("httpGet", "grpc")
        self.instance = self.container.instance
        self.result = INITIAL_RESULT[self.kind]
        self.run_result = None
        self.run_count = 0
        self.on_hold = False
        if not self.stopped:
            self._timer = self._ctx.clock.schedule_quiet(first_tick, self._tick)

    def restart_results(self, first_tick: float) -> None:
        """A restarted kubelet forgets cached results: initial values, fresh ticker."""
        self.stopped = False
        assert self.process is not None, "only a started container's results restart"
        self.container_started(first_tick, self.process)

    def container_stopped(self) -> None:
        """The container is no longer running: readiness reads Failure; wait for a new one."""
        self._cancel()
        if self.kind == READINESS:
            self.result = FAILURE_RESULT

    def trigger(self) -> None:
        """Manual readiness run: probe now, reset the ticker (worker.go run: probeTicker.Reset)."""
        if self.stopped or self.on_hold or self.instance != self.container.instance:
            return
        self._cancel()
        self._tick()

    def pause(self) -> None:
        """The kubelet stopped (node down): no more ticks until it restarts the worker."""
        self._cancel()

    def stop(self) -> None:
        self._cancel()
        self.stopped = True

    @property
    def consecutive_successes(self) -> int:
        return self.run_count if self.run_result == SUCCESS_RESULT else 0

    @property
    def consecutive_failures(self) -> int:
        return self.run_count if self.run_result == FAILURE_RESULT else 0

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    # --- doProbe ---

    def _tick(self) -> None:
        # The hot path of the whole engine: keep it lean.
        fired = self._timer  # None when called directly (trigger)
        self._timer = None
        container = self.container
        if container.instance != self.instance or container.state != RUNNING:
            self.container_stopped()
            return
        clock = self._clock
        now = clock.now
        if fired is None:
            self._timer = clock.schedule_quiet(now + self._interval, self._tick)
        else:
            self._timer = clock.rearm_quiet(fired, now + self._interval)
        if self._guards_liveness and self.pod.deletion_timestamp is not None:
            # No liveness/startup verdicts during graceful termination (worker.go doProbe).
            self.result = SUCCESS_RESULT
            self.stop()
            return
        started_at = container.started_at
        # floor(now - started_at) < initialDelaySeconds, without the floor (see __init__).
        if started_at is not None and now - started_at < self._delay_until:
            return
        if self._is_startup:
            if container.started:
                self._cancel()
                return
        elif not container.started:
            return
        if self._unusual:
            self._unusual_attempt(now)
            return
        assert self.process is not None
        state = self.process.state
        if self._served and state == HEALTHY:
            self._served_attempt(now)
            return
        if state == HEALTHY and self.run_result == SUCCESS_RESULT and self.result == SUCCESS_RESULT:
            # Steady success, inlined: only the run grows.
            self.run_count += 1
            self.last_attempt = SUCCESS
            self.last_attempt_at = now
            probe = self.probe
            self._log(
                (now, self.pod.name, container.name, self.kind, SUCCESS, self.run_count, 0,
                 probe.success_threshold, probe.failure_threshold)
            )  # fmt: skip
            return
        outcome = run_probe(self.probe, state, self.pod.ip or "", self.port)
        if outcome.result == TIMEOUT:
            timeout = self.probe.timeout_seconds
            clock.schedule(now + timeout, self._complete, outcome, self.instance, quiet=True)
            self._runs_for(now, timeout)
        else:
            self._record(outcome, now)

    def _served_attempt(self, now: float) -> None:
        """A request to the app's path, queued with the clients' unless served apart; its
        outcome is recorded when the answer comes or the timeout strikes
        (docs/kubernetes-model.md §10.3)."""
        assert self.process is not None and self.process.server is not None
        answer, status = self.process.server.probe(now, self.probe.path)
        outcome, delay = served_outcome(self.probe, self.pod.ip or "", self.port, answer, status)
        self._clock.schedule(now + delay, self._complete, outcome, self.instance, quiet=True)
        self._runs_for(now, delay)

    def _unusual_attempt(self, now: float) -> None:
        """An attempt the prober cannot run (its port does not resolve), or an exec command
        that always outlasts its timeout."""
        if self.port_error is not None:
            self._errored(now)
            return
        assert self._command_timeout is not None
        timeout = self.probe.timeout_seconds
        self._clock.schedule(
            now + timeout, self._complete, self._command_timeout, self.instance, quiet=True
        )
        self._runs_for(now, timeout)

    def _runs_for(self, now: float, seconds: float) -> None:
        """An attempt started at ``now`` runs ``seconds``: the ticks that fall while it runs are
        dropped, so the next attempt comes when it ends (k/k pkg/kubelet/prober/worker.go run:
        a time.Ticker, which drops ticks for a slow receiver; docs/kubernetes-model.md §2.2).
        An attempt answered within the period leaves the ticker alone."""
        if seconds <= self.period or self._timer is None:
            return
        self._timer.cancel()
        self._timer = self._clock.schedule_quiet(now + seconds, self._tick)

    def _errored(self, now: float) -> None:
        """The prober could not run the attempt: an event, and the result is thrown away
        (k/k pkg/kubelet/prober/prober.go probe, worker.go doProbe)."""
        self.last_attempt = ERROR
        self.last_attempt_at = now
        probe = self.probe
        self._log(
            (now, self.pod.name, self.container.name, self.kind, ERROR,
             self.consecutive_successes, self.consecutive_failures, probe.success_threshold,
             probe.failure_threshold)
        )  # fmt: skip
        self._ctx.events.warning(
            f"Pod/{self.pod.name}",
            "Unhealthy",
            f"{_TITLE[self.kind]} probe errored and resulted in unknown state: {self.port_error}",
        )

    def _complete(self, outcome: ProbeOutcome, instance: int) -> None:
        """A timed-out attempt ends ``timeoutSeconds`` after it started."""
        container = self.container
        if instance != container.instance or container.state != RUNNING or self.stopped:
            return
        self._record(outcome, self._ctx.clock.now)

    def _record(self, outcome: ProbeOutcome, now: float) -> None:
        probe = self.probe
        attempt = outcome.result
        self.last_attempt = attempt
        self.last_attempt_at = now
        result = SUCCESS_RESULT if attempt == SUCCESS else FAILURE_RESULT
        if result == self.run_result:
            self.run_count += 1
        else:
            self.run_result = result
            self.run_count = 1
        container = self.container
        ctx = self._ctx
        self._log(
            (now, self.pod.name, container.name, self.kind, attempt, self.consecutive_successes,
             self.consecutive_failures, probe.success_threshold, probe.failure_threshold)
        )  # fmt: skip
        if result == FAILURE_RESULT:
            ctx.events.warning(
                f"Pod/{self.pod.name}",
                "Unhealthy",
                f"{_TITLE[self.kind]} probe failed: {outcome.message}",
            )
            if self.run_count < probe.failure_threshold:
                return
        elif self.run_count < probe.success_threshold:
            return
        changed = result != self.result
        self.result = result
        if (self.kind == LIVENESS and result == FAILURE_RESULT) or self.kind == STARTUP:
            # Stop probing until a new container ID appears (k/k#117153).
            self.on_hold = True
            self.run_count = 0
            self._cancel()
        if changed:
            ctx.on_result_changed(self.pod, container, self)

    def snapshot(self) -> dict:
        probe = self.probe
        return {
            "type": self.kind,
            "handler": probe.handler,
            "periodSeconds": self.period,
            "initialDelaySeconds": probe.initial_delay_seconds,
            "timeoutSeconds": probe.timeout_seconds,
            "successThreshold": probe.success_threshold,
            "failureThreshold": probe.failure_threshold,
            "result": self.result,
            "lastResult": self.last_attempt,
            "lastProbeTime": self.last_attempt_at,
            "consecutiveSuccesses": self.consecutive_successes,
            "consecutiveFailures": self.consecutive_failures,
            "onHold": self.on_hold,
            "active": self._timer is not None,
            # Not probing because its container is not running yet (created, pulling, init
            # containers, back-off) rather than because no kubelet runs the worker.
            "waiting": self._timer is None and not self.stopped and not self._container_running(),
            "waitsWithClients": self._waits_with_clients(),
        }

    def _container_running(self) -> bool:
        container = self.container
        return container.state == RUNNING and container.instance == self.instance

    def _waits_with_clients(self) -> bool:
        """Whether this probe's requests wait in the app's queue with the clients' (an http or
        grpc probe of a serving app, to a path not served apart): then its timeoutSeconds
        bounds the clients' latency it can stand (docs/kubernetes-model.md §10.3)."""
        server = self.process.server if self.process is not None else None
        return self._served and server is not None and server.waits_with_clients(self.probe.path)
