"""A class around a run: one presenter drives it, followers watch it, on any server process.

Each process has one ``RunHost``. It starts runs for browsers and records them in the database
(runs/durable.py); it finds a run wherever it lives: here, on another process (its commands
and full states then travel over the channel layer to the owner's host channel), or only in the
database (after a restart, or when the owner died), in which case it brings the run back by
re-running the scenario with its injected faults to the recorded time.

Once a second the host renews the lease of the runs it owns (writing their clock), tells the
owners of the runs its viewers follow how many follow here, takes over runs whose owner stopped
renewing, and now and then deletes runs nobody has opened for ``PODVIZ_KEEP_RUN_SECONDS``.
Daphne has no lifespan events, so this loop starts with the first run or viewer.

Through a Redis outage the runs go on (their frames are dropped) and their leases stay in the
database; when Redis is back, every viewer here gets a fresh full state: from the run if it runs
here, else from its owner (runs/redis_layer.py).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import math
import secrets
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from channels.layers import BaseChannelLayer, InMemoryChannelLayer, get_channel_layer
from django.conf import settings
from django.db import DatabaseError, OperationalError

from core import limits
from simulator.engine.simulation import Simulation
from simulator.runs.frames import encode
from simulator.scenario.loader import load_scenario
from simulator.scenario.types import Scenario

from . import class_polls, commands, durable, roles
from .live_run import CommandError, LiveRun
from .manager import get_run_manager
from .models import ClassRun
from .redis_layer import LAYER_ERRORS, health_of
from .relay import get_relay
from .viewer import Viewer

logger = logging.getLogger(__name__)

HOUSEKEEPING_SECONDS = 1.0
LEASE_RENEW_SECONDS = 2.0
# A crash loses the clock since the last save: saved every LEASE_RENEW_SECONDS / speed of wall
# time (at least every SAVE_FLOOR_SECONDS), so at most 2 simulated seconds up to speed 8.
SAVE_SIMULATED_SECONDS = 2.0
SAVE_FLOOR_SECONDS = 0.25
STATE_REQUEST_SECONDS = 2.0
REMOTE_INFO_SECONDS = 1.0
FOLLOWERS_EVERY = 5.0  # seconds: the follower count is sent again this often, changed or not
PRESENCE_STALE_SECONDS = 3 * HOUSEKEEPING_SECONDS  # a process that stopped counting has gone
CLEANUP_INTERVAL_SECONDS = 300.0


def error_message(code: str, detail: str) -> str:
    return encode({"type": "error", "code": code, "detail": detail})


FORBIDDEN_DETAIL = (
    "only the presenter can change this run: you follow it. "
    "Fork it to try things on your own copy, or ask the presenter for the presenter link."
)


@dataclass(frozen=True)
class RunInfo:
    """What a page and a socket need to know of a run, wherever it runs."""

    run_id: str
    title: dict[str, str]  # by language
    presenter_secret: str | None  # None: started by code, no presenter
    join_code: str | None = None
    forked_from: str = ""
    scenario_slug: str = ""

    @classmethod
    def of_record(cls, record: ClassRun) -> RunInfo:
        return cls(
            run_id=record.run_id,
            title=record.title,
            presenter_secret=record.presenter_secret,
            join_code=record.join_code,
            forked_from=record.forked_from,
            scenario_slug=record.scenario_slug,
        )


@dataclass
class Located:
    """A run found by the host: ``run`` if it runs here, else ``owner_channel`` runs it."""

    info: RunInfo
    run: LiveRun | None = None
    owner_channel: str = ""


@dataclass
class Presence:
    """Viewers of one run on this process, by role."""

    presenters: int = 0
    followers: int = 0


@dataclass
class RemoteCount:
    followers: int
    seen_at: float


@dataclass
class OwnedRun:
    info: RunInfo
    remote: dict[str, RemoteCount] = field(default_factory=dict)
    remote_viewing: bool = False  # counted as one viewer of the LiveRun while others watch
    published_followers: int | None = None
    published_at: float = 0.0
    last_snapshot: durable.RunSnapshot | None = None
    renewed_at: float = 0.0


def snapshot_of_run(run: LiveRun) -> durable.RunSnapshot:
    return durable.RunSnapshot(
        injected=run.injected, sim_time=run.now, speed=run.speed, playing=run.playing
    )


def rebuild(scenario: Scenario, snapshot: durable.RunSnapshot) -> Simulation:
    """The scenario re-run with its injected faults to the snapshot's time (deterministic)."""
    simulation = Simulation(scenario, injected=snapshot.injected)
    simulation.advance_to(snapshot.sim_time)
    return simulation


