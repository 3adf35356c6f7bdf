"""The WebSocket endpoint of a run: forwards the run's frames and passes controls back.

Thin by design: it sends the full state on connect, then the run's encoded frames as they come,
and turns a viewer's small typed commands into calls on the run. It does no simulation work.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer

from .frames import encode
from .live_run import LiveRun, Viewer
from .run_manager import get_run_manager

logger = logging.getLogger(__name__)

MAX_COMMAND_BYTES = 4096
CLOSE_RUN_NOT_FOUND = 4404


def error_message(code: str, detail: str) -> str:
    return encode({"type": "error", "code": code, "detail": detail})


class RunConsumer(AsyncWebsocketConsumer):
    run: LiveRun | None = None
    viewer: Viewer | None = None
    sender: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        run_id = self.scope["url_route"]["kwargs"]["run_id"]
        self.run = get_run_manager().get(run_id)
        await self.accept()
        if self.run is None:
            await self.send(text_data=error_message("run_not_found", f"no run {run_id!r}"))
            await self.close(code=CLOSE_RUN_NOT_FOUND)
            return
        self.viewer = self.run.add_viewer()
        await self.send(text_data=await self.run.full_state_text())
        self.sender = asyncio.get_running_loop().create_task(self._send_frames())

    async def disconnect(self, code: int) -> None:
        if self.sender is not None:
            self.sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.sender
        if self.run is not None and self.viewer is not None:
            self.run.remove_viewer(self.viewer)

    async def _send_frames(self) -> None:
        assert self.run is not None and self.viewer is not None
        while True:
            text = await self.viewer.queue.get()
            if self.viewer.needs_full_state:
                self.viewer.needs_full_state = False
                text = await self.run.full_state_text()
            await self.send(text_data=text)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None:
            await self.send(text_data=error_message("bad_message", "send JSON text, not binary"))
            return
        if len(text_data) > MAX_COMMAND_BYTES:
            await self.send(
                text_data=error_message(
                    "too_large", f"a command is at most {MAX_COMMAND_BYTES} bytes"
                )
            )
            return
        try:
            command = json.loads(text_data)
        except ValueError:
            await self.send(text_data=error_message("bad_json", "a command must be a JSON object"))
            return
        if not isinstance(command, dict):
            await self.send(text_data=error_message("bad_json", "a command must be a JSON object"))
            return
        await self._handle(command)

    async def _handle(self, command: dict[str, Any]) -> None:
        if self.run is None:
            return
        kind = command.get("type")
        if kind == "play":
            self.run.play()
        elif kind == "pause":
            self.run.pause()
        elif kind == "speed":
            speed = command.get("speed")
            if isinstance(speed, bool) or not isinstance(speed, int | float) or speed != speed:
                await self.send(
                    text_data=error_message("bad_value", "speed: must be a number from 0.25 to 100")
                )
                return
            self.run.set_speed(float(speed))
        else:
            await self.send(
                text_data=error_message(
                    "unknown_command", f"unknown command type {kind!r}: use play, pause or speed"
                )
            )
