"""The WebSocket endpoint of a run: forwards the run's frames and passes commands back.

Thin by design: it sends the full state on connect, then the frames the relay hands it, and turns
a viewer's small typed commands (podviz/commands.py) into calls on the run. It does no simulation
work, and nothing a browser sends can stop it or the run.
"""

from __future__ import annotations

import asyncio
import json
import logging

from channels.generic.websocket import AsyncWebsocketConsumer

from . import roles
from .classroom import FORBIDDEN_DETAIL, POLL_COMMANDS, get_host
from .frames import encode
from .live_run import CommandError
from .relay import get_relay
from .viewer import Viewer

logger = logging.getLogger(__name__)

MAX_COMMAND_BYTES = 4096
CLOSE_RUN_NOT_FOUND = 4404
CLOSE_TRY_AGAIN = 4503  # the run is moving between processes: the page reconnects
STATE_WAIT_SECONDS = 5.0


def error_message(code: str, detail: str) -> str:
    return encode({"type": "error", "code": code, "detail": detail})


class RunConsumer(AsyncWebsocketConsumer):
    run_id: str = ""
    role: str = roles.FOLLOWER
    viewer: Viewer | None = None
    _state_wait: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        self.run_id = self.scope["url_route"]["kwargs"]["run_id"]
        await self.accept()
        # Classroom: where the run lives (here, on another process, or only in the database),
        # and whether this browser presents it (podviz/classroom.py, podviz/roles.py).
        host = get_host()
        located = await host.locate(self.run_id)
        if located is None:
            await self.send(text_data=error_message("run_not_found", f"no run {self.run_id!r}"))
            await self.close(code=CLOSE_RUN_NOT_FOUND)
            return
        presented = await roles.apresented_runs(self.scope.get("session"))
        self.role = roles.role_for(presented, self.run_id, located.info.presenter_secret)
        self.viewer = Viewer(self._send_text)
        host.viewer_joined(self.run_id, self.role)
        await get_relay().subscribe(self.run_id, self.viewer)
        if located.run is not None:
            seq, state = await located.run.full_state()
            await self.viewer.start(state, seq)
            if located.info.presenter_secret is not None and self.role == roles.PRESENTER:
                await self.send(text_data=host.followers_message(self.run_id))
            question = host.open_question(self.run_id)
            if question is not None:  # joined while the class answers a question
                await self.send(text_data=question)
        else:
            await host.request_state(self.run_id, self.viewer)
            self._state_wait = asyncio.create_task(self._close_without_state())

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
        await self.send(text_data=event["text"])

    async def _send_text(self, text: str) -> None:
        await self.send(text_data=text)

    async def disconnect(self, code: int) -> None:
        if self._state_wait is not None:
            self._state_wait.cancel()
        if self.viewer is not None:
            get_host().stop_waiting(self.run_id, self.viewer)
            await get_relay().unsubscribe(self.run_id, self.viewer)
            get_host().viewer_left(self.run_id, self.role)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None:
            await self._refuse("bad_message", "send JSON text, not binary")
        elif len(text_data) > MAX_COMMAND_BYTES:
            await self._refuse("too_large", f"a command is at most {MAX_COMMAND_BYTES} bytes")
        else:
            try:
                message = json.loads(text_data)
            except ValueError:
                message = None
            if not isinstance(message, dict):
                await self._refuse(
                    "bad_json", 'a command must be a JSON object like {"type": "play"}'
                )
                return
            try:
                if message.get("type") in POLL_COMMANDS:
                    await get_host().poll_command(
                        self.run_id, message, self.role, self.channel_name
                    )
                elif self.role != roles.PRESENTER:
                    await self._refuse("forbidden", FORBIDDEN_DETAIL)
                else:
                    await get_host().command(self.run_id, message, self.channel_name)
            except CommandError as error:
                await self._refuse(error.code, str(error))

    async def _refuse(self, code: str, detail: str) -> None:
        await self.send(text_data=error_message(code, detail))