async def apply_command(run: LiveRun, command: commands.Control) -> None:
    """Apply one decoded command to a run here, within the run's limits.

    Raises ``CommandError`` if it cannot apply, ``limits.LimitExceeded`` past the injected
    faults a run may have (checked here, where the run is, wherever the command came from).
    """
    if isinstance(command, commands.Inject):
        limits.check_injected_faults(run.injected_count, limits.current())
    match command:
        case commands.Simple("play"):
            run.play()
        case commands.Simple("pause"):
            run.pause()
        case commands.Simple("end"):
            await run.to_end()
        case commands.Simple("restart"):
            await run.restart()
        case commands.Speed(speed):
            run.set_speed(speed)
        case commands.Step(seconds):
            await run.step(seconds)
        case commands.Seek(time_):
            await run.seek(time_)
        case commands.Inject(event):
            await run.inject(event)


class RunHost:
    def __init__(self, layer: BaseChannelLayer | None = None) -> None:
        self.layer = layer if layer is not None else get_channel_layer()
        self.loop = asyncio.get_running_loop()
        self.manager = get_run_manager()
        self.relay = get_relay()
        self.channel = ""
        self.owned: dict[str, OwnedRun] = {}
        self.presence: defaultdict[str, Presence] = defaultdict(Presence)
        self.remote_owner: dict[str, str] = {}
        # The class's open polls by run, kept by the class polls (runs/class_polls.py).
        self.polls: dict[str, Any] = {}
        # The presenter's switch for predicted damage, per run (commands.PREDICTION_MODES).
        self.prediction_modes: dict[str, str] = {}
        self._waiting: defaultdict[str, set[Viewer]] = defaultdict(set)
        self._requested_at: dict[str, float] = {}
        self._remote_info: dict[str, tuple[RunInfo, float]] = {}
        self._restoring: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._tasks: list[asyncio.Task[None]] = []
        self._last_cleanup = 0.0
        health = health_of(self.layer)
        if health is not None:
            # After the relay's own listener, which adds its groups again.
            health.on_restored(self.resync_viewers)

    # Lifecycle ---------------------------------------------------------------------------------

    async def ensure_started(self) -> None:
        if self.channel:
            return
        self.channel = await self.layer.new_channel()
        self._tasks = [
            # A fresh context: the request or socket that starts these ends long before they
            # do, and asgiref's thread executor in its context ends with it.
            self.loop.create_task(
                self._receive_forever(), name="podviz-host-receive", context=contextvars.Context()
            ),
            self.loop.create_task(
                self._housekeeping_forever(),
                name="podviz-host-housekeeping",
                context=contextvars.Context(),
            ),
            self.loop.create_task(
                self._save_forever(), name="podviz-host-saves", context=contextvars.Context()
            ),
        ]
        _save_all_before_shutdown(self)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []

    @property
    def shares_processes(self) -> bool:
        """False with the in-memory layer: no other process can own a run then."""
        return not isinstance(self.layer, InMemoryChannelLayer)

    # Starting and finding runs -----------------------------------------------------------------

    async def start(
        self,
        scenario: Scenario,
        *,
        slug: str,
        text: str,
        snapshot: durable.RunSnapshot | None = None,
        forked_from: str = "",
        on_recorded: Callable[[RunInfo], Awaitable[None]] | None = None,
        client: str | None = None,
    ) -> tuple[LiveRun, RunInfo]:
        """Start a run here for ``client`` and record it; the caller makes its browser the
        presenter.

        ``snapshot``: start from that moment (a fork, or a permalink's time and speed).
        ``on_recorded``: awaited once the run is recorded, before its clock starts.
        Raises ``limits.LimitExceeded`` past the limits on runs of ``client`` (an address),
        before any simulation work.
        """
        await self.ensure_started()
        self.manager.check_limits(scenario, client)
        snapshot = snapshot or durable.RunSnapshot((), 0.0, 1.0, True)
        simulation = await asyncio.to_thread(rebuild, scenario, snapshot)
        # Recorded before it starts, so the run is where the snapshot says when the caller
        # gets it.
        run_id = secrets.token_urlsafe(6)
        record = await durable.acreate(
            run_id,
            slug=slug,
            text=text,
            title=dict(scenario.title),
            snapshot=snapshot,
            owner_channel=self.channel,
            forked_from=forked_from,
        )
        info = RunInfo.of_record(record)
        if on_recorded is not None:
            await on_recorded(info)
        try:
            run = self.manager.start(scenario, client=client, run_id=run_id, simulation=simulation)
        except limits.LimitExceeded:
            await durable.adelete(run_id)  # never ran: its URL must not bring it back
            raise
        run.set_speed(snapshot.speed)
        if not snapshot.playing:
            run.pause()
        self.owned[run.run_id] = OwnedRun(info, last_snapshot=snapshot, renewed_at=time.monotonic())
        return run, info

    async def locate(self, run_id: str) -> Located | None:
        """Where ``run_id`` runs; brings it back here if no live process holds it."""
        await self.ensure_started()
        run = self.manager.get(run_id)
        if run is not None:
            owned = self.owned.get(run_id)
            info = owned.info if owned else RunInfo(run_id, dict(run.scenario.title), None)
            return Located(info, run=run)
        # A class joining at once: one database read per run and second, not per socket.
        known = self._remote_info.get(run_id)
        if known is not None and time.monotonic() - known[1] < REMOTE_INFO_SECONDS:
            owner = self.remote_owner.get(run_id)
            if owner:
                return Located(known[0], owner_channel=owner)
        record = await durable.aload(run_id)
        if record is None:
            return None
        info = RunInfo.of_record(record)
        held_elsewhere = record.owner_channel != self.channel and durable.owner_is_live(record)
        if self.shares_processes and held_elsewhere:
            self.remote_owner[run_id] = record.owner_channel
            self._remote_info[run_id] = (info, time.monotonic())
            return Located(info, owner_channel=record.owner_channel)
        run = await self.restore(run_id)
        if run is not None:
            return Located(info, run=run)
        record = await durable.aload(run_id)
        if record is None:
            return None
        self.remote_owner[run_id] = record.owner_channel
        return Located(info, owner_channel=record.owner_channel)

    async def restore(self, run_id: str) -> LiveRun | None:
        """Take ``run_id`` over from the database and run it here; None if another holds it.

        The run is rebuilt by re-running its scenario with its injected faults to its recorded
        time; a full state then goes to every viewer, wherever they are, so their pages resync.
        """
        async with self._restoring[run_id]:
            run = self.manager.get(run_id)
            if run is not None:
                return run
            record = await durable.aclaim(run_id, self.channel)
            if record is None:
                return None
            snapshot = durable.snapshot_of(record)
            scenario = await asyncio.to_thread(load_scenario, record.scenario_text)
            simulation = await asyncio.to_thread(rebuild, scenario, snapshot)
            run = self.manager.start(
                scenario, run_id=run_id, simulation=simulation, brought_back=True
            )
            presence = self.presence.get(run_id, Presence())
            for _ in range(presence.presenters + presence.followers):
                run.viewer_joined()
            run.set_speed(snapshot.speed)
            if not snapshot.playing:
                run.pause()
            self.owned[run_id] = OwnedRun(
                RunInfo.of_record(record), last_snapshot=snapshot, renewed_at=time.monotonic()
            )
            self.remote_owner.pop(run_id, None)
            self._remote_info.pop(run_id, None)
            self._restore_class_state(run_id, record.scenario_slug, snapshot.class_state)
            await run.seek(run.now)
            seq, text = await run.full_state()
            await self._start_waiting(
                run_id, text, seq, self.open_question(run_id), self.predictions_message(run_id)
            )
            logger.info("run %s brought back at %.1f s", run_id, run.now)
            return run

    # Viewers -----------------------------------------------------------------------------------

    def viewer_joined(self, run_id: str, role: str) -> None:
        """A socket here watches ``run_id``; the run, if here, is not idle while watched."""
        presence = self.presence[run_id]
        if role == roles.PRESENTER:
            presence.presenters += 1
        else:
            presence.followers += 1
        run = self.manager.get(run_id)
        if run is not None:
            run.viewer_joined()

    def viewer_left(self, run_id: str, role: str) -> None:
        presence = self.presence.get(run_id)
        if presence is None:
            return
        if role == roles.PRESENTER:
            presence.presenters = max(0, presence.presenters - 1)
        else:
            presence.followers = max(0, presence.followers - 1)
        if not presence.presenters and not presence.followers:
            del self.presence[run_id]
        run = self.manager.get(run_id)
        if run is not None:
            run.viewer_left()

    def followers(self, run_id: str) -> int:
        """Followers of a run this process owns, on every process (remote counts a few s old)."""
        local = self.presence[run_id].followers if run_id in self.presence else 0
        owned = self.owned.get(run_id)
        if owned is None:
            return local
        return local + sum(count.followers for count in owned.remote.values())

    def followers_message(self, run_id: str) -> str:
        return encode({"type": "class.followers", "followers": self.followers(run_id)})

    # Commands and states for runs elsewhere ----------------------------------------------------

    async def command(
        self, run_id: str, command: commands.Control, text: str, reply_channel: str
    ) -> None:
        """Apply a presenter's decoded ``command`` here, or forward its ``text`` (the JSON the
        socket sent) to the owning process, which decodes and checks it again.

        Raises ``CommandError`` or ``limits.LimitExceeded`` for a command that cannot apply to
        a run here.
        """
        run = self.manager.get(run_id)
        if run is not None:
            await apply_command(run, command)
            await self._save(run_id, run)
            return
        await self._forward(run_id, {"type": "class.command", "command": text}, reply_channel)

    async def poll_command(
        self,
        run_id: str,
        command: commands.PollCommand,
        text: str,
        role: str,
        voter: str,
        reply_channel: str | None = None,
    ) -> None:
        """Predict, then reveal: ``ask`` and ``reveal`` from the presenter, ``answer`` from
        anyone; applied by the owning process. ``voter``: who answers (``roles.voter_of``: one
        per browser session); ``reply_channel``: where refusals go (default ``voter``). Raises
        ``CommandError`` (``forbidden`` for a follower's ask or reveal, ``no_question`` for an
        answer with no question open)."""
        reply = reply_channel or voter
        if not isinstance(command, commands.Answer) and role != roles.PRESENTER:
            raise CommandError(FORBIDDEN_DETAIL, "forbidden")
        run = self.manager.get(run_id)
        if run is not None:
            await self._apply_poll(run_id, run, command, voter)
            return
        await self._forward(run_id, {"type": "class.poll", "command": text, "voter": voter}, reply)

    async def _forward(self, run_id: str, message: dict, reply_channel: str) -> None:
        owner = self.remote_owner.get(run_id)
        if not owner:
            raise CommandError("the run is moving to another server; send it again", "run_moved")
        if not await self._send(owner, {**message, "run": run_id, "reply": reply_channel}):
            raise CommandError(
                "the class server is reconnecting: the command was not sent; "
                "send it again in a moment",
                "reconnecting",
            )

    async def _send(self, channel: str, message: dict) -> bool:
        """Send ``message`` over the layer; False while the layer has lost Redis."""
        try:
            await self.layer.send(channel, message)
        except LAYER_ERRORS:
            return False
        return True

    async def _apply_poll(
        self, run_id: str, run: LiveRun, command: commands.PollCommand, voter: str
    ) -> None:
        if isinstance(command, commands.ShowPredictions):
            self.prediction_modes[run_id] = command.show
            await self.relay.publish(run_id, self.predictions_message(run_id), None)
        else:
            await class_polls.get().apply(self, run_id, run, command, voter)
        owned = self.owned.get(run_id)
        if owned is not None:
            # Written with the next save round (within SAVE_FLOOR_SECONDS): a class answering
            # at once costs one write, not one per answer.
            owned.renewed_at = -math.inf

    def class_state(self, run_id: str) -> dict[str, Any]:
        """The class around a run owned here, as its record keeps it (``RunSnapshot``):
        ``poll``, the open question and its answers (null: none open), and ``predictions``,
        the presenter's switch (null: the default)."""
        return {
            "poll": class_polls.get().saved(self, run_id),
            "predictions": self.prediction_modes.get(run_id),
        }

    def _restore_class_state(self, run_id: str, slug: str, state: Mapping[str, Any]) -> None:
        class_polls.get().restore(self, run_id, slug, state.get("poll"))
        show = state.get("predictions")
        if show in commands.PREDICTION_MODES:
            self.prediction_modes[run_id] = show

    async def request_state(self, run_id: str, viewer: Viewer) -> None:
        """Start ``viewer`` with the full state of a run another process owns.

        One request per run goes to the owner, whatever the number of viewers waiting here (a
        class joining at once); it is sent again if no answer came within
        ``STATE_REQUEST_SECONDS``.
        """
        self._waiting[run_id].add(viewer)
        owner = self.remote_owner.get(run_id)
        now = time.monotonic()
        if owner and now - self._requested_at.get(run_id, -math.inf) > STATE_REQUEST_SECONDS:
            self._requested_at[run_id] = now
            request = {"type": "class.state_request", "run": run_id, "reply": self.channel}
            if not await self._send(owner, request):
                del self._requested_at[run_id]  # asked again once the layer is back

    async def resync_viewers(self) -> None:
        """Send every viewer here a fresh full state (the layer is back after an outage)."""
        for run_id, viewers in self.relay.viewers().items():
            run = self.manager.get(run_id)
            for viewer in viewers:
                viewer.restart()
            if run is None:
                self._requested_at.pop(run_id, None)
                for viewer in viewers:
                    await self.request_state(run_id, viewer)
                continue
            self._waiting[run_id].update(viewers)
            seq, text = await run.full_state()
            await self._start_waiting(run_id, text, seq, self.open_question(run_id))

    async def owner_is_live(self, run_id: str) -> bool:
        """Whether a process holds the run's lease (here or elsewhere)."""
        if self.manager.get(run_id) is not None:
            return True
        record = await durable.aload(run_id)
        return record is not None and durable.owner_is_live(record)

    def stop_waiting(self, run_id: str, viewer: Viewer) -> None:
        waiting = self._waiting.get(run_id)
        if waiting is not None:
            waiting.discard(viewer)
            if not waiting:
                del self._waiting[run_id]

    async def _start_waiting(
        self,
        run_id: str,
        text: str,
        seq: int,
        question: str | None = None,
        predictions: str | None = None,
    ) -> None:
        self._requested_at.pop(run_id, None)
        for viewer in self._waiting.pop(run_id, set()):
            if not viewer.started:
                await viewer.start(text, seq)
                if predictions is not None:
                    await viewer.deliver(predictions, None)
                if question is not None:
                    await viewer.deliver(question, None)

    def predictions_message(self, run_id: str) -> str:
        """``class.predictions``: who sees predicted damage on a run owned here (``show``)."""
        show = self.prediction_modes.get(run_id, commands.PREDICTIONS_AFTER_REVEAL)
        return encode({"type": "class.predictions", "show": show})

    def own_answer(self, run_id: str, voter: str) -> str | None:
        """``class.own_answer`` for ``voter``'s answer to the question open on a run owned here
        (a reload lands on it); None if they have not answered or no question is open."""
        return class_polls.get().own_answer(self, run_id, voter)

    def open_question(self, run_id: str) -> str | None:
        """The question open on a run owned here, as sent when it was asked; None if none."""
        return class_polls.get().open_question(self, run_id)

    async def _receive_forever(self) -> None:
        while True:
            message = await self.layer.receive(self.channel)
            try:
                await self._handle(message)
            except Exception:
                logger.exception("host: could not handle %s", message.get("type"))

    async def _handle(self, message: dict) -> None:
        kind, run_id = message.get("type"), message.get("run")
        run = self.manager.get(run_id) if isinstance(run_id, str) else None
        if kind == "class.state" and isinstance(run_id, str):
            question = message.get("question")
            await self._start_waiting(
                run_id, message["text"], message["seq"], question, message.get("predictions")
            )
            return
        if kind == "class.presence":
            owned = self.owned.get(run_id)
            if owned is not None:
                owned.remote[message["process"]] = RemoteCount(
                    message["followers"], time.monotonic()
                )
            return
        reply = message.get("reply")
        if not isinstance(reply, str):
            return
        if run is None:
            text = error_message("run_moved", "the run is moving to another server; try again")
            await self._send(reply, {"type": "class.reply", "text": text})
            return
        if kind == "class.state_request":
            seq, text = await run.full_state()
            state = {"type": "class.state", "run": run_id, "text": text, "seq": seq}
            state["question"] = self.open_question(run_id)
            state["predictions"] = self.predictions_message(run_id)
            await self._send(reply, state)
        elif kind in ("class.poll", "class.command"):
            # The sending process checked the socket's role and rate; what only the run's
            # owner can check (the command itself, again, and the run's limits) is checked here.
            try:
                command = commands.decode(message.get("command"))
                if kind == "class.poll" and isinstance(command, commands.PollCommand):
                    await self._apply_poll(run_id, run, command, str(message.get("voter")))
                elif kind == "class.command" and not isinstance(command, commands.PollCommand):
                    await apply_command(run, command)
                    await self._save(run_id, run)
                else:
                    raise CommandError(f"{kind}: not a command of this kind", "bad_message")
            except (CommandError, limits.LimitExceeded) as error:
                text = error_message(error.code, str(error))
                await self._send(reply, {"type": "class.reply", "text": text})

    async def _save(self, run_id: str, run: LiveRun) -> None:
        owned = self.owned.get(run_id)
        if owned is None:
            return
        # Under the run's lock: a tick already under way when a pause came still moves the clock.
        snapshot = await run.measure(lambda _simulation: snapshot_of_run(run))
        owned.last_snapshot = replace(snapshot, class_state=self.class_state(run_id))
        try:
            saved = await durable.asave_snapshot(run_id, self.channel, owned.last_snapshot)
        except DatabaseError as error:
            # The command applied; its state is written at the next renewal (within
            # LEASE_RENEW_SECONDS), so the presenter is not told it failed.
            logger.warning("run %s: could not write its state (%s); retrying", run_id, error)
            return
        owned.renewed_at = time.monotonic()
        if not saved:
            self._lost(run_id)

    # Housekeeping ------------------------------------------------------------------------------

    async def _save_forever(self) -> None:
        while True:
            await asyncio.sleep(SAVE_FLOOR_SECONDS)
            try:
                await self.save_due()
            except Exception:
                logger.exception("host: saving runs failed")

    async def save_due(self) -> None:
        """Save each run owned here whose clock has moved ``SAVE_SIMULATED_SECONDS`` since its
        last save (renewing its lease), or ``LEASE_RENEW_SECONDS`` of wall time have passed."""
        now = time.monotonic()
        for run_id, owned in list(self.owned.items()):
            run = self.manager.get(run_id)
            if run is None:
                continue
            speed = run.speed if run.playing else 0.0
            interval = LEASE_RENEW_SECONDS
            if speed > 0:
                interval = max(SAVE_FLOOR_SECONDS, min(interval, SAVE_SIMULATED_SECONDS / speed))
            if now - owned.renewed_at >= interval:
                await self._save(run_id, run)

    async def save_all(self) -> None:
        """Save every run owned here now (a graceful stop)."""
        for run_id in list(self.owned):
            run = self.manager.get(run_id)
            if run is not None:
                await self._save(run_id, run)
        logger.info("saved %d runs before stopping", len(self.owned))

    async def _housekeeping_forever(self) -> None:
        while True:
            await asyncio.sleep(HOUSEKEEPING_SECONDS)
            try:
                await self.housekeeping()
            except OperationalError as error:
                # A database locked past its timeout (docs/reliability.md): the next round
                # does the same work, so a line without a traceback says enough.
                logger.warning("host: housekeeping waits a round, the database is busy: %s", error)
            except Exception:
                logger.exception("host: housekeeping failed")

    async def housekeeping(self) -> None:
        """One round: leases, presence, takeovers, and now and then the clean-up."""
        now = time.monotonic()
        for run_id, owned in list(self.owned.items()):
            run = self.manager.get(run_id)
            if run is None:
                # Stopped here (nobody watched): its state stays for any process to bring back.
                del self.owned[run_id]
                self.polls.pop(run_id, None)
                self.prediction_modes.pop(run_id, None)
                if owned.last_snapshot is not None:
                    await durable.arelease(run_id, self.channel, owned.last_snapshot)
                continue
            self._count_remote_viewers(run, owned, now)
            followers = self.followers(run_id)
            if followers != owned.published_followers or now - owned.published_at > FOLLOWERS_EVERY:
                owned.published_followers, owned.published_at = followers, now
                await self.relay.publish(run_id, self.followers_message(run_id), None)
        for run_id, presence in list(self.presence.items()):
            if run_id in self.owned or self.manager.get(run_id) is not None:
                continue
            await self._follow_remote(run_id, presence)
        for run_id, waiting in list(self._waiting.items()):
            # A request or its answer lost with Redis: asked again every STATE_REQUEST_SECONDS.
            if waiting and self.manager.get(run_id) is None:
                await self.request_state(run_id, next(iter(waiting)))
        if now - self._last_cleanup >= CLEANUP_INTERVAL_SECONDS:
            self._last_cleanup = now
            deleted = await durable.adelete_stale(settings.PODVIZ_KEEP_RUN_SECONDS)
            if deleted:
                logger.info("deleted %d runs nobody opened for a while", deleted)

    def _count_remote_viewers(self, run: LiveRun, owned: OwnedRun, now: float) -> None:
        stale = [
            key
            for key, count in owned.remote.items()
            if now - count.seen_at > PRESENCE_STALE_SECONDS
        ]
        for key in stale:
            del owned.remote[key]
        watched = bool(owned.remote)
        if watched and not owned.remote_viewing:
            run.viewer_joined()
        elif not watched and owned.remote_viewing:
            run.viewer_left()
        owned.remote_viewing = watched

    async def _follow_remote(self, run_id: str, presence: Presence) -> None:
        record = await durable.aload(run_id)
        if record is None:
            return
        if not durable.owner_is_live(record) or not self.shares_processes:
            await self.restore(run_id)
            return
        self.remote_owner[run_id] = record.owner_channel
        await self._send(
            record.owner_channel,
            {
                "type": "class.presence",
                "run": run_id,
                "process": self.channel,
                "followers": presence.followers,
            },
        )

    def _lost(self, run_id: str) -> None:
        logger.warning("run %s: another process holds it now; stopping it here", run_id)
        self.owned.pop(run_id, None)
        self.manager.stop(run_id)


def _save_all_before_shutdown(host: RunHost) -> None:
    """Under Daphne (Twisted's reactor on this loop), save every run when the server stops
    gracefully (SIGTERM, SIGINT): the clock is then not rolled back by a restart."""
    # Only if Daphne already runs a reactor: importing the module would install one.
    reactor = sys.modules.get("twisted.internet.reactor")
    if reactor is None or not reactor.running:
        return
    from twisted.internet import defer

    def save() -> object:
        return defer.Deferred.fromFuture(asyncio.ensure_future(host.save_all(), loop=host.loop))

    reactor.addSystemEventTrigger("before", "shutdown", save)


_host: RunHost | None = None


def get_host() -> RunHost:
    """The run host of the running event loop (one per process in production)."""
    global _host
    if _host is None or _host.loop is not asyncio.get_running_loop():
        _host = RunHost()
    return _host


async def stop_host() -> None:
    """Stop the host of the running event loop, if it started (tests, shutdown)."""
    if _host is not None and _host.loop is asyncio.get_running_loop():
        await _host.stop()
