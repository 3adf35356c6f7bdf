"""The WebSocket endpoint of a run: forwards the run's frames and passes commands back.

Thin by design: it sends the full state on connect, then the frames the relay hands it, and turns
a viewer's small typed commands (podviz/commands.py) into calls on the run. It does no simulation
work, and nothing a browser sends can stop it or the run.
"""

from __future__ import annotations

import json
import logging

from channels.generic.websocket import AsyncWebsocketConsumer

from . import commands
from .frames import encode, split_message
from .live_run import CommandError, LiveRun
from .relay import get_relay
from .run_manager import get_run_manager
from .viewer import Viewer

logger = logging.getLogger(__name__)

MAX_COMMAND_BYTES = 4096
CLOSE_RUN_NOT_FOUND = 4404


def error_message(code: str, detail: str) -> str:
    return encode({"type": "error", "code": code, "detail": detail})


class RunConsumer(AsyncWebsocketConsumer):
    run: LiveRun | None = None
    viewer: Viewer | None = None

    async def connect(self) -> None:
        run_id = self.scope["url_route"]["kwargs"]["run_id"]
        self.run = get_run_manager().get(run_id)
        await self.accept()
        if self.run is None:
            await self.send(text_data=error_message("run_not_found", f"no run {run_id!r}"))
            await self.close(code=CLOSE_RUN_NOT_FOUND)
            return
        self.viewer = Viewer(self._send_text)
        self.run.viewer_joined()
        await get_relay().subscribe(run_id, self.viewer)
        seq, state = await self.run.full_state()
        await self.viewer.start(state, seq)

    async def _send_text(self, text: str) -> None:
        # A state of a big run is larger than one WebSocket message may be: it goes in parts.
        for part in split_message(text):
            await self.send(text_data=part)

    async def disconnect(self, code: int) -> None:
        if self.run is not None and self.viewer is not None:
            await get_relay().unsubscribe(self.run.run_id, self.viewer)
            self.run.viewer_left()

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
                await self._apply(commands.parse(message))
            except CommandError as error:
                await self._refuse(error.code, str(error))

    async def _refuse(self, code: str, detail: str) -> None:
        await self.send(text_data=error_message(code, detail))

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
