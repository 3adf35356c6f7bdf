"""One live run: a simulation paced in simulated time, its frames, and the viewers watching it.

The run owns the engine; consumers never touch it. A pacing task advances the engine (in a worker
thread, so the event loop never blocks), encodes one frame per tick and hands the same text to every
viewer. A viewer that cannot keep up is not given a backlog: its queue is dropped and it gets the
full state instead.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from simulator.scenario import Scenario
from simulator.simulation import Simulation

from . import frames

logger = logging.getLogger(__name__)

MIN_SPEED = 0.25
MAX_SPEED = 100.0
# Frames a viewer may have waiting before it is resynchronised with the full state instead.
VIEWER_BACKLOG_LIMIT = 20


@dataclass(eq=False)
class Viewer:
    """One socket's mailbox: encoded texts waiting to be sent, or a request for the full state."""

    queue: asyncio.Queue[str] = field(default_factory=lambda: asyncio.Queue(VIEWER_BACKLOG_LIMIT))
    needs_full_state: bool = False

    def offer(self, text: str) -> None:
        if self.needs_full_state:
            return
        try:
            self.queue.put_nowait(text)
        except asyncio.QueueFull:
            self._drop_backlog()

    def _drop_backlog(self) -> None:
        while not self.queue.empty():
            self.queue.get_nowait()
        self.needs_full_state = True
        self.queue.put_nowait("")  # wakes the sender, which then asks for the full state


class LiveRun:
    def __init__(
        self,
        run_id: str,
        scenario: Scenario,
        *,
        frame_rate: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.run_id = run_id
        self.scenario = scenario
        self.frame_rate = frame_rate
        self.speed = 1.0
        self.playing = True
        self.viewers: set[Viewer] = set()
        self.last_viewer_left = clock()
        self._clock = clock
        self._lock = asyncio.Lock()
        self._simulation = Simulation(scenario)
        self._cursors = [frames.LaneCursor() for _ in self._simulation.lanes]
        self._seq = 0
        self._wake = asyncio.Event()

    @property
    def now(self) -> float:
        return self._simulation.now

    @property
    def finished(self) -> bool:
        return self._simulation.finished

    # Viewers -----------------------------------------------------------------------------------

    def add_viewer(self) -> Viewer:
        viewer = Viewer()
        self.viewers.add(viewer)
        return viewer

    def remove_viewer(self, viewer: Viewer) -> None:
        self.viewers.discard(viewer)
        if not self.viewers:
            self.last_viewer_left = self._clock()

    def idle_for(self) -> float:
        return 0.0 if self.viewers else self._clock() - self.last_viewer_left

    async def full_state_text(self) -> str:
        async with self._lock:
            return await asyncio.to_thread(self._encode_full_state)

    def _encode_full_state(self) -> str:
        message = frames.full_state(
            self._simulation, self.run_id, self._seq, playing=self.playing, speed=self.speed
        )
        return frames.encode(message)

    # Controls ----------------------------------------------------------------------------------

    def play(self) -> None:
        self.playing = True
        self._wake.set()

    def pause(self) -> None:
        self.playing = False
        self._wake.set()

    def set_speed(self, speed: float) -> float:
        self.speed = min(MAX_SPEED, max(MIN_SPEED, speed))
        self._wake.set()
        return self.speed

    # Pacing ------------------------------------------------------------------------------------

    async def run_forever(self) -> None:
        """Advance the clock while playing; one frame per tick to every viewer."""
        interval = 1.0 / self.frame_rate
        last = self._clock()
        while True:
            if self.playing and not self.finished:
                await asyncio.sleep(interval)
                now = self._clock()
                if self.playing:
                    await self._publish_tick((now - last) * self.speed)
                last = now
                continue
            # Paused or at the end: one frame tells the viewers, then wait for a command.
            self._wake.clear()
            await self._publish_tick(0.0)
            await self._wake.wait()
            last = self._clock()

    async def _publish_tick(self, simulated_seconds: float) -> None:
        async with self._lock:
            text = await asyncio.to_thread(self._advance_and_encode, simulated_seconds)
        for viewer in tuple(self.viewers):
            viewer.offer(text)

    def _advance_and_encode(self, simulated_seconds: float) -> str:
        if simulated_seconds > 0:
            self._simulation.advance_to(self._simulation.now + simulated_seconds)
        self._seq += 1
        message = frames.delta_frame(
            self._simulation, self._cursors, self._seq, playing=self.playing, speed=self.speed
        )
        return frames.encode(message)
