"""One live run: a simulation paced in simulated time, and the frames it publishes.

The run owns the engine; consumers never touch it. A pacing task advances the engine in a worker
thread (so the event loop never blocks), encodes one frame per tick and publishes that one text
for every viewer. Commands (pause, step, seek, inject a fault, ...) take the same lock as a tick,
so the engine only ever runs one thing at a time.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from simulator.advisor.foresight import foresee, has_pod_faults
from simulator.engine.simulation import Simulation
from simulator.runs import frames
from simulator.scenario.types import Scenario, ScenarioEvent

logger = logging.getLogger(__name__)

MIN_SPEED = 0.25
MAX_SPEED = 100.0
HEARTBEAT_SECONDS = 2.0  # while paused, so a viewer can tell a quiet run from a lost one

# Hands an encoded message to every viewer: (text, seq). ``seq`` orders frames and states; None
# for messages outside that order (heartbeats), which every viewer gets.
Publish = Callable[[str, int | None], Awaitable[None]]


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error(
            "working out the narration's times and predictions failed", exc_info=task.exception()
        )


class CommandError(ValueError):
    """A command that cannot be applied; the message names the field and the fix."""

    def __init__(self, detail: str, code: str = "bad_value") -> None:
        super().__init__(detail)
        self.code = code


def with_spoils(predictions: tuple[dict[str, Any], ...], slug: str) -> tuple[dict[str, Any], ...]:
    """Each prediction with ``spoils``: the ids of the class's questions on scenario ``slug``
    it would give away (runs/class_polls.py), so the page hides it while one of them is open."""
    from . import class_polls  # it imports this module

    polls = class_polls.get()
    return tuple({**p, "spoils": polls.spoils(p, slug)} for p in predictions)


class LiveRun:
    def __init__(
        self,
        run_id: str,
        scenario: Scenario,
        publish: Publish,
        *,
        frame_rate: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        simulation: Simulation | None = None,
        first_seq: int = 0,
    ) -> None:
        """``simulation``: one already advanced (a run brought back); a new one otherwise.
        ``first_seq``: where the messages' sequence numbers start (above 0 for a run taken over
        from another process, so they stay above what that process sent)."""
        self.run_id = run_id
        self.scenario = scenario
        self.frame_rate = frame_rate
        self.speed = 1.0
        self.playing = True
        self.viewer_count = 0
        self.ever_joined = False
        self.last_viewer_left = clock()
        self._publish = publish
        self._clock = clock
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._seq = first_seq
        # The sequence number and simulated time of the last message encoded, set together by
        # the engine's thread: what a heartbeat says, never a clock read mid-advance.
        self._stamp: tuple[int, float] = (first_seq, 0.0)  # set with the simulation below
        self._full_state_cache: tuple[int, str] | None = None
        self.narration_times: tuple[float | None, ...] | None = None
        self.predictions: tuple[dict[str, Any], ...] | None = None
        self._foresight_task: asyncio.Task[None] | None = None
        self._reset(simulation if simulation is not None else Simulation(scenario))
        self._stamp = (first_seq, self._simulation.now)

    def _reset(self, simulation: Simulation) -> None:
        self._simulation = simulation
        self._cursors = [frames.LaneCursor() for _ in simulation.lanes]

    @property
    def now(self) -> float:
        return self._simulation.now

    @property
    def finished(self) -> bool:
        return self._simulation.finished

    @property
    def injected(self) -> tuple[ScenarioEvent, ...]:
        """The faults injected by hand so far, with the times they were applied at."""
        return tuple(self._simulation.injected)

    @property
    def injected_count(self) -> int:
        """Faults injected live since the run (re)started (a fork's included)."""
        return len(self._simulation.injected)

    # Presence ----------------------------------------------------------------------------------

    def viewer_joined(self) -> None:
        self.viewer_count += 1
        self.ever_joined = True

    def viewer_left(self) -> None:
        self.viewer_count = max(0, self.viewer_count - 1)
        if self.viewer_count == 0:
            self.last_viewer_left = self._clock()

    def idle_for(self) -> float:
        return 0.0 if self.viewer_count else self._clock() - self.last_viewer_left

    async def measure(self, measure: Callable[[Simulation], Any], until: float = 0.0) -> Any:
        """``measure(simulation)`` in a worker thread, under the lock (a class question).

        When the run has not reached ``until`` (seconds), the measure is taken on a copy played
        on to ``until`` from the seed with the faults injected so far: the engine being
        deterministic, that is what this run will show there unless another fault is injected.
        The run itself does not move.
        """
        async with self._lock:
            if self._simulation.now >= until:
                return await asyncio.to_thread(measure, self._simulation)
            injected = list(self._simulation.injected)

        def ahead() -> Any:
            copy = Simulation(self.scenario, injected=injected)
            copy.advance_to(until)
            return measure(copy)

        return await asyncio.to_thread(ahead)

    async def full_state(self) -> tuple[int, str]:
        """The sequence number and text of everything so far. The first call (the first viewer)
        also starts working out when the narration's steps start and the faults' predicted
        damage (simulator/advisor/foresight.py)."""
        wanted = self.scenario.narration or has_pod_faults(self.scenario)
        if self._foresight_task is None and wanted:
            self._foresight_task = asyncio.create_task(self._learn_foresight())
            self._foresight_task.add_done_callback(_log_failure)
        async with self._lock:
            text = await asyncio.to_thread(self._encode_full_state)
            return self._seq, text

    # Controls ----------------------------------------------------------------------------------

    def play(self) -> None:
        if self.finished:
            return
        self.playing = True
        self._wake.set()

    def pause(self) -> None:
        self.playing = False
        self._wake.set()

    def set_speed(self, speed: float) -> float:
        self.speed = min(MAX_SPEED, max(MIN_SPEED, speed))
        self._wake.set()
        return self.speed

    async def step(self, seconds: float = 1.0) -> None:
        """Pause, then move the clock on by ``seconds``."""
        self.playing = False
        self._wake.set()
        await self._tick(seconds)

    async def to_end(self) -> None:
        self.playing = False
        self._wake.set()
        await self._tick(self._simulation.duration - self.now)

    async def seek(self, time_: float) -> None:
        """Go to any simulated time; going back re-runs the scenario from its seed."""
        if not 0 <= time_ <= self._simulation.duration:
            raise CommandError(f"time: must be between 0 and {self._simulation.duration:g} s")
        async with self._lock:
            text = await asyncio.to_thread(self._seek_and_encode, time_)
        await self._publish(text, self._seq)
        self._wake.set()

    async def restart(self) -> None:
        """Start the scenario again from time 0, without the faults injected so far."""
        self.playing = True
        async with self._lock:
            text = await asyncio.to_thread(self._restart_and_encode)
        await self._publish(text, self._seq)
        self._wake.set()

    async def inject(self, event: ScenarioEvent) -> ScenarioEvent:
        """Apply a fault now, in every lane alike; it joins the run's event log."""
        async with self._lock:
            applied, text = await asyncio.to_thread(self._inject_and_encode, event)
        await self._publish(text, self._seq)
        return applied

    # Pacing ------------------------------------------------------------------------------------

    async def run_forever(self) -> None:
        """Advance the clock while playing; one frame per tick to every viewer.

        Ticks keep a fixed cadence (each is due one interval after the previous was due), so
        the time a tick takes under load does not stretch the frame rate.
        """
        interval = 1.0 / self.frame_rate
        last = due = self._clock()
        while True:
            if self.playing and not self.finished:
                due += interval
                await asyncio.sleep(max(0.0, due - self._clock()))
                now = self._clock()
                due = max(due, now - interval)  # after a long stall, do not rush to catch up
                if self.playing:
                    await self._tick((now - last) * self.speed)
                last = now
                continue
            # Paused or at the end: one frame tells the viewers, then heartbeats until a command.
            self.playing = False
            self._wake.clear()
            await self._tick(0.0)
            while not self._wake.is_set():
                try:
                    await asyncio.wait_for(self._wake.wait(), HEARTBEAT_SECONDS)
                except TimeoutError:
                    await self._publish(self._heartbeat(), None)
            last = due = self._clock()

    async def _learn_foresight(self) -> None:
        """Work out when every narration step starts and each fault's predicted damage (one
        headless run, in a worker thread), then tell the viewers (``run.narration``,
        ``run.prediction``); later full states carry both too."""
        foresight = await asyncio.to_thread(foresee, self.scenario)
        async with self._lock:
            if self.scenario.narration:
                self.narration_times = foresight.narration_times
            if foresight.predictions:
                self.predictions = with_spoils(foresight.predictions, self.scenario.name)
            self._full_state_cache = None
        if self.narration_times is not None:
            message = frames.narration_message(self.narration_times)
            await self._publish(frames.encode(message), None)
        if self.predictions is not None:
            message = frames.prediction_message(self.predictions)
            await self._publish(frames.encode(message), None)

    async def _tick(self, simulated_seconds: float) -> None:
        async with self._lock:
            text = await asyncio.to_thread(self._advance_and_encode, simulated_seconds)
        await self._publish(text, self._seq)

    # Engine work: always in a worker thread, under the lock ------------------------------------

    def _header(self) -> dict[str, Any]:
        return {"playing": self.playing, "speed": self.speed}

    def _advance_and_encode(self, simulated_seconds: float) -> str:
        if simulated_seconds > 0:
            self._simulation.advance_to(self.now + simulated_seconds)
        self._seq += 1
        message = frames.delta_frame(self._simulation, self._cursors, self._seq, **self._header())
        self._stamp = (self._seq, self._simulation.now)
        return frames.encode(message)

    def _encode_full_state(self) -> str:
        if self._full_state_cache is None or self._full_state_cache[0] != self._seq:
            message = frames.full_state(
                self._simulation,
                self.run_id,
                self._seq,
                narration_times=self.narration_times,
                predictions=self.predictions,
                **self._header(),
            )
            self._full_state_cache = (self._seq, frames.encode(message))
        return self._full_state_cache[1]

    def _seek_and_encode(self, time_: float) -> str:
        if time_ < self.now:
            self._reset(Simulation(self.scenario, injected=self._simulation.injected))
        self._simulation.advance_to(time_)
        return self._publish_full_state()

    def _restart_and_encode(self) -> str:
        self._reset(Simulation(self.scenario))
        return self._publish_full_state()

    def _publish_full_state(self) -> str:
        """A new full state for every viewer, after which frames continue from here."""
        self._seq += 1
        self._cursors = [frames.LaneCursor() for _ in self._simulation.lanes]
        message = frames.full_state(
            self._simulation,
            self.run_id,
            self._seq,
            cursors=self._cursors,
            narration_times=self.narration_times,
            predictions=self.predictions,
            **self._header(),
        )
        text = frames.encode(message)
        self._full_state_cache = (self._seq, text)
        self._stamp = (self._seq, self._simulation.now)
        return text

    def _inject_and_encode(self, event: ScenarioEvent) -> tuple[ScenarioEvent, str]:
        self._check_target(event)
        applied = self._simulation.inject(event)
        return applied, self._advance_and_encode(0.0)

    def _check_target(self, event: ScenarioEvent) -> None:
        if event.node is not None and event.node not in self.node_names():
            known = ", ".join(sorted(self.node_names()))
            raise CommandError(f"node: no node {event.node!r} in this run; choose one of {known}")
        pods = {pod["name"] for lane in self._simulation.lanes for pod in lane.snapshot()["pods"]}
        if event.pod is not None and event.pod not in pods:
            known = ", ".join(sorted(pods))
            raise CommandError(f"pod: no pod {event.pod!r} in this run; choose one of {known}")

    def node_names(self) -> frozenset[str]:
        return frozenset(
            node for variant in self.scenario.variants for node in variant.cluster.nodes
        )

    def _heartbeat(self) -> str:
        # Built in the event loop while the engine's thread may be advancing (a seek): it tells
        # the last message encoded, whose time and number belong together.
        seq, time_ = self._stamp
        return frames.encode(frames.heartbeat(seq, time_, **self._header()))
