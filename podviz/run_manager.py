"""The process-wide owner of live runs.

Runs outlive the sockets that watch them, so their tasks are held here (the event loop only keeps
weak references to tasks), their failures are logged and told to the viewers, and runs nobody
watched for a while are stopped and forgotten. Daphne has no lifespan events, so the reaper starts
with the first run.
"""

from __future__ import annotations

import asyncio
import logging
import secrets

from django.conf import settings

from simulator.scenario import Scenario
from simulator.simulation import Simulation

from .frames import encode
from .live_run import LiveRun, Publish
from .relay import get_relay

logger = logging.getLogger(__name__)

REAP_INTERVAL_SECONDS = 10.0


class RunManager:
    def __init__(self, *, idle_seconds: float, frame_rate: float) -> None:
        self.idle_seconds = idle_seconds
        self.frame_rate = frame_rate
        self.loop = asyncio.get_running_loop()
        self._runs: dict[str, LiveRun] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._reaper: asyncio.Task[None] | None = None
        self._notices: set[asyncio.Task[None]] = set()

    def get(self, run_id: str) -> LiveRun | None:
        return self._runs.get(run_id)

    def __len__(self) -> int:
        return len(self._runs)

    def start(
        self, scenario: Scenario, *, run_id: str | None = None, simulation: Simulation | None = None
    ) -> LiveRun:
        """Start a run of ``scenario`` under a new id, or bring one back under its ``run_id``
        from a ``simulation`` already advanced to where it was (podviz/classroom.py)."""
        run_id = run_id or secrets.token_urlsafe(6)
        relay = get_relay()

        async def publish(text: str, seq: int | None) -> None:
            await relay.publish(run_id, text, seq)

        run = LiveRun(run_id, scenario, publish, frame_rate=self.frame_rate, simulation=simulation)
        self._runs[run_id] = run
        task = self.loop.create_task(run.run_forever(), name=f"podviz-run-{run_id}")
        task.add_done_callback(lambda done: self._on_run_done(run_id, done, publish))
        self._tasks[run_id] = task
        self._ensure_reaper()
        logger.info("run %s started: scenario %s", run_id, scenario.name)
        return run

    def stop(self, run_id: str) -> None:
        self._runs.pop(run_id, None)
        task = self._tasks.pop(run_id, None)
        if task is not None:
            task.cancel()

    async def stop_all(self) -> None:
        tasks = list(self._tasks.values())
        for run_id in list(self._runs):
            self.stop(run_id)
        if self._reaper is not None:
            self._reaper.cancel()
            tasks.append(self._reaper)
            self._reaper = None
        await asyncio.gather(*tasks, return_exceptions=True)

    def reap_idle(self) -> list[str]:
        idle = [rid for rid, run in self._runs.items() if run.idle_for() > self.idle_seconds]
        for run_id in idle:
            logger.info("run %s stopped: no viewers for %.0f s", run_id, self.idle_seconds)
            self.stop(run_id)
        return idle

    def _ensure_reaper(self) -> None:
        if self._reaper is None or self._reaper.done():
            self._reaper = self.loop.create_task(self._reap_forever(), name="podviz-reaper")

    async def _reap_forever(self) -> None:
        while True:
            await asyncio.sleep(REAP_INTERVAL_SECONDS)
            self.reap_idle()

    def _on_run_done(self, run_id: str, task: asyncio.Task[None], publish: Publish) -> None:
        self._runs.pop(run_id, None)
        self._tasks.pop(run_id, None)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            logger.error("run %s failed", run_id, exc_info=error)
            message = encode(
                {"type": "error", "code": "run_failed", "detail": f"the run stopped: {error}"}
            )
            notice = self.loop.create_task(publish(message, None))
            self._notices.add(notice)
            notice.add_done_callback(self._notices.discard)


_manager: RunManager | None = None


def get_run_manager() -> RunManager:
    """The run manager of the running event loop (one per process in production)."""
    global _manager
    if _manager is None or _manager.loop is not asyncio.get_running_loop():
        _manager = RunManager(
            idle_seconds=settings.PODVIZ_IDLE_RUN_SECONDS, frame_rate=settings.PODVIZ_FRAME_RATE
        )
    return _manager
