"""The WebSocket endpoint of a run: forwards the run's frames and passes commands back.

Thin by design: it sends the full state on connect, then the frames the relay hands it, and turns
a viewer's small typed commands (runs/commands.py) into calls on the run, through the run's
host (runs/host.py), which applies them here or forwards them to the process that owns the
run. Only the run's presenter may change it (runs/roles.py); followers may answer the class's
questions. It does no simulation work, and nothing a browser sends can stop it or the run: every
message that is not a valid command, that the socket's role does not allow, or that a limit
refuses (core/limits.py), gets an ``error`` frame and the socket stays up. Whatever ends the
connection (a close, a crash, the server cancelling it), the viewer leaves its run, so a run
nobody watches is reaped.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter

from channels.consumer import get_handler_name
from channels.db import aclose_old_connections
from channels.generic.websocket import AsyncWebsocketConsumer

from core import limits
from simulator.runs.frames import encode, split_message

from . import commands, roles
from .host import FORBIDDEN_DETAIL, get_host
from .live_run import CommandError
from .relay import RECONNECTING_MESSAGE, get_relay
from .viewer import Viewer, daphne_backlog

logger = logging.getLogger(__name__)

RATE_LIMITED_NOTICE_SECONDS = 1.0  # past the rate, one rate_limited answer per second at most
CLOSE_RUN_NOT_FOUND = 4404
CLOSE_TOO_MANY_SOCKETS = 4430
CLOSE_TRY_AGAIN = 4503  # the run is moving between processes: the page reconnects
STATE_WAIT_SECONDS = 5.0


def error_message(code: str, detail: str) -> str:
    return encode({"type": "error", "code": code, "detail": detail})


# Open sockets of this process by client address (limits.socket_client).
_open_sockets: Counter[str] = Counter()
_presenter_buckets: limits.ClientRates | None = None


def _presenter_rates(allowed: limits.Limits) -> limits.ClientRates:
    """Command buckets by run, shared by all the sockets presenting a run on this process."""
    global _presenter_buckets
    if _presenter_buckets is None or _presenter_buckets.per_second != allowed.commands_per_second:
        _presenter_buckets = limits.ClientRates(allowed.commands_per_second, allowed.command_burst)
    return _presenter_buckets


class RunConsumer(AsyncWebsocketConsumer):
    run_id: str = ""
    role: str = roles.FOLLOWER
    viewer: Viewer | None = None
    _state_wait: asyncio.Task[None] | None = None

    async def __call__(self, scope, receive, send) -> None:
        self._limits = limits.current()
        self._rate = limits.CommandRate(
            self._limits.commands_per_second, self._limits.command_burst
        )
        self._next_seek: tuple[commands.Seek, str] | None = None
        self._rate_limited_at = -RATE_LIMITED_NOTICE_SECONDS
        self._client: str | None = None
        self._seeking: asyncio.Task[None] | None = None
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._leave()

    async def dispatch(self, message: dict) -> None:
        # Channels first closes stale database connections for every message, a hop through its
        # one shared thread. Only the connect reads the database here (the session, and the run's
        # record through database_sync_to_async); under load that hop for every command let a
        # burst of commands queue up unread instead of being coalesced (docs/reliability.md).
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"no handler for message type {message['type']}")
        if message["type"] == "websocket.connect":
            await aclose_old_connections()
        await handler(message)

    async def connect(self) -> None:
        self.run_id = self.scope["url_route"]["kwargs"]["run_id"]
        await self.accept()
        refused = self._count_socket()
        if refused is not None:
            await self._refuse("too_many_sockets", refused)
            await self.close(code=CLOSE_TOO_MANY_SOCKETS)
            return
        # Classroom: where the run lives (here, on another process, or only in the database),
        # and whether this browser presents it (runs/host.py, runs/roles.py).
        host = get_host()
        located = await host.locate(self.run_id)
        if located is None:
            await self._reply(error_message("run_not_found", f"no run {self.run_id!r}"))
            await self.close(code=CLOSE_RUN_NOT_FOUND)
            return
        presented = await roles.apresented_runs(self.scope.get("session"))
        self.role = roles.role_for(presented, self.run_id, located.info.presenter_secret)
        if self.role == roles.PRESENTER:
            # One bucket for the run's presenters here, however many sockets they open.
            self._rate = _presenter_rates(self._limits).rate(self.run_id)
        # A viewer of a run owned elsewhere that fell behind resumes with the frames (the page
        # asks for a new state when it sees a gap in their ``seq``).
        self.viewer = Viewer(
            self._send_text,
            backlog=daphne_backlog(self.base_send),
            full_state=located.run.full_state if located.run is not None else None,
            close=self._close_slow_viewer,
            buffer_bytes=self._limits.viewer_buffer_bytes,
            slow_seconds=self._limits.slow_viewer_seconds,
        )
        host.viewer_joined(self.run_id, self.role)
        await get_relay().subscribe(self.run_id, self.viewer)
        if located.run is not None:
            seq, state = await located.run.full_state()
            await self.viewer.start(state, seq)
            if located.info.presenter_secret is not None and self.role == roles.PRESENTER:
                await self._reply(host.followers_message(self.run_id))
            await self._reply(host.predictions_message(self.run_id))
            question = host.open_question(self.run_id)
            if question is not None:  # joined while the class answers a question
                await self._reply(question)
                voter = roles.voter_of(self.scope.get("session"), self.channel_name)
                own = host.own_answer(self.run_id, voter)
                if own is not None:  # reloaded after answering: their answer stands
                    await self._reply(own)
        else:
            await host.request_state(self.run_id, self.viewer)
            self._state_wait = asyncio.create_task(self._close_without_state())
        if not get_relay().connected:
            await self.viewer.notify(RECONNECTING_MESSAGE)

    async def _close_without_state(self) -> None:
        # A busy owner answers late: ask again. An owner that no longer holds its lease may
        # have died: the page reconnects, and the next connection finds the run taken over.
        host = get_host()
        while True:
            await asyncio.sleep(STATE_WAIT_SECONDS)
            if self.viewer is None or self.viewer.started:
                return
            if not await host.owner_is_live(self.run_id):
                await self.close(code=CLOSE_TRY_AGAIN)
                return
            await host.request_state(self.run_id, self.viewer)

    async def class_reply(self, event: dict) -> None:
        """The owning process's answer to a command this socket forwarded (an error)."""
        await self._reply(event["text"])

    async def _reply(self, text: str) -> None:
        """Send ``text`` to this socket unless its client has gone meanwhile (a client that
        sends a command and closes at once): the disconnect that follows cleans up."""
        try:
            await self.send(text_data=text)
        except Exception as error:
            logger.info("a reply found its connection closed (%s)", error)

    async def _send_text(self, text: str) -> None:
        # A state of a big run is larger than one WebSocket message may be: it goes in parts.
        for part in split_message(text):
            await self.send(text_data=part)

    async def _close_slow_viewer(self, code: int) -> None:
        await self._leave()
        await self.close(code=code)

    async def disconnect(self, code: int) -> None:
        await self._leave()

    def _count_socket(self) -> str | None:
        """Count this socket for its client and the process; the reason it may not stay past
        ``sockets_per_client`` or ``sockets_per_process``, else None."""
        client = limits.socket_client(self.scope)
        if _open_sockets[client] >= self._limits.sockets_per_client:
            detail = (
                f"{_open_sockets[client]} sockets are open from your address, the most one "
                "address may have here; close some of this site's tabs"
            )
        elif _open_sockets.total() >= self._limits.sockets_per_process:
            detail = "this server holds all the sockets it may; try again in a minute"
        else:
            _open_sockets[client] += 1
            self._client = client
            return None
        return detail

    def _uncount_socket(self) -> None:
        if self._client is not None:
            _open_sockets[self._client] -= 1
            if _open_sockets[self._client] <= 0:
                del _open_sockets[self._client]
            self._client = None

    async def _leave(self) -> None:
        """Forget this viewer in its run's host and the relay; safe to call more than once."""
        self._uncount_socket()
        viewer = self.viewer
        self.viewer = None
        # A seek already in the engine finishes (cancelling it would free the run's lock while
        # its thread still runs); the ones waiting behind it are dropped.
        self._next_seek = None
        if self._state_wait is not None:
            self._state_wait.cancel()
        if viewer is None:
            return
        viewer.stop()
        host = get_host()
        host.stop_waiting(self.run_id, viewer)
        host.viewer_left(self.run_id, self.role)
        await get_relay().unsubscribe(self.run_id, viewer)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            command = commands.decode(text_data, bytes_data)
            text = text_data or ""  # decode refused binary frames: the command's JSON text
            if isinstance(command, commands.PollCommand):
                self._rate.take()
                await get_host().poll_command(
                    self.run_id,
                    command,
                    text,
                    self.role,
                    roles.voter_of(self.scope.get("session"), self.channel_name),
                    reply_channel=self.channel_name,
                )
                return
            # Checked before seeks are coalesced: a follower's seeks are refused, each of them,
            # and counted: a flood of refused commands is answered at the command rate.
            if self.role != roles.PRESENTER:
                self._rate.take()
                raise CommandError(FORBIDDEN_DETAIL, "forbidden")
            if isinstance(command, commands.Seek):
                self._seek_latest(command, text)
                return
            self._rate.take()
            await self._apply(command, text)
        except (CommandError, limits.LimitExceeded) as error:
            await self._refuse(error.code, str(error))
        except Exception:
            logger.exception("a command could not be applied")
            await self._refuse("command_failed", "the command failed on the server; try again")

    async def _refuse(self, code: str, detail: str) -> None:
        if code == "rate_limited":
            now = time.monotonic()
            if now - self._rate_limited_at < RATE_LIMITED_NOTICE_SECONDS:
                return  # told already: a flood past the rate gets no answer per message
            self._rate_limited_at = now
        await self._reply(error_message(code, detail))

    # Limits -------------------------------------------------------------------------------------

    def _seek_latest(self, seek: commands.Seek, text: str) -> None:
        """Seek as ``seek`` says; seeks sent while one runs, or within 1/``commands_per_second``
        of the previous one, are coalesced, and only the last of them runs."""
        self._next_seek = (seek, text)
        if self._seeking is None or self._seeking.done():
            self._seeking = asyncio.get_running_loop().create_task(self._run_seeks())

    async def _run_seeks(self) -> None:
        while self._next_seek is not None:
            await asyncio.sleep(self._rate.delay())
            if self._next_seek is None or self._rate.delay() > 0:
                continue  # the viewer left, or other commands took the rate meanwhile
            (seek, text), self._next_seek = self._next_seek, None
            self._rate.take()
            try:
                await self._apply(seek, text)
            except (CommandError, limits.LimitExceeded) as error:
                await self._refuse(error.code, str(error))
            except Exception:
                logger.exception("a seek could not be applied")
                await self._refuse("command_failed", "the seek failed on the server; try again")
            # Every seek sends each viewer a full state: seeks keep the average rate even when
            # the burst would allow more, so a burst of them costs two full states, not twenty.
            await asyncio.sleep(1 / self._rate.per_second)

    # Commands -----------------------------------------------------------------------------------

    async def _apply(self, command: commands.Control, text: str) -> None:
        """The presenter's command, applied to the run here or on the process that owns it."""
        await get_host().command(self.run_id, command, text, self.channel_name)
