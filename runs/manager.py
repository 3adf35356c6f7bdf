"""The process-wide owner of live runs.

Runs outlive the sockets that watch them, so their tasks are held here (the event loop only keeps
weak references to tasks), their failures are logged and told to the viewers, and runs nobody
watched for a while are stopped and forgotten. Daphne has no lifespan events, so the reaper starts
with the first run.

Starting a run counts against the limits (core/limits.py): runs per client and per process, and
a run's size; a run that no viewer joins within ``unjoined_run_seconds`` is dropped, so links
followed in bulk (another site making its visitors' browsers open permalinks) cannot pile runs up.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time

from django.conf import settings
from django.utils.translation import gettext

from core import limits
from simulator.engine.simulation import Simulation
from simulator.runs.frames import encode
from simulator.scenario.types import Scenario

from .live_run import LiveRun, Publish
from .relay import get_relay

logger = logging.getLogger(__name__)

REAP_INTERVAL_SECONDS = 1.0
SHARE_RUNS = 2  # runs a client may hold once the process is nearly full


class RunManager:
    def __init__(self, *, idle_seconds: float, frame_rate: float) -> None:
        self.idle_seconds = idle_seconds
        self.frame_rate = frame_rate
        self.loop = asyncio.get_running_loop()
        self._runs: dict[str, LiveRun] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._reaper: asyncio.Task[None] | None = None
        self._notices: set[asyncio.Task[None]] = set()
        self._clients: dict[str, str] = {}

    def get(self, run_id: str) -> LiveRun | None:
        return self._runs.get(run_id)

    def __len__(self) -> int:
        return len(self._runs)

    def start(
        self,
        scenario: Scenario,
        *,
        client: str | None = None,
        run_id: str | None = None,
        simulation: Simulation | None = None,
        brought_back: bool = False,
    ) -> LiveRun:
        """Start a run of ``scenario`` for ``client`` (an address; None: not counted per client)
        under ``run_id`` (a new one if None), from a ``simulation`` already advanced to its start;
        ``brought_back``: the run ran before and comes back where it was (runs/host.py).

        Raises ``limits.LimitExceeded`` past the runs per client or per process, or for a
        scenario larger than a live run may be. A run brought back is never refused: it was
        counted when it started, and its class expects it after a restart; at the per-process
        limit the run nobody has watched for longest makes room if there is one.
        """
        if not brought_back:
            self.check_limits(scenario, client)
        elif len(self._runs) >= limits.current().runs_per_process:
            self._make_room(limits.current().unjoined_run_seconds)
        run_id = run_id or secrets.token_urlsafe(6)
        relay = get_relay()

        async def publish(text: str, seq: int | None) -> None:
            await relay.publish(run_id, text, seq)

        run = LiveRun(
            run_id,
            scenario,
            publish,
            frame_rate=self.frame_rate,
            simulation=simulation,
            # A run taken over numbers its messages after everything its old owner sent, so
            # viewers drop nothing of it (the page sees the jump and asks for a fresh state).
            first_seq=int(time.time() * 1000) if brought_back else 0,
        )
        self._runs[run_id] = run
        if client is not None:
            self._clients[run_id] = client
        task = self.loop.create_task(run.run_forever(), name=f"podviz-run-{run_id}")
        task.add_done_callback(lambda done: self._on_run_done(run_id, done, publish))
        self._tasks[run_id] = task
        self._ensure_reaper()
        logger.info("run %s started: scenario %s", run_id, scenario.name)
        return run

    def check_limits(self, scenario: Scenario, client: str | None) -> None:
        """Raises ``limits.LimitExceeded`` if a new run of ``scenario`` for ``client`` may not
        start now (see ``start``); at the per-process limit an unwatched run may make room."""
        allowed = limits.current()
        limits.check_run_size(scenario, allowed)
        full = len(self._runs) >= allowed.runs_per_process
        if full and not self._make_room(allowed.unjoined_run_seconds):
            raise limits.LimitExceeded(
                gettext(
                    "this server runs %(runs)d runs, its limit, and each has viewers; "
                    "join a run that is already playing, or try again in a few minutes"
                )
                % {"runs": len(self._runs)},
                "too_many_runs",
            )
        if client is None:
            return
        # A run counts for its client while watched, and for a few seconds once nobody watches
        # it (a page being reloaded): closing a page soon frees its place.
        grace = allowed.unjoined_run_seconds
        mine = sum(
            1
            for run_id, owner in self._clients.items()
            if owner == client and self._runs[run_id].idle_for() <= grace
        )
        if mine >= allowed.runs_per_client:
            raise limits.LimitExceeded(
                gettext(
                    "you already have %(runs)d runs open here, the most one address may have; "
                    "close a run page you no longer watch, then try again"
                )
                % {"runs": mine},
                "too_many_runs",
            )
        # The last quarter of the process's places is kept for clients with fewer than
        # SHARE_RUNS runs: a few clients at their own limit cannot lock a teacher out.
        reserved = allowed.runs_per_process // 4
        nearly_full = len(self._runs) >= allowed.runs_per_process - reserved
        if nearly_full and mine >= SHARE_RUNS:
            raise limits.LimitExceeded(
                gettext(
                    "this server is nearly full and keeps its last places for visitors with "
                    "fewer runs than your %(runs)d; close a run page you no longer watch"
                )
                % {"runs": mine},
                "too_many_runs",
            )

    def _make_room(self, grace: float) -> bool:
        """Stop the run nobody has watched for longest, if that is more than ``grace`` seconds;
        whether one was stopped.

        Runs without viewers are only kept so that a reloaded page finds its run again: at the
        limit, a new run is worth more.
        """
        idle = [(run.idle_for(), run_id) for run_id, run in self._runs.items()]
        idle = [(seconds, run_id) for seconds, run_id in idle if seconds > grace]
        if not idle:
            return False
        seconds, run_id = max(idle)
        logger.info("run %s stopped to make room: no viewers for %.0f s", run_id, seconds)
        self.stop(run_id)
        return True

    def stop(self, run_id: str) -> None:
        self._runs.pop(run_id, None)
        self._clients.pop(run_id, None)
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
        """Stop the runs nobody watched for ``idle_seconds``, and the runs nobody joined within
        ``unjoined_run_seconds`` of their start; their ids."""
        unjoined = limits.current().unjoined_run_seconds
        reaped = []
        for run_id, run in list(self._runs.items()):
            idle = run.idle_for()
            if idle > self.idle_seconds or (not run.ever_joined and idle > unjoined):
                logger.info("run %s stopped: no viewers for %.0f s", run_id, idle)
                self.stop(run_id)
                reaped.append(run_id)
        return reaped

    def _ensure_reaper(self) -> None:
        if self._reaper is None or self._reaper.done():
            self._reaper = self.loop.create_task(self._reap_forever(), name="podviz-reaper")

    async def _reap_forever(self) -> None:
        while True:
            await asyncio.sleep(REAP_INTERVAL_SECONDS)
            self.reap_idle()

    def _on_run_done(self, run_id: str, task: asyncio.Task[None], publish: Publish) -> None:
        self._runs.pop(run_id, None)
        self._clients.pop(run_id, None)
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
