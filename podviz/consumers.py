"""The WebSocket endpoint of a run: forwards the run's frames and passes commands back.

Thin by design: it sends the full state on connect, then the frames the relay hands it, and turns
a viewer's small typed commands (podviz/commands.py) into calls on the run. It does no simulation
work, and nothing a browser sends can stop it or the run: every message that is not a valid
command, or that a limit refuses (podviz/limits.py), gets an ``error`` frame and the socket stays
up. Whatever ends the connection (a close, a crash, the server cancelling it), the viewer leaves
its run, so a run nobody watches is reaped.
"""

from __future__ import annotations

import asyncio
import logging

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer

from . import commands, limits
from .frames import encode
from .live_run import CommandError, LiveRun
from .relay import get_relay
from .run_manager import get_run_manager
from .viewer import Viewer, daphne_backlog

logger = logging.getLogger(__name__)

CLOSE_RUN_NOT_FOUND = 4404


def error_message(code: str, detail: str) -> str:
    return encode({"type": "error", "code": code, "detail": detail})


class RunConsumer(AsyncWebsocketConsumer):
    run: LiveRun | None = None
    viewer: Viewer | None = None

    async def __call__(self, scope, receive, send) -> None:
        self._limits = limits.current()
        self._rate = limits.CommandRate(
            self._limits.commands_per_second, self._limits.command_burst
        )
        self._next_seek: float | None = None
        self._seeking: asyncio.Task[None] | None = None
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._leave()

    async def dispatch(self, message: dict) -> None:
        # Channels first closes stale database connections for every message, a hop through its
        # one shared thread. This consumer never touches the database (database_sync_to_async
        # closes them itself where it is used), and under load that hop let a burst of commands
        # queue up unread instead of being coalesced (docs/reliability.md).
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"no handler for message type {message['type']}")
        await handler(message)

    async def connect(self) -> None:
        run_id = self.scope["url_route"]["kwargs"]["run_id"]
        self.run = get_run_manager().get(run_id)
        await self.accept()
        if self.run is None:
            await self.send(text_data=error_message("run_not_found", f"no run {run_id!r}"))
            await self.close(code=CLOSE_RUN_NOT_FOUND)
            return
        self.viewer = Viewer(
            self._send_text,
            backlog=daphne_backlog(self.base_send),
            full_state=self.run.full_state,
            close=self._close_slow_viewer,
            buffer_bytes=self._limits.viewer_buffer_bytes,
            slow_seconds=self._limits.slow_viewer_seconds,
        )
        self.run.viewer_joined()
        await get_relay().subscribe(run_id, self.viewer)
        seq, state = await self.run.full_state()
        await self.viewer.start(state, seq)

    async def _send_text(self, text: str) -> None:
        await self.send(text_data=text)

    async def _close_slow_viewer(self, code: int) -> None:
        await self._leave()
        await self.close(code=code)

    async def disconnect(self, code: int) -> None:
        await self._leave()

    async def _leave(self) -> None:
        """Forget this viewer in its run and the relay; safe to call more than once."""
        run, viewer = self.run, self.viewer
        self.viewer = None
        # A seek already in the engine finishes (cancelling it would free the run's lock while
        # its thread still runs); the ones waiting behind it are dropped.
        self._next_seek = None
        if run is not None and viewer is not None:
            viewer.stop()
            run.viewer_left()
            await get_relay().unsubscribe(run.run_id, viewer)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            command = commands.decode(text_data, bytes_data)
            if isinstance(command, commands.Seek):
                self._seek_latest(command.time)
                return
            self._check_limits(command)
            await self._apply(command)
        except (CommandError, limits.LimitExceeded) as error:
            await self._refuse(error.code, str(error))
        except Exception:
            logger.exception("a command could not be applied")
            await self._refuse("command_failed", "the command failed on the server; try again")

    async def _refuse(self, code: str, detail: str) -> None:
        await self.send(text_data=error_message(code, detail))

    # Limits -------------------------------------------------------------------------------------

    def _check_limits(self, command: commands.Command) -> None:
        self._rate.take()
        if isinstance(command, commands.Inject) and self.run is not None:
            allowed = self._limits.injected_faults_per_run
            if self.run.injected_count >= allowed:
                raise limits.LimitExceeded(
                    f"this run already has {allowed} injected faults, the most a run may have; "
                    'send {"type": "restart"} to start again without them',
                    "too_many_faults",
                )

    def _seek_latest(self, time_: float) -> None:
        """Seek to ``time_``; seeks sent while one runs, or within 1/``commands_per_second`` of
        the previous one, are coalesced, and only the last of them runs."""
        self._next_seek = time_
        if self._seeking is None or self._seeking.done():
            self._seeking = asyncio.get_running_loop().create_task(self._run_seeks())

    async def _run_seeks(self) -> None:
        while self._next_seek is not None:
            await asyncio.sleep(self._rate.delay())
            if self._next_seek is None or self._rate.delay() > 0:
                continue  # the viewer left, or other commands took the rate meanwhile
            time_, self._next_seek = self._next_seek, None
            self._rate.take()
            try:
                await self._apply(commands.Seek(time_))
            except CommandError as error:
                await self._refuse(error.code, str(error))
            except Exception:
                logger.exception("a seek could not be applied")
                await self._refuse("command_failed", "the seek failed on the server; try again")
            # Every seek sends each viewer a full state: seeks keep the average rate even when
            # the burst would allow more, so a burst of them costs two full states, not twenty.
            await asyncio.sleep(1 / self._rate.per_second)

    # Commands -----------------------------------------------------------------------------------

    async def _apply(self, command: commands.Command) -> None:
        run = self.run
        if run is None:
            return
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
